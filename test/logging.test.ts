import { afterEach, expect, test, vi } from "vitest";
import { signInTestUser } from "convex-warden/test";
import { api } from "../example/convex/_generated/api";
import { createLogger, redact } from "../src/lib/log";
import { ADA, exampleApp, signInParams, signUpParams, tokensOf, wardenTables } from "./setup";

afterEach(() => void vi.restoreAllMocks());

function captureConsole() {
  const lines: string[] = [];
  for (const level of ["log", "debug", "info", "warn", "error"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((arg) => (typeof arg === "string" ? arg : JSON.stringify(arg))).join(" "));
    });
  }
  return lines;
}

test("at debug level every flow is traced, and no secret reaches the log (LOG-2)", async () => {
  const lines = captureConsole();
  const t = exampleApp({ logLevel: "debug" });
  const ada = await signInTestUser(t, api.auth.signIn, { provider: "password", params: signUpParams() });
  await t.mutation(api.auth.signIn, { provider: "password", params: { ...signInParams(), password: "wrong password" } });
  const next = tokensOf(await t.mutation(api.auth.refresh, { refreshToken: ada.tokens.refreshToken }));
  await ada.as.mutation(api.auth.signOut, {});
  await t.mutation(api.auth.refresh, { refreshToken: next.refreshToken });

  expect(lines.some((line) => line.includes("signed in"))).toBe(true);
  expect(lines.some((line) => line.includes("sign-in failed"))).toBe(true);
  const secrets = [ADA.password, "wrong password", ada.tokens.token, ada.tokens.refreshToken, next.refreshToken];
  const { accounts, sessions } = await wardenTables(t);
  secrets.push(accounts[0]!.secret!, ...sessions.map((s) => s.refresh.currentHash));
  for (const secret of secrets) {
    for (const line of lines) expect(line).not.toContain(secret);
  }
});

test("quiet by default: a successful sign-in logs nothing", async () => {
  const lines = captureConsole();
  const t = exampleApp({});
  await signInTestUser(t, api.auth.signIn, { provider: "password", params: signUpParams() });
  expect(lines).toEqual([]);
});

test("fields named like secrets are redacted whatever the call site passes", () => {
  expect(redact({ password: "hunter22", refreshToken: "abc", code: "123456", userId: "u1" })).toEqual({
    password: "[redacted]",
    refreshToken: "[redacted]",
    code: "[redacted]",
    userId: "u1",
  });
  const seen: unknown[] = [];
  const sink = { error: () => {}, warn: () => {}, info: () => {}, debug: (...args: unknown[]) => seen.push(args) };
  createLogger("info", sink).debug("hidden at info");
  expect(seen).toEqual([]);
});

test("the log of a failed password sign-in does not say whether the email has an account (EN-1)", async () => {
  const t = exampleApp({ logLevel: "debug" });
  await t.mutation(api.auth.signIn, { provider: "password", params: signUpParams() });
  const failureLines = async (email: string) => {
    const lines = captureConsole();
    await t.mutation(api.auth.signIn, { provider: "password", params: { flow: "signIn", email, password: "wrong password" } });
    vi.restoreAllMocks();
    return lines;
  };
  const known = await failureLines(ADA.email);
  const unknown = await failureLines("nobody@example.com");
  expect(known.length).toBeGreaterThan(0);
  expect(unknown).toEqual(known);
});
