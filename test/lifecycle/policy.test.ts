import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { Password } from "convex-warden/providers/Password";
import { expectFailure } from "../setup";
import { ADA, failureOf, lifecycleApp, PASSWORD } from "./support";

/**
 * The new-password policy where passwords are set: sign-up (here), reset
 * and change (in their suites). Each rejection carries its reason.
 */
beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

const signUp = (app: ReturnType<typeof lifecycleApp>, password: string) => app.call({ flow: "signUp", email: ADA, password });

describe("sign-up applies the policy", () => {
  test("common passwords and their trailing variants are refused by default (PW-7)", async () => {
    const app = lifecycleApp();
    for (const password of ["password123", "Password123!", "ＰＡＳＳＷＯＲＤ", "sunshine 2024"]) {
      expect(failureOf(await signUp(app, password))).toEqual({ code: "PASSWORD_REJECTED", reason: "common" });
    }
    expect((await signUp(app, PASSWORD)).kind).toBe("signedIn");
  });

  test("blocklist: false turns the list off; a function replaces it", async () => {
    expect((await signUp(lifecycleApp({ blocklist: false }), "password123")).kind).toBe("signedIn");
    const own = lifecycleApp({ blocklist: (password) => password.includes("acme") });
    expect(failureOf(await signUp(own, "my acme password"))).toEqual({ code: "PASSWORD_REJECTED", reason: "common" });
    expect((await signUp(own, "password123")).kind).toBe("signedIn");
  });

  test("minimum length in code points, default 8, configurable (PW-3)", async () => {
    expect(failureOf(await signUp(lifecycleApp(), "😀".repeat(7)))).toEqual({ code: "PASSWORD_REJECTED", reason: "too_short" });
    expect((await signUp(lifecycleApp(), "🦊🐙🦉🐝🦔🐢🦩🐌")).kind).toBe("signedIn");
    expect(failureOf(await signUp(lifecycleApp({ minLength: 15 }), "fourteen chars"))).toEqual({ code: "PASSWORD_REJECTED", reason: "too_short" });
  });

  test("at least 64 characters are always accepted; the byte cap only bounds hashing (PW-4)", async () => {
    const app = lifecycleApp({ maxBytes: 256 });
    // 64 characters of 4 bytes: 256 bytes, the smallest cap allowed.
    expect((await signUp(app, "🦊".repeat(64))).kind).toBe("signedIn");
    expect(failureOf(await signUp(lifecycleApp({ maxBytes: 256 }), "🦊".repeat(65)))).toEqual({ code: "PASSWORD_REJECTED", reason: "too_long" });
    // Not truncated: the 64-character password does not sign in with 63 of them.
    expectFailure(await app.call({ flow: "signIn", email: ADA, password: "🦊".repeat(63) }), "INVALID_CREDENTIALS");
    expect((await app.call({ flow: "signIn", email: ADA, password: "🦊".repeat(64) })).kind).toBe("signedIn");
  });

  test("options that would defeat the policy are refused when auth.ts loads", () => {
    for (const [options, option] of [
      [{ maxBytes: 255 }, "Password.maxBytes"],
      [{ minLength: 0 }, "Password.minLength"],
      [{ blocklist: "yes" }, "Password.blocklist"],
      [{ change: { reauthenticationWindowMs: -1 } }, "Password.change.reauthenticationWindowMs"],
      [{ reset: true }, "Password.reset"],
      [{ identifier: "username", verify: true, email: { appName: "Acme", sender: { kind: "email", id: "x", send: async () => ({}) } } }, "Password.verify"],
    ] as const) {
      expect(() => Password(options as never)).toThrow(expect.objectContaining({ code: "INVALID_CONFIG", option }));
    }
  });
});
