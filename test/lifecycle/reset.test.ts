import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { ResetOptions } from "convex-warden/providers/Password";
import { everything, rowCounts } from "../codes/support";
import { expectFailure, wardenTables } from "../setup";
import { ADA, BOB, COOLDOWN, failureOf, later, lifecycleApp, OTHER_PASSWORD, PASSWORD, SITE } from "./support";

const MINUTE = 60_000;
const NEW_PASSWORD = "an entirely new passphrase";

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

const resetApp = (reset: ResetOptions | boolean = true, auth: Parameters<typeof lifecycleApp>[1] = {}) =>
  lifecycleApp({ reset }, auth);

describe("reset by code", () => {
  test("the request answers the same for known and unknown addresses, and only a known one gets mail (EN-1)", async () => {
    const app = resetApp();
    await app.signUp(ADA);
    const before = { ...app.counts };
    const known = await app.call({ flow: "reset", email: ADA });
    const unknown = await app.call({ flow: "reset", email: "ann@example.com" });
    expect(known).toEqual({ kind: "codeSent", provider: "password", destination: "a•••@example.com", resendAfterMs: 30_000 });
    expect(unknown).toEqual(known);
    // Neither hashes anything.
    expect(app.counts).toEqual(before);
    await app.codeFor(ADA);
    expect(app.box.emails.map((email) => email.to)).toEqual([ADA]);
    expect(app.box.emails[0]!.subject).toBe("Reset your Acme password");
    // The unknown address's cooldown and limits behave as a known one's.
    expect(failureOf(await app.call({ flow: "reset", email: ADA }))?.code).toBe("RATE_LIMITED");
    expect(failureOf(await app.call({ flow: "reset", email: "ann@example.com" }))?.code).toBe("RATE_LIMITED");
  });

  test("the code and a new password complete it in one call: new hash, signed in, event recorded", async () => {
    const app = resetApp();
    await app.signUp(ADA);
    await app.call({ flow: "reset", email: ADA });
    const code = await app.codeFor(ADA);
    const result = await app.call({ flow: "resetVerification", email: ADA, code, newPassword: NEW_PASSWORD });
    expect(result.kind).toBe("signedIn");
    expectFailure(await app.call({ flow: "signIn", email: ADA, password: PASSWORD }), "INVALID_CREDENTIALS");
    expect((await app.call({ flow: "signIn", email: ADA, password: NEW_PASSWORD })).kind).toBe("signedIn");
    expect((await wardenTables(app.t)).events.map((event) => event.type)).toContain("passwordReset");
  });

  test("a completed reset ends every other session (OTP-8)", async () => {
    const app = resetApp();
    const laptop = await app.signUp(ADA);
    const phone = await app.signIn(ADA);
    await app.call({ flow: "reset", email: ADA });
    const code = await app.codeFor(ADA);
    await app.call({ flow: "resetVerification", email: ADA, code, newPassword: NEW_PASSWORD });
    const sessions = (await wardenTables(app.t)).sessions.map((session) => session._id);
    expect(sessions).toHaveLength(1);
    expect(sessions).not.toContain(laptop.sessionId);
    expect(sessions).not.toContain(phone.sessionId);
    const revoked = (await wardenTables(app.t)).events.filter((event) => event.type === "sessionRevoked");
    expect(revoked.map((event) => event.reason)).toEqual(["passwordReset"]);
  });

  test("revokeSessions: false keeps them", async () => {
    const app = resetApp({ revokeSessions: false });
    const laptop = await app.signUp(ADA);
    await app.call({ flow: "reset", email: ADA });
    const code = await app.codeFor(ADA);
    await app.call({ flow: "resetVerification", email: ADA, code, newPassword: NEW_PASSWORD });
    expect((await wardenTables(app.t)).sessions.map((session) => session._id)).toContain(laptop.sessionId);
  });

  test("a reset code is good only for the address it was sent to and only for resets (OTP-4)", async () => {
    const app = lifecycleApp({ reset: true, verify: true });
    await app.signUp(ADA);
    await app.signUp(BOB);
    later(COOLDOWN);
    await app.call({ flow: "reset", email: ADA });
    const code = await app.codeFor(ADA);
    expect(failureOf(await app.call({ flow: "resetVerification", email: BOB, code, newPassword: NEW_PASSWORD }))?.code).toBe(
      "INVALID_CODE",
    );
    // Nor is it an email verification code.
    expect(failureOf(await app.call({ flow: "emailVerification", email: ADA, password: PASSWORD, code }))?.code).toBe("INVALID_CODE");
    expect((await app.call({ flow: "resetVerification", email: ADA, code, newPassword: NEW_PASSWORD })).kind).toBe("signedIn");
    expect((await app.call({ flow: "signIn", email: BOB, password: PASSWORD })).kind).toBe("signedIn");
  });

  test("codes are 8 digits, single use, expire after 10 minutes and survive 5 wrong attempts (OTP-1, OTP-2, OTP-3, OTP-6)", async () => {
    const app = resetApp();
    await app.signUp(ADA);
    await app.call({ flow: "reset", email: ADA });
    const code = await app.codeFor(ADA);
    expect(code).toMatch(/^\d{8}$/);
    const wrong = code.replace(/./, (digit) => String((Number(digit) + 1) % 10));
    for (let i = 0; i < 5; i++) await app.call({ flow: "resetVerification", email: ADA, code: wrong, newPassword: NEW_PASSWORD });
    expectFailure(await app.call({ flow: "resetVerification", email: ADA, code, newPassword: NEW_PASSWORD }), "INVALID_CODE");
    later(COOLDOWN);
    await app.call({ flow: "reset", email: ADA });
    const second = await app.codeFor(ADA);
    later(10 * MINUTE + 1);
    expectFailure(await app.call({ flow: "resetVerification", email: ADA, code: second, newPassword: NEW_PASSWORD }), "CODE_EXPIRED");
    await app.call({ flow: "reset", email: ADA });
    const third = await app.codeFor(ADA);
    expect((await app.call({ flow: "resetVerification", email: ADA, code: third, newPassword: NEW_PASSWORD })).kind).toBe("signedIn");
    expectFailure(await app.call({ flow: "resetVerification", email: ADA, code: third, newPassword: OTHER_PASSWORD }), "INVALID_CODE");
  });

  test("an unknown address's code never resets anything", async () => {
    const app = resetApp();
    await app.call({ flow: "reset", email: "ann@example.com" });
    for (const code of ["00000000", "12345678"]) {
      expectFailure(await app.call({ flow: "resetVerification", email: "ann@example.com", code, newPassword: NEW_PASSWORD }), "INVALID_CODE");
    }
    expect((await rowCounts(app.t)).accounts).toBe(0);
  });

  test("the new password goes through the policy, and a refused one does not spend the code (PW-3, PW-7)", async () => {
    const app = resetApp();
    await app.signUp(ADA);
    await app.call({ flow: "reset", email: ADA });
    const code = await app.codeFor(ADA);
    for (const [newPassword, reason] of [["short", "too_short"], ["password123", "common"], ["x".repeat(1025), "too_long"]] as const) {
      expect(failureOf(await app.call({ flow: "resetVerification", email: ADA, code, newPassword }))).toEqual({ code: "PASSWORD_REJECTED", reason });
    }
    expect((await app.call({ flow: "resetVerification", email: ADA, code, newPassword: NEW_PASSWORD })).kind).toBe("signedIn");
  });

  test("a locked-out account can still reset, and the reset lifts the lockout (RL-5)", async () => {
    const app = resetApp(true, { rateLimits: { failedSignIns: { max: 3 } } });
    await app.signUp(ADA);
    for (let i = 0; i < 3; i++) await app.call({ flow: "signIn", email: ADA, password: OTHER_PASSWORD });
    expectFailure(await app.call({ flow: "signIn", email: ADA, password: PASSWORD }), "RATE_LIMITED");
    await app.call({ flow: "reset", email: ADA });
    const code = await app.codeFor(ADA);
    expect((await app.call({ flow: "resetVerification", email: ADA, code, newPassword: NEW_PASSWORD })).kind).toBe("signedIn");
    expect((await app.call({ flow: "signIn", email: ADA, password: NEW_PASSWORD })).kind).toBe("signedIn");
  });

  test("wrong reset codes are counted per address, and a new code does not reset the count (RL-1, RL-2)", async () => {
    const app = resetApp(true, { rateLimits: { failedSignIns: { max: 3 } } });
    await app.signUp(ADA);
    await app.call({ flow: "reset", email: ADA });
    await app.call({ flow: "resetVerification", email: ADA, code: "00000000", newPassword: NEW_PASSWORD });
    await app.call({ flow: "resetVerification", email: ADA, code: "00000001", newPassword: NEW_PASSWORD });
    later(COOLDOWN);
    await app.call({ flow: "reset", email: ADA });
    const code = await app.codeFor(ADA);
    await app.call({ flow: "resetVerification", email: ADA, code: "00000002", newPassword: NEW_PASSWORD });
    expectFailure(await app.call({ flow: "resetVerification", email: ADA, code, newPassword: NEW_PASSWORD }), "RATE_LIMITED");
  });

  test("sends per address are limited, known or not (RL-3)", async () => {
    const app = resetApp(true, { rateLimits: { codeSends: { max: 2 } } });
    await app.signUp(ADA);
    for (const email of [ADA, "ann@example.com"]) {
      const kinds = [];
      for (let i = 0; i < 3; i++) {
        kinds.push((await app.call({ flow: "reset", email })).kind);
        later(COOLDOWN);
      }
      expect(kinds).toEqual(["codeSent", "codeSent", "failed"]);
    }
  });

  test("a reset proves the mailbox: the address counts as verified", async () => {
    const app = lifecycleApp({ reset: true });
    const ada = await app.signUp(ADA);
    expect((await everything(app.t)).users[0]!.emailVerificationTime).toBeUndefined();
    await app.call({ flow: "reset", email: ADA });
    const code = await app.codeFor(ADA);
    await app.call({ flow: "resetVerification", email: ADA, code, newPassword: NEW_PASSWORD });
    const user = await app.t.run((ctx) => ctx.db.get(ada.userId));
    expect(user!.emailVerificationTime).toBeDefined();
  });
});

