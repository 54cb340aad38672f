import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { components } from "../../example/convex/_generated/api";
import { exampleApp, wardenTables, type ExampleApp } from "../setup";

/**
 * The challenge store's functions a send relies on, on their own: `lookup`
 * (what is under way for an address, secrets left out), `rekey` (fresh
 * secrets for a challenge, drawn where they are sent), `issueToSend` (the
 * cooldown and the send limit, in the same call), `markUndelivered` (a
 * failed send noted on it), and `verifyCode` with the failure limit and the
 * account lookup it folds in.
 */
const store = components.warden.challenges;
const DIGITS = { alphabet: "0123456789", length: 8 };
const MINUTE = 60_000;
const ADA = "ada@example.com";

const issue = (t: ExampleApp, extra: Record<string, unknown> = {}) =>
  t.mutation(store.issue, { purpose: "email:signIn", identifier: ADA, ttlMs: 10 * MINUTE, maxAttempts: 5, code: DIGITS, ...extra });

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe("lookup", () => {
  test("the newest challenge for (purpose, identifier), without a secret", async () => {
    const t = exampleApp();
    expect(await t.query(store.lookup, { purpose: "email:signIn", identifier: ADA })).toBeNull();
    const issued = await issue(t, { token: true, binding: true, data: { profile: { name: "Ada" } } });
    const found = await t.query(store.lookup, { purpose: "email:signIn", identifier: ADA });
    expect(found).toEqual({
      challengeId: issued.challengeId,
      createdAt: expect.any(Number),
      expiresAt: issued.expiresAt,
      attemptsLeft: 5,
      data: { profile: { name: "Ada" } },
    });
    for (const secret of [issued.code!, issued.token!, issued.binding!]) expect(JSON.stringify(found)).not.toContain(secret);
    expect(await t.query(store.lookup, { purpose: "password:reset", identifier: ADA })).toBeNull();
  });
});

describe("rekey", () => {
  test("draws a new code and token: the old ones stop working, the new ones work", async () => {
    const t = exampleApp();
    const issued = await issue(t, { token: true });
    const fresh = await t.mutation(store.rekey, { challengeId: issued.challengeId, code: DIGITS, token: true });
    expect(fresh).toMatchObject({ expiresAt: issued.expiresAt, code: expect.stringMatching(/^\d{8}$/), token: expect.any(String) });
    expect(fresh!.token).not.toBe(issued.token);
    expect(await t.mutation(store.redeem, { purpose: "email:signIn", token: issued.token! })).toMatchObject({ code: "INVALID_CODE" });
    if (fresh!.code !== issued.code) {
      expect(await t.mutation(store.verifyCode, { purpose: "email:signIn", identifier: ADA, code: issued.code! })).toMatchObject({
        code: "INVALID_CODE",
      });
    }
    expect(await t.mutation(store.verifyCode, { purpose: "email:signIn", identifier: ADA, code: fresh!.code! })).toMatchObject({
      kind: "ok",
    });
  });

  test("keeps the attempts spent, the expiry and the binding", async () => {
    const t = exampleApp();
    const issued = await issue(t, { token: true, binding: true });
    await t.mutation(store.verifyCode, { purpose: "email:signIn", identifier: ADA, code: "not-it" });
    const fresh = await t.mutation(store.rekey, { challengeId: issued.challengeId, token: true });
    expect((await t.query(store.lookup, { purpose: "email:signIn", identifier: ADA }))!.attemptsLeft).toBe(4);
    expect(await t.mutation(store.redeem, { purpose: "email:signIn", token: fresh!.token!, binding: issued.binding! })).toMatchObject({
      kind: "ok",
    });
  });

  test("null once the challenge is used, replaced or expired; nothing is stored in plaintext", async () => {
    const t = exampleApp();
    const first = await issue(t);
    await issue(t);
    expect(await t.mutation(store.rekey, { challengeId: first.challengeId, code: DIGITS })).toBeNull();
    const live = await issue(t, { identifier: "bob@example.com" });
    const fresh = await t.mutation(store.rekey, { challengeId: live.challengeId, code: DIGITS });
    expect(JSON.stringify(await wardenTables(t))).not.toContain(fresh!.code!);
    // A little past the lifetime: convex-test may run a transaction a millisecond ahead of the clock.
    vi.advanceTimersByTime(10 * MINUTE + 10);
    expect(await t.mutation(store.rekey, { challengeId: live.challengeId, code: DIGITS })).toBeNull();
  });

  test("asking for nothing, or a bad alphabet, is a programmer error", async () => {
    const t = exampleApp();
    const { challengeId } = await issue(t);
    await expect(t.mutation(store.rekey, { challengeId })).rejects.toThrow(TypeError);
    await expect(t.mutation(store.rekey, { challengeId, code: { alphabet: "00", length: 8 } })).rejects.toThrow(TypeError);
  });
});

