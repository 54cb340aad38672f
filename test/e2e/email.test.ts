import type { Page } from "playwright-core";
import { expect, inject, test } from "vitest";
import { browserPerTest, newAccount, printedEmail, requestEmail, screenshot, signedInAs, signInForm } from "./browser";

/**
 * Sign-in by email in a real browser: the example's console adapter prints
 * each message (code and link) in the stack's terminal, and the tests read
 * them there, as someone trying `npm run example` does.
 */
const browser = browserPerTest();

const codeStep = (page: Page) => page.getByRole("form", { name: "Check your email" });

test("an emailed code signs in, after a wrong one is refused with the tries left", async () => {
  const { page } = await browser();
  const { email } = newAccount();
  await page.goto(inject("appUrl"));
  await requestEmail(page, email);
  // The page shows where the code went, masked by the server, and holds the resend back.
  const destination = await page.getByTestId("code-destination").textContent();
  expect(destination).toMatch(/@example\.com$/);
  expect(destination).not.toBe(email);
  await expect.poll(() => codeStep(page).getByRole("button", { name: /^Resend in \d+ s$/ }).isDisabled()).toBe(true);

  const { code, link } = await printedEmail(email);
  if (code === null) expect.fail("the printed email has a code");
  expect(link).not.toBeNull();
  const wrong = code.slice(0, -1) + String((Number(code.at(-1)) + 1) % 10);
  await codeStep(page).getByLabel("Code").fill(wrong);
  await page.getByRole("button", { name: "Sign in with the code" }).click();
  await expect.poll(() => codeStep(page).getByRole("alert").textContent()).toMatch(/tries left/);
  await screenshot(page, "email-code-step");

  await codeStep(page).getByLabel("Code").fill(code);
  await page.getByRole("button", { name: "Sign in with the code" }).click();
  await expect.poll(() => signedInAs(page).textContent()).toBe(email);
  await screenshot(page, "email-code-signed-in");
});

test("the printed link opened in the browser that asked signs it in, and the waiting tab follows", async () => {
  const { context, page } = await browser();
  const { email } = newAccount();
  await page.goto(inject("appUrl"));
  await requestEmail(page, email);
  const { link } = await printedEmail(email);
  if (link === null) expect.fail("the printed email has a link");
  expect(new URL(link).origin).toBe(inject("appUrl"));

  // Opened from the mail, the link comes up in a new tab of the same browser.
  const opened = await context.newPage();
  await opened.goto(link);
  await expect.poll(() => signedInAs(opened).textContent()).toBe(email);
  expect(new URL(opened.url()).searchParams.get("wardenCode")).toBeNull();
  await expect.poll(() => signedInAs(page).textContent()).toBe(email);
});

test("the printed link opened in another browser is refused with its code, and still works where it was asked for", async () => {
  const asking = await browser();
  const other = await browser();
  const { email } = newAccount();
  await asking.page.goto(inject("appUrl"));
  await requestEmail(asking.page, email);
  const { link } = await printedEmail(email);
  if (link === null) expect.fail("the printed email has a link");

  await other.page.goto(link);
  const refused = other.page.getByTestId("redirect-error");
  await expect.poll(() => refused.getAttribute("data-code")).toBe("LINK_OTHER_BROWSER");
  expect(await refused.textContent()).toContain("(LINK_OTHER_BROWSER)");
  expect(await signInForm(other.page).count()).toBe(1);
  expect(new URL(other.page.url()).searchParams.get("wardenCode")).toBeNull();
  await screenshot(other.page, "email-link-other-browser");

  await asking.page.goto(link);
  await expect.poll(() => signedInAs(asking.page).textContent()).toBe(email);
});
