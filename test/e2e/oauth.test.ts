import type { Page } from "playwright-core";
import { expect, inject, test } from "vitest";
import { browserPerTest, screenshot, signedInAs, signInForm } from "./browser";

/**
 * OAuth in a real browser: the example's "Dev OIDC" button, through real
 * redirects to the local OpenID Provider `npm run example` runs and back,
 * the flow cookie on the backend's site origin, and the client finishing
 * the sign-in on the page it comes back to.
 */
const browser = browserPerTest();

const oauthButton = (page: Page) =>
  page.getByRole("button", { name: "Continue with Dev OIDC" });

test("signing in with Dev OIDC goes to the provider and back, signed in, with a clean URL", async () => {
  const { page } = await browser();
  await page.goto(`${inject("appUrl")}/?tab=home`);
  await oauthButton(page).click();
  // The provider's own login and consent pages.
  const login = `grace${process.pid}`;
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect.poll(() => signedInAs(page).textContent()).toBe(`${login}@dev-oidc.example`);
  const url = new URL(page.url());
  expect(url.origin).toBe(inject("appUrl"));
  expect(url.searchParams.get("wardenCode")).toBeNull();
  expect(url.searchParams.get("tab")).toBe("home");
  await screenshot(page, "oauth-signed-in");

  // A reload keeps the session and redeems nothing again.
  await page.reload();
  await expect.poll(() => signedInAs(page).textContent()).toBe(`${login}@dev-oidc.example`);
});

test("an open redirect is refused before the browser leaves the app", async () => {
  const { page } = await browser();
  await page.goto(`${inject("appUrl")}/?next=${encodeURIComponent("https://evil.example/steal")}`);
  await oauthButton(page).click();
  await expect.poll(() => page.getByTestId("oauth-error").textContent()).toContain("cannot be returned to");
  expect(new URL(page.url()).origin).toBe(inject("appUrl"));
  expect(await signInForm(page).count()).toBe(1);
});

test("a callback replayed in the browser comes back to the app as a typed error", async () => {
  const { page, context } = await browser();
  await page.goto(inject("appUrl"));
  await oauthButton(page).click();
  const login = `ada${process.pid}`;
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any");
  await page.getByRole("button", { name: "Sign-in" }).click();
  // Note the callback URL the provider sends the browser to, then let it through.
  const callback = page.waitForRequest((request) => request.url().includes("/api/auth/callback/dev-oidc"));
  await page.getByRole("button", { name: "Continue" }).click();
  const callbackUrl = (await callback).url();
  await expect.poll(() => signedInAs(page).textContent()).toBe(`${login}@dev-oidc.example`);
  // Another tab of the same browser opens the same callback again.
  const replay = await context.newPage();
  await replay.goto(callbackUrl);
  await expect.poll(() => new URL(replay.url()).origin).toBe(inject("appUrl"));
  expect(new URL(replay.url()).searchParams.get("wardenError")).toBe("OAUTH_STATE_MISMATCH");
});
