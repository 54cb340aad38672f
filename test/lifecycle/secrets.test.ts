import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { everything } from "../codes/support";
import { tokensOf } from "../setup";
import { asTestUser } from "convex-warden/test";
import { ADA, COOLDOWN, later, lifecycleApp, OTHER_PASSWORD, PASSWORD, SITE } from "./support";

/**
 * Every lifecycle flow at debug level: no password, code, token or hash in
 * the log, and none but hashes in the tables (LOG-2, OTP-5).
 */
beforeEach(() => void vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function captureConsole() {
  const lines: string[] = [];
  for (const level of ["log", "debug", "info", "warn", "error"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((arg) => (typeof arg === "string" ? arg : JSON.stringify(arg))).join(" "));
    });
  }
  return lines;
}

test("verification, reset, change and email change log no secret and store only hashes", async () => {
  const lines = captureConsole();
  const app = lifecycleApp(
    { verify: true, reset: { link: { siteUrl: SITE } }, changeEmail: true },
    { logLevel: "debug" },
  );
  const secrets: string[] = [PASSWORD, OTHER_PASSWORD, "third passphrase here"];
  await app.call({ flow: "signUp", email: ADA, password: PASSWORD });
  const verifyCode = await app.codeFor(ADA);
  const ada = await asTestUser(app.t, tokensOf(await app.call({ flow: "emailVerification", email: ADA, password: PASSWORD, code: verifyCode })));
  later(COOLDOWN);
  await app.call({ flow: "reset", email: ADA });
  const resetCode = await app.codeFor(ADA);
  const resetToken = app.box.linkFor(ADA).searchParams.get("wardenReset")!;
  const reset = tokensOf(await app.call({ flow: "resetVerification", email: ADA, code: resetCode, newPassword: OTHER_PASSWORD }));
  const after = await asTestUser(app.t, reset);
  await app.call({ flow: "change", currentPassword: OTHER_PASSWORD, newPassword: "third passphrase here" }, after.as);
  const latest = await app.signIn(ADA, "third passphrase here");
  await app.call({ flow: "changeEmail", newEmail: "ada@example.org" }, latest.as);
  const emailCode = await app.codeFor("ada@example.org");
  await app.call({ flow: "changeEmailVerification", newEmail: "ada@example.org", code: emailCode }, latest.as);
  secrets.push(verifyCode, resetCode, resetToken, emailCode, ada.tokens.token, ada.tokens.refreshToken, reset.refreshToken);

  expect(lines.some((line) => line.includes("code sent"))).toBe(true);
  const stored = await everything(app.t);
  const hashes = stored.accounts.map((account) => account.secret!);
  for (const line of lines) for (const secret of [...secrets, ...hashes]) expect(line).not.toContain(secret);
  const tables = JSON.stringify(stored);
  for (const secret of secrets) expect(tables).not.toContain(secret);
});