describe("reset by link", () => {
  const linkApp = () => resetApp({ code: false, link: { siteUrl: SITE, path: "/reset" } });

  test("the link lands on the configured page with wardenReset, not the client's hand-off (OTP-7)", async () => {
    const app = linkApp();
    await app.signUp(ADA);
    const sent = await app.call({ flow: "reset", email: ADA });
    expect(sent.kind === "codeSent" && sent.verifier).toBeUndefined();
    const link = await app.linkFor(ADA);
    expect(link.origin + link.pathname).toBe(`${SITE}/reset`);
    expect([...link.searchParams.keys()]).toEqual(["wardenReset"]);
    expect(link.searchParams.get("wardenReset")!.length).toBeGreaterThanOrEqual(43); // 256 bits (OTP-1)
  });

  test("its token and a new password complete the reset, once, in any browser", async () => {
    const app = linkApp();
    const laptop = await app.signUp(ADA);
    await app.call({ flow: "reset", email: ADA });
    const token = (await app.linkFor(ADA)).searchParams.get("wardenReset")!;
    expect((await app.call({ flow: "resetVerification", token, newPassword: NEW_PASSWORD })).kind).toBe("signedIn");
    expectFailure(await app.call({ flow: "resetVerification", token, newPassword: OTHER_PASSWORD }), "INVALID_CODE");
    expect((await app.call({ flow: "signIn", email: ADA, password: NEW_PASSWORD })).kind).toBe("signedIn");
    expect((await wardenTables(app.t)).sessions.map((session) => session._id)).not.toContain(laptop.sessionId);
  });

  test("a link lives an hour at most (OTP-2); the token is stored only as a hash (OTP-5)", async () => {
    const app = linkApp();
    await app.signUp(ADA);
    await app.call({ flow: "reset", email: ADA });
    const token = (await app.linkFor(ADA)).searchParams.get("wardenReset")!;
    expect(JSON.stringify(await everything(app.t))).not.toContain(token);
    later(60 * MINUTE + 1);
    expectFailure(await app.call({ flow: "resetVerification", token, newPassword: NEW_PASSWORD }), "CODE_EXPIRED");
  });

  test("a verification link's token is no reset token (OTP-4)", async () => {
    const app = lifecycleApp({ verify: { code: false, link: { siteUrl: SITE } }, reset: { code: false, link: { siteUrl: SITE } } });
    await app.call({ flow: "signUp", email: ADA, password: PASSWORD });
    const token = (await app.linkFor(ADA)).searchParams.get("wardenCode")!;
    expectFailure(await app.call({ flow: "resetVerification", token, newPassword: NEW_PASSWORD }), "INVALID_CODE");
  });
});
