import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { asTestUser } from "convex-warden/test";
import { api } from "../../example/convex/_generated/api";
import { Anonymous } from "convex-warden/providers/Anonymous";
import { Password } from "convex-warden/providers/Password";
import { fastHasher } from "../accounts/support";
import { exampleApp, expectFailure, tokensOf, wardenTables } from "../setup";
import { ADA, failureOf, later, lifecycleApp, OTHER_PASSWORD, PASSWORD } from "./support";

const MINUTE = 60_000;
const NEW_PASSWORD = "an entirely new passphrase";

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe("changing the password while signed in (PW-8, SES-7)", () => {
  test("with the current password: new hash, a new session for this client, the others ended, an event", async () => {
    const app = lifecycleApp();
    const laptop = await app.signUp(ADA);
    const phone = await app.signIn(ADA);
    later(60 * MINUTE);
    const result = await app.call({ flow: "change", currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, laptop.as);
    const renewed = await asTestUser(app.t, tokensOf(result));
    expect(renewed.userId).toBe(laptop.userId);
    const sessions = (await wardenTables(app.t)).sessions.map((session) => session._id);
    expect(sessions).toEqual([renewed.sessionId]);
    expect(sessions).not.toContain(phone.sessionId);
    const events = (await wardenTables(app.t)).events;
    expect(events.map((event) => event.type)).toContain("passwordChanged");
    expect(events.find((event) => event.type === "sessionRevoked")?.reason).toBe("passwordChanged");
    expectFailure(await app.call({ flow: "signIn", email: ADA, password: PASSWORD }), "INVALID_CREDENTIALS");
    expect((await app.call({ flow: "signIn", email: ADA, password: NEW_PASSWORD })).kind).toBe("signedIn");
  });

  test("without it, only within the window after the session's sign-in; a refresh does not renew the window (SES-7)", async () => {
    const app = lifecycleApp();
    const ada = await app.signUp(ADA);
    later(9 * MINUTE);
    const fresh = await app.call({ flow: "change", newPassword: NEW_PASSWORD }, ada.as);
    const renewed = await asTestUser(app.t, tokensOf(fresh));
    // The change signed this client in anew: its session is fresh, then goes stale.
    later(10 * MINUTE + 1);
    const refreshed = await app.t.mutation(api.auth.refresh, { refreshToken: renewed.tokens.refreshToken });
    const after = await asTestUser(app.t, tokensOf(refreshed));
    expect(after.sessionId).toBe(renewed.sessionId);
    expect(failureOf(await app.call({ flow: "change", newPassword: OTHER_PASSWORD }, after.as))).toEqual({ code: "REAUTHENTICATION_REQUIRED" });
    expect((await app.call({ flow: "signIn", email: ADA, password: NEW_PASSWORD })).kind).toBe("signedIn");
  });

  test("the window is configurable, down to always asking", async () => {
    const app = lifecycleApp({ change: { reauthenticationWindowMs: 0 } });
    const ada = await app.signUp(ADA);
    later(1);
    expectFailure(await app.call({ flow: "change", newPassword: NEW_PASSWORD }, ada.as), "REAUTHENTICATION_REQUIRED");
    const wide = lifecycleApp({ change: { reauthenticationWindowMs: 60 * MINUTE } });
    const bob = await wide.signUp(ADA);
    later(59 * MINUTE);
    expect((await wide.call({ flow: "change", newPassword: NEW_PASSWORD }, bob.as)).kind).toBe("signedIn");
  });

  test("a wrong current password is refused even in the window, and counted toward the lockout (RL-1)", async () => {
    const app = lifecycleApp({}, { rateLimits: { failedSignIns: { max: 3 } } });
    const ada = await app.signUp(ADA);
    for (let i = 0; i < 3; i++) {
      expectFailure(await app.call({ flow: "change", currentPassword: OTHER_PASSWORD, newPassword: NEW_PASSWORD }, ada.as), "INVALID_CREDENTIALS");
    }
    expectFailure(await app.call({ flow: "change", currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, ada.as), "RATE_LIMITED");
    expect((await wardenTables(app.t)).events.map((event) => event.type)).toContain("lockout");
  });

  test("the new password goes through the policy (PW-3, PW-4, PW-7)", async () => {
    const app = lifecycleApp({ minLength: 12 });
    const ada = await app.signUp(ADA, "twelve chars");
    for (const [newPassword, reason] of [["eleven char", "too_short"], ["Password1234!", "common"], ["é".repeat(513), "too_long"]] as const) {
      expect(failureOf(await app.call({ flow: "change", newPassword }, ada.as))).toEqual({ code: "PASSWORD_REJECTED", reason });
    }
    // 64 characters of 4 bytes each fit the default cap (PW-4).
    expect((await app.call({ flow: "change", newPassword: "🔐".repeat(64) }, ada.as)).kind).toBe("signedIn");
    expect((await app.call({ flow: "signIn", email: ADA, password: "🔐".repeat(64) })).kind).toBe("signedIn");
  });

  test("revokeOtherSessions: false keeps the other sessions", async () => {
    const app = lifecycleApp({ change: { revokeOtherSessions: false } });
    const laptop = await app.signUp(ADA);
    const phone = await app.signIn(ADA);
    await app.call({ flow: "change", newPassword: NEW_PASSWORD }, laptop.as);
    expect((await wardenTables(app.t)).sessions.map((session) => session._id)).toContain(phone.sessionId);
  });

  test("signed out, it throws NOT_SIGNED_IN; a user without a password, ACCOUNT_NOT_FOUND", async () => {
    const app = lifecycleApp();
    await expect(app.call({ flow: "change", newPassword: NEW_PASSWORD })).rejects.toMatchObject({ data: { code: "NOT_SIGNED_IN" } });
    const ada = await app.signUp(ADA);
    // A revoked session is not signed in, whatever its token says.
    await app.t.mutation(api.auth.signOut, { refreshToken: ada.tokens.refreshToken });
    await expect(app.call({ flow: "change", newPassword: NEW_PASSWORD }, ada.as)).rejects.toMatchObject({ data: { code: "NOT_SIGNED_IN" } });
  });

  test("a guest has no password to change: ACCOUNT_NOT_FOUND", async () => {
    const t = exampleApp({ providers: [Password({ hasher: fastHasher }), Anonymous()] });
    const guest = await asTestUser(t, tokensOf(await t.mutation(api.auth.signIn, { provider: "anonymous", params: {} })));
    await expect(
      guest.as.mutation(api.auth.signIn, { provider: "password", params: { flow: "change", newPassword: NEW_PASSWORD } }),
    ).rejects.toMatchObject({ data: { code: "ACCOUNT_NOT_FOUND" } });
  });

  test("works for accounts keyed by username", async () => {
    const app = lifecycleApp({ identifier: "username" } as never);
    const first = await app.call({ flow: "signUp", username: "ada", password: PASSWORD });
    const ada = await asTestUser(app.t, tokensOf(first));
    expect((await app.call({ flow: "change", currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, ada.as)).kind).toBe("signedIn");
    expect((await app.call({ flow: "signIn", username: "ada", password: NEW_PASSWORD })).kind).toBe("signedIn");
  });
});
