/**
 * Debian's Chromium driven by playwright-core (no browser is downloaded), a
 * fresh profile per test, and the steps of the example app the tests share.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { expect, inject } from "vitest";
import { CHROMIUM } from "./settings";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Where the tests leave screenshots (gitignored). */
export const ARTIFACTS = join(import.meta.dirname, "screenshots");

/** A browser with a fresh profile; `close` removes the profile too. */
export async function openBrowser(): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "warden-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
  });
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

let accounts = 0;
/** A new account's credentials, unique in this run. */
export const newAccount = () => ({
  email: `user${++accounts}-${process.pid}@example.com`,
  password: "correct horse battery staple",
});

export const signedInAs = (page: Page) => page.getByTestId("viewer-email");
export const signInForm = (page: Page) => page.getByRole("heading", { name: /Sign in|Create an account/ });

/** Opens the app and signs a new account up with a password. */
export async function signUp(page: Page, account = newAccount()) {
  await page.goto(inject("appUrl"));
  await page.getByRole("button", { name: "Create an account instead" }).click();
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect.poll(() => signedInAs(page).textContent()).toBe(account.email);
  return account;
}

/** Signs an existing account in from the sign-in form. */
export async function signIn(page: Page, account: { email: string; password: string }) {
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect.poll(() => signedInAs(page).textContent()).toBe(account.email);
}

/** Saves a favorite color through the page and waits (up to `timeout` ms) for the live query to show it. */
export async function saveColor(page: Page, color: string, timeout?: number) {
  await page.getByLabel("New color").fill(color);
  await page.getByRole("button", { name: "Save" }).click();
  await expect.poll(() => page.getByTestId("favorite-color").textContent(), { timeout }).toBe(color);
}

/** The session the auth client keeps in `localStorage`. */
export async function storedSession(page: Page): Promise<{ token: string; refreshToken: string } | null> {
  return page.evaluate(() => {
    const key = Object.keys(localStorage).find((name) => name.startsWith("convexWarden_"));
    return key === undefined ? null : JSON.parse(localStorage.getItem(key)!);
  });
}

/** Asks the global setup to stop or start the backend. */
export async function backend(action: "stop" | "start") {
  const response = await fetch(`${inject("controlUrl")}/backend/${action}`, { method: "POST" });
  expect(response.status).toBe(204);
}
