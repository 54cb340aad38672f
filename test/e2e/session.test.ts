import { ConvexHttpClient } from "convex/browser";
import { expect, inject, test } from "vitest";
import { api } from "../../example/convex/_generated/api";
import { browserPerTest, screenshot, signedInAs, signIn, signInForm, signOutButton, signUp, storedSession } from "./browser";

const browser = browserPerTest();

test("a password sign-up shows the signed-in user", async () => {
  const { page } = await browser();
  const account = await signUp(page);
  expect(await signedInAs(page).textContent()).toBe(account.email);
  await expect.poll(() => page.getByTestId("favorite-color").textContent()).toBe("not set");
  await screenshot(page, "signed-in");
});

test("a reload keeps the session", async () => {
  const { page } = await browser();
  const account = await signUp(page);
  const before = await storedSession(page);
  await page.reload();
  await expect.poll(() => signedInAs(page).textContent()).toBe(account.email);
  expect(await signInForm(page).count()).toBe(0);
  expect((await storedSession(page))?.refreshToken).toBeDefined();
  expect(before).not.toBeNull();
});

test("a second tab follows the sign-in and the sign-out", async () => {
  const { context, page: first } = await browser();
  const second = await context.newPage();
  await first.goto(inject("appUrl"));
  await second.goto(inject("appUrl"));
  await expect.poll(() => signInForm(second).count()).toBe(1);
  const account = await signUp(first);
  await expect.poll(() => signedInAs(second).textContent()).toBe(account.email);
  await signOutButton(second).click();
  await expect.poll(() => signInForm(first).count()).toBe(1);
  expect(await storedSession(first)).toBeNull();
});

test("signing out ends the session on the server, and the password signs in again", async () => {
  const { page } = await browser();
  const account = await signUp(page);
  const session = await storedSession(page);
  if (!session) expect.fail("a signed-in page keeps a session");
  await signOutButton(page).click();
  await expect.poll(() => signInForm(page).count()).toBe(1);
  const http = new ConvexHttpClient(inject("backendUrl"), { logger: false });
  expect(await http.mutation(api.auth.refresh, { refreshToken: session.refreshToken })).toMatchObject({
    kind: "failed",
    error: { code: "INVALID_REFRESH_TOKEN" },
  });
  http.setAuth(session.token);
  expect(await http.query(api.users.viewerLive, {})).toBeNull();
  await signIn(page, account);
  expect((await storedSession(page))?.refreshToken).not.toBe(session.refreshToken);
});
