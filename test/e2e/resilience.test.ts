import { ConvexHttpClient } from "convex/browser";
import { decodeJwt } from "jose";
import type { Page } from "playwright-core";
import { expect, inject, test } from "vitest";
import { api } from "../../example/convex/_generated/api";
import { backend, browserPerTest, saveColor, screenshot, signedInAs, signInForm, signUp, storedSession } from "./browser";
import { TOKEN_LIFETIME_MS } from "./settings";

const browser = browserPerTest();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("short-lived access tokens refresh silently while a live query keeps updating", async () => {
  const { page } = await browser();
  const account = await signUp(page);
  const first = (await storedSession(page))!.token;
  expect(decodeJwt(first).exp! - decodeJwt(first).iat!).toBe(TOKEN_LIFETIME_MS / 1000);
  const tokens = new Set([first]);
  // Change the data from outside the page, as the user, and watch the page's subscription follow.
  for (let round = 1; tokens.size < 3; round++) {
    expect(round, "two refreshes within about two token lifetimes").toBeLessThan(20);
    const session = (await storedSession(page))!;
    tokens.add(session.token);
    const color = `color ${round}`;
    await new ConvexHttpClient(inject("backendUrl"), { auth: session.token, logger: false }).mutation(
      api.profile.setFavoriteColor,
      { color },
    );
    await expect.poll(() => page.getByTestId("favorite-color").textContent()).toBe(color);
    expect(await signedInAs(page).textContent()).toBe(account.email);
    await sleep(1500);
  }
  // The page's own socket is authenticated with the current token: its mutations still work.
  await saveColor(page, "after the refreshes");
  expect(await signInForm(page).count()).toBe(0);
});

// The backend's servers stop and start while its deployment (data, signing key) stays in memory,
// as a real deployment's database outlives a restart. Ending the process would lose the session
// rows and the key, and the user would rightly be signed out (see dev/backend/README.md).
test("the backend stopped and started again does not sign the user out", async () => {
  const { page } = await browser();
  const account = await signUp(page);
  await saveColor(page, "before the restart");
  await backend("stop");
  // Down for longer than the client's first reconnect and refresh attempts.
  await sleep(4000);
  expect(await signedInAs(page).textContent()).toBe(account.email);
  await backend("start");
  // The client reconnects on its own backoff (up to 16 s between attempts); the mutation waits for it.
  await saveColor(page, "after the restart", 25_000);
  expect(await signedInAs(page).textContent()).toBe(account.email);
  await page.reload();
  await expect.poll(() => signedInAs(page).textContent()).toBe(account.email);
  await expect.poll(() => page.getByTestId("favorite-color").textContent()).toBe("after the restart");
  await screenshot(page, "signed-in-after-restart");
});

const banner = (page: Page) => page.getByTestId("connection-banner");

// Past the token lifetime the client cannot refresh: it keeps the session and says so, and the
// page keeps showing the user. Back up, the next attempt (the client's or Convex's) refreshes.
test("the backend away past the token lifetime: the page says reconnecting, keeps the user, and recovers", async () => {
  const { page } = await browser();
  const account = await signUp(page);
  await saveColor(page, "before the outage");
  const before = (await storedSession(page))!;
  await backend("stop");
  try {
    // The client's retries back off (1 s, 2 s, 4 s…): the first to fail after expiry says so.
    await expect
      .poll(() => banner(page).getAttribute("data-reason"), { timeout: 40_000 })
      .toBe("reconnecting");
    expect(await banner(page).textContent()).toContain("You stay signed in");
    expect(await signedInAs(page).textContent()).toBe(account.email);
    await screenshot(page, "reconnecting");
  } finally {
    await backend("start");
  }
  await expect.poll(() => banner(page).count(), { timeout: 25_000 }).toBe(0);
  expect(await signedInAs(page).textContent()).toBe(account.email);
  expect((await storedSession(page))!.refreshToken).not.toBe(before.refreshToken);
  await saveColor(page, "after the outage");
}, 90_000);

test("a signed-out visitor is told the server cannot be reached, until it is back", async () => {
  const { page } = await browser();
  await page.goto(inject("appUrl"));
  await expect.poll(() => signInForm(page).count()).toBe(1);
  await backend("stop");
  try {
    await page.reload();
    await expect.poll(() => banner(page).getAttribute("data-reason")).toBe("unreachable");
    expect(await signInForm(page).count()).toBe(1);
  } finally {
    await backend("start");
  }
  await expect.poll(() => banner(page).count(), { timeout: 20_000 }).toBe(0);
});