/** A fixed-window rule as the app passes it: `rate` per hour. */
const window = (name: string, key: string, rate: number) => ({ name, key, kind: "fixed window" as const, rate, periodMs: 60 * MINUTE });
const sends = (rate: number) => [window("codeSends", ADA, rate)];

const issueToSend = (t: ExampleApp, rules = sends(10), resendCooldownMs = MINUTE) =>
  t.mutation(components.warden.sends.issueToSend, {
    purpose: "email:signIn",
    identifier: ADA,
    ttlMs: 10 * MINUTE,
    maxAttempts: 5,
    code: DIGITS,
    rules,
    resendCooldownMs,
  });

describe("issueToSend", () => {
  test("held to the cooldown of the challenge it would replace; refused, nothing is counted or replaced", async () => {
    const t = exampleApp();
    const first = await issueToSend(t, sends(2));
    expect(first).toMatchObject({ kind: "issued", code: expect.any(String) });
    vi.advanceTimersByTime(20_000);
    expect(await issueToSend(t, sends(2))).toEqual({ kind: "refused", retryAfterMs: expect.closeTo(40_000, -1) });
    // The refusal replaced nothing: the first code still works.
    const [live] = (await wardenTables(t)).challenges;
    expect(live!._id).toBe(first.kind === "issued" ? first.challengeId : null);
    vi.advanceTimersByTime(40_000);
    // ...and counted nothing: the limit of 2 still has room for this one.
    expect((await issueToSend(t, sends(2))).kind).toBe("issued");
    expect((await wardenTables(t)).challenges).toHaveLength(1);
  });

  test("over the send limit: refused with the limit's wait, and the live challenge stays", async () => {
    const t = exampleApp();
    await issueToSend(t, sends(1), 0);
    const before = (await wardenTables(t)).challenges;
    const refused = await issueToSend(t, sends(1), 0);
    expect(refused).toEqual({ kind: "refused", retryAfterMs: expect.closeTo(60 * MINUTE, -1) });
    expect((await wardenTables(t)).challenges).toEqual(before);
  });

  test("a challenge whose message failed may be sent again at once, or when the adapter said", async () => {
    const t = exampleApp();
    const first = await issueToSend(t);
    if (first.kind !== "issued") throw new Error("not issued");
    await t.mutation(components.warden.sends.markUndelivered, { challengeId: first.challengeId, reason: "unavailable", retryAfterMs: 5000 });
    expect(await issueToSend(t)).toEqual({ kind: "refused", retryAfterMs: expect.closeTo(5000, -1) });
    vi.advanceTimersByTime(5000);
    const second = await issueToSend(t);
    if (second.kind !== "issued") throw new Error("not issued");
    await t.mutation(components.warden.sends.markUndelivered, { challengeId: second.challengeId, reason: "rejected" });
    expect((await issueToSend(t)).kind).toBe("issued");
  });

  test("an expired challenge holds nothing back", async () => {
    const t = exampleApp();
    await t.mutation(components.warden.sends.issueToSend, {
      purpose: "email:signIn",
      identifier: ADA,
      ttlMs: 30_000,
      maxAttempts: 5,
      code: DIGITS,
      rules: sends(10),
      resendCooldownMs: MINUTE,
    });
    vi.advanceTimersByTime(30_000);
    expect((await issueToSend(t)).kind).toBe("issued");
  });
});

