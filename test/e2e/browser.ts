/**
 * Debian's Chromium driven by playwright-core (no browser is downloaded), a
 * fresh profile per test, and the steps of the example app the tests share.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterEach, expect, inject } from "vitest";
import { CHROMIUM } from "./settings";
import { printedEmails, type PrintedEmail } from "./terminal";

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

export type OpenBrowser = Awaited<ReturnType<typeof openBrowser>>;

/** `openBrowser` for a test file: each browser a test opens is closed after that test. */
export function browserPerTest(): () => Promise<OpenBrowser> {
  const open: OpenBrowser[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((browser) => browser.close()));
  });
  return async () => {
    const opened = await openBrowser();
    open.push(opened);
    return opened;
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
/** The password form's heading, there while the page is signed out. */
export const signInForm = (page: Page) => page.getByRole("heading", { name: /^(Sign in|Create an account)$/ });
const passwordForm = (page: Page) => page.getByRole("form", { name: /^(Sign in|Create an account)$/ });
export const signOutButton = (page: Page) => page.getByRole("button", { name: "Sign out", exact: true });

/** Opens the app and signs a new account up with a password. */
export async function signUp(page: Page, account = newAccount()) {
  await page.goto(inject("appUrl"));
  await page.getByRole("button", { name: "Create an account instead" }).click();
  await passwordForm(page).getByLabel("Email").fill(account.email);
  await passwordForm(page).getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect.poll(() => signedInAs(page).textContent()).toBe(account.email);
  return account;
}

/** Signs an existing account in from the sign-in form. */
export async function signIn(page: Page, account: { email: string; password: string }) {
  await passwordForm(page).getByLabel("Email").fill(account.email);
  await passwordForm(page).getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect.poll(() => signedInAs(page).textContent()).toBe(account.email);
}

/** Asks for a sign-in email from the page's email form. */
export async function requestEmail(page: Page, email: string) {
  await page.getByRole("form", { name: "Sign in by email" }).getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Email me a code" }).click();
  await expect.poll(() => page.getByRole("heading", { name: "Check your email" }).count()).toBe(1);
}

/** What the stack has printed in its terminal so far. */
const terminal = async () => (await fetch(`${inject("controlUrl")}/terminal`)).text();

/**
 * The `n`-th sign-in email (1-based) the console adapter printed for `to`,
 * read from the stack's terminal output; waits for it to be printed.
 */
export async function printedEmail(to: string, n = 1): Promise<PrintedEmail> {
  let found: PrintedEmail | undefined;
  await expect
    .poll(async () => (found = printedEmails(await terminal()).filter((email) => email.to === to)[n - 1]), {
      message: `email ${n} to ${to} in the terminal`,
    })
    .toBeDefined();
  return found!;
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
