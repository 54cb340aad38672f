import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { components } from "../../example/convex/_generated/api";
import { exampleApp, wardenTables, type ExampleApp } from "../setup";

/**
 * The challenge store's functions a send relies on, on their own: `lookup`
 * (what is under way for an address, secrets left out), `rekey` (fresh
 * secrets for a challenge, drawn where they are sent), `annotate` (a failed
 * send noted on it).
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

describe("annotate", () => {
  test("adds fields to the data, keeping the others; nothing when the challenge is gone", async () => {
    const t = exampleApp();
    const { challengeId } = await issue(t, { data: { profile: { name: "Ada" } } });
    await t.mutation(store.annotate, { challengeId, data: { undelivered: { reason: "unavailable", at: 1 } } });
    expect((await t.query(store.lookup, { purpose: "email:signIn", identifier: ADA }))!.data).toEqual({
      profile: { name: "Ada" },
      undelivered: { reason: "unavailable", at: 1 },
    });
    await t.mutation(store.discard, { purpose: "email:signIn", identifier: ADA });
    await t.mutation(store.annotate, { challengeId, data: { late: true } });
    expect((await wardenTables(t)).challenges).toEqual([]);
  });
});