describe("verifyCode with the rest of a code step", () => {
  const failures = (rate: number) => [window("failedSignIns", `email:${ADA}`, rate)];
  const verify = (t: ExampleApp, code: string, extra: Record<string, unknown> = {}) =>
    t.mutation(store.verifyCode, { purpose: "email:signIn", identifier: ADA, code, ...extra });
  const wrong = (code: string) => (code === "00000000" ? "11111111" : "00000000");

  test("wrong codes count against the failure limit across codes (RL-2); over it the right code is not even looked at", async () => {
    const t = exampleApp();
    const first = await issue(t);
    expect(await verify(t, wrong(first.code!), { failures: failures(2) })).toEqual({ kind: "failed", code: "INVALID_CODE", attemptsLeft: 4 });
    const second = await issue(t);
    await verify(t, wrong(second.code!), { failures: failures(2) });
    expect(await verify(t, second.code!, { failures: failures(2) })).toEqual({
      kind: "failed",
      code: "RATE_LIMITED",
      retryAfterMs: expect.closeTo(60 * MINUTE, -1),
    });
    // Refused before it was looked at, so not consumed: the same code still passes a check without the limit.
    expect(await verify(t, second.code!)).toMatchObject({ kind: "ok" });
  });

  test("a success clears the account's failures; an expired code counts none", async () => {
    const t = exampleApp();
    const first = await issue(t);
    await verify(t, wrong(first.code!), { failures: failures(2) });
    expect(await verify(t, first.code!, { failures: failures(2) })).toMatchObject({ kind: "ok" });
    expect((await wardenTables(t)).rateLimits.filter((row) => row.name === "failedSignIns")).toEqual([]);
    const late = await issue(t, { ttlMs: 1000 });
    vi.advanceTimersByTime(2000);
    expect(await verify(t, late.code!, { failures: failures(1) })).toEqual({ kind: "failed", code: "CODE_EXPIRED" });
    const next = await issue(t);
    expect(await verify(t, next.code!, { failures: failures(1) })).toMatchObject({ kind: "ok" });
  });

  test("a wrong code says when the message was not sent, until the challenge is dead", async () => {
    const t = exampleApp();
    const issued = await issue(t, { maxAttempts: 2 });
    await t.mutation(components.warden.sends.markUndelivered, { challengeId: issued.challengeId, reason: "unavailable", retryAfterMs: 5000 });
    expect(await verify(t, wrong(issued.code!))).toEqual({
      kind: "failed",
      code: "INVALID_CODE",
      attemptsLeft: 1,
      undelivered: { reason: "unavailable", retryAfterMs: 5000, at: expect.any(Number) },
    });
    expect(await verify(t, wrong(issued.code!))).toEqual({ kind: "failed", code: "INVALID_CODE", attemptsLeft: 0 });
  });

  test("with account: the account the code signs in, or none and the sign-up counted", async () => {
    const t = exampleApp();
    const signUps = [{ name: "signUps", kind: "token bucket" as const, rate: 1, periodMs: 60 * MINUTE, capacity: 1 }];
    const account = { provider: "email", signUps };
    const first = await issue(t);
    expect(await verify(t, first.code!, { account })).toMatchObject({ kind: "ok", account: null, signUp: { ok: true } });
    const second = await issue(t);
    expect(await verify(t, second.code!, { account })).toMatchObject({ kind: "ok", account: null, signUp: { ok: false } });
    const userId = await t.run((ctx) => ctx.db.insert("users", {}));
    await t.mutation(components.warden.accounts.create, { userId, provider: "email", providerAccountId: ADA });
    const third = await issue(t);
    const found = await verify(t, third.code!, { account });
    expect(found).toMatchObject({ kind: "ok", account: { userId } });
    expect(found).not.toHaveProperty("signUp");
  });
});
