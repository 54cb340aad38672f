import { ConvexHttpClient } from "convex/browser";
import { decodeJwt } from "jose";
import { afterEach, expect, inject, test } from "vitest";
import { api } from "../../example/convex/_generated/api";
import { backend, openBrowser, saveColor, screenshot, signedInAs, signInForm, signUp, storedSession } from "./browser";
import { TOKEN_LIFETIME_MS } from "./settings";

const browsers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(browsers.splice(0).map((browser) => browser.close()));
});
async function browser() {
  const opened = await openBrowser();
  browsers.push(opened);
  return opened;
}

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
