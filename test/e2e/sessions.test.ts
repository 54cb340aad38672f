import { ConvexHttpClient } from "convex/browser";
import type { Page } from "playwright-core";
import { expect, inject, test } from "vitest";
import { api } from "../../example/convex/_generated/api";
import { browserPerTest, screenshot, signedInAs, signIn, signInForm, signUp, storedSession } from "./browser";
import { TOKEN_LIFETIME_MS } from "./settings";

/**
 * The user's sessions in a real browser: one account signed in in two
 * browsers, each listing both, and one of them ending the other.
 */
const browser = browserPerTest();

const sessions = (page: Page) => page.getByRole("region", { name: "Your sessions" });
const sessionRows = (page: Page) => sessions(page).getByTestId("session");

/** One account, signed up in one browser and signed in in another; both list the two sessions. */
async function signedInTwice() {
  const first = await browser();
  const second = await browser();
  const account = await signUp(first.page);
  await second.page.goto(inject("appUrl"));
  await signIn(second.page, account);
  await expect.poll(() => sessionRows(first.page).count()).toBe(2);
  await expect.poll(() => sessionRows(second.page).count()).toBe(2);
  const current = sessionRows(first.page).and(first.page.locator('[data-current="true"]'));
  expect(await current.textContent()).toContain("(this device)");
  const stored = await storedSession(second.page);
  if (!stored) expect.fail("the second browser keeps a session");
  return { first: first.page, second: second.page, account, secondRefreshToken: stored.refreshToken };
}

/** What the server answers to a refresh with `refreshToken`. */
const refresh = (refreshToken: string) =>
  new ConvexHttpClient(inject("backendUrl"), { logger: false }).mutation(api.auth.refresh, { refreshToken });

test('"Sign out other sessions" signs the other browser out: its next refresh is refused', async () => {
  const { first, second, account, secondRefreshToken } = await signedInTwice();
  await screenshot(first, "sessions");
  await first.getByRole("button", { name: "Sign out other sessions" }).click();
  await expect.poll(() => sessions(first).getByRole("status").textContent()).toBe("Signed out 1 other session.");
  await expect.poll(() => sessionRows(first).count()).toBe(1);

  // The other browser learns it at its next refresh, within one access-token lifetime.
  await expect.poll(() => signInForm(second).count(), { timeout: TOKEN_LIFETIME_MS + 5000 }).toBe(1);
  expect(await storedSession(second)).toBeNull();
  expect(await refresh(secondRefreshToken)).toMatchObject({ kind: "failed", error: { code: "INVALID_REFRESH_TOKEN" } });
  // The browser that asked stays signed in.
  expect(await signedInAs(first).textContent()).toBe(account.email);
});

test("signing one session out from the list ends it on the server at once", async () => {
  const { first, second, secondRefreshToken } = await signedInTwice();
  const other = sessionRows(first).and(first.locator('[data-current="false"]'));
  await other.getByRole("button", { name: "Sign out that session" }).click();
  await expect.poll(() => sessions(first).getByRole("status").textContent()).toBe("That session is signed out.");
  await expect.poll(() => sessionRows(first).count()).toBe(1);
  // The other browser's live list fails at once: its session is gone, whatever its access token says.
  await expect.poll(() => sessions(second).getByRole("alert").textContent()).toContain("This session has ended");
  expect(await refresh(secondRefreshToken)).toMatchObject({ kind: "failed", error: { code: "INVALID_REFRESH_TOKEN" } });
});
