import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { components } from "../example/convex/_generated/api";
import { exampleApp, wardenTables, type ExampleApp } from "./setup";

/**
 * The challenge store on its own, through the component's functions: every
 * invariant the flows rely on (OTP-1 to OTP-6) pinned where it lives.
 */
const store = components.warden.challenges;
const DIGITS = { alphabet: "0123456789", length: 8 };
const MINUTE = 60_000;

const issueCode = (t: ExampleApp, overrides: Partial<Parameters<typeof t.mutation<typeof store.issue>>[1]> = {}) =>
  t.mutation(store.issue, { purpose: "email:signIn", identifier: "ada@example.com", ttlMs: 10 * MINUTE, maxAttempts: 5, code: DIGITS, ...overrides });

const verify = (t: ExampleApp, code: string, purpose = "email:signIn", identifier = "ada@example.com") =>
  t.mutation(store.verifyCode, { purpose, identifier, code });

const wrong = (code: string) => code.replace(/./, (digit) => String((Number(digit) + 1) % 10));

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe("codes (OTP-1, OTP-3, OTP-5)", () => {
  test("a code is drawn from the alphabet at the length asked, and only its salted hash is stored", async () => {
    const t = exampleApp();
    const { code } = await issueCode(t);
    expect(code).toMatch(/^\d{8}$/);
    const [stored] = (await wardenTables(t)).challenges;
    expect(JSON.stringify(stored)).not.toContain(code);
    expect(stored!.codeHash).toMatch(/^[0-9a-f]{32}\$[0-9a-f]{64}$/);
  });

  test("codes are uniform: every digit in every position about equally often", async () => {
    const t = exampleApp();
    const counts = Array.from({ length: 8 }, () => new Array<number>(10).fill(0));
    for (let i = 0; i < 300; i++) {
      const { code } = await issueCode(t, { identifier: `user${i}@example.com` });
      [...code!].forEach((digit, position) => counts[position]![Number(digit)]!++);
    }
    // 30 expected per cell; a constant or counter-like generator fails this at once.
    for (const row of counts) for (const count of row) expect(count).toBeGreaterThan(8);
  });

  test("the right code is consumed: a second check of it finds nothing", async () => {
    const t = exampleApp();
    const { code } = await issueCode(t);
    expect(await verify(t, code!)).toMatchObject({ kind: "ok", challenge: { identifier: "ada@example.com" } });
    expect(await verify(t, code!)).toEqual({ kind: "failed", code: "INVALID_CODE" });
    expect((await wardenTables(t)).challenges).toEqual([]);
  });

  test("two checks racing with the right code: exactly one succeeds", async () => {
    const t = exampleApp();
    const { code } = await issueCode(t);
    const results = await Promise.all([verify(t, code!), verify(t, code!)]);
    expect(results.map((result) => result.kind).sort()).toEqual(["failed", "ok"]);
  });

  test("a new code replaces the old one for the same purpose and identifier", async () => {
    const t = exampleApp();
    const first = await issueCode(t);
    const second = await issueCode(t);
    expect(await verify(t, first.code!)).toMatchObject({ kind: "failed", code: "INVALID_CODE" });
    expect(await verify(t, second.code!)).toMatchObject({ kind: "ok" });
  });
});

describe("binding (OTP-4)", () => {
  test("a code issued for one identifier is refused for another, and survives for its own", async () => {
    const t = exampleApp();
    const { code } = await issueCode(t);
    await issueCode(t, { identifier: "grace@example.com" });
    expect(await verify(t, code!, "email:signIn", "grace@example.com")).toMatchObject({ kind: "failed" });
    expect(await verify(t, code!)).toMatchObject({ kind: "ok" });
  });

  test("a code issued for one purpose is refused for another", async () => {
    const t = exampleApp();
    const { code } = await issueCode(t);
    expect(await verify(t, code!, "password:reset")).toEqual({ kind: "failed", code: "INVALID_CODE" });
    expect(await verify(t, code!)).toMatchObject({ kind: "ok" });
  });

  test("a token redeemed for another purpose is refused and left untouched", async () => {
    const t = exampleApp();
    const { token } = await t.mutation(store.issue, { purpose: "email:link", identifier: "ada@example.com", ttlMs: MINUTE, maxAttempts: 1, token: true });
    expect(await t.mutation(store.redeem, { purpose: "oauth:state", token: token! })).toMatchObject({ kind: "failed" });
    expect(await t.mutation(store.redeem, { purpose: "email:link", token: token! })).toMatchObject({ kind: "ok" });
  });

  test("a token issued with a binding needs it: without it, the token is burnt", async () => {
    const t = exampleApp();
    const issued = await t.mutation(store.issue, { purpose: "oauth:handoff", identifier: "github", ttlMs: MINUTE, maxAttempts: 1, token: true, binding: true });
    expect(JSON.stringify(await wardenTables(t))).not.toContain(issued.binding!);
    const stolen = await t.mutation(store.redeem, { purpose: "oauth:handoff", token: issued.token!, binding: "a guess" });
    expect(stolen).toMatchObject({ kind: "failed", code: "INVALID_CODE" });
    // Seen by someone without the binding: even the right browser cannot use it now.
    const late = await t.mutation(store.redeem, { purpose: "oauth:handoff", token: issued.token!, binding: issued.binding! });
    expect(late).toMatchObject({ kind: "failed", code: "INVALID_CODE" });
  });

  test("with its binding, the token redeems once and hands back its data", async () => {
    const t = exampleApp();
    const issued = await t.mutation(store.issue, {
      purpose: "oauth:handoff",
      identifier: "github",
      ttlMs: MINUTE,
      maxAttempts: 1,
      token: true,
      binding: true,
      userId: "user1",
      data: { redirectTo: "/home" },
    });
    const args = { purpose: "oauth:handoff", token: issued.token!, binding: issued.binding! };
    expect(await t.mutation(store.redeem, args)).toMatchObject({
      kind: "ok",
      challenge: { identifier: "github", userId: "user1", data: { redirectTo: "/home" } },
    });
    expect(await t.mutation(store.redeem, args)).toMatchObject({ kind: "failed" });
  });
});

describe("attempts and expiry (OTP-2, OTP-6)", () => {
  test("wrong codes spend the budget; after it the right code is dead too", async () => {
    const t = exampleApp();
    const { code } = await issueCode(t, { maxAttempts: 3 });
    expect(await verify(t, wrong(code!))).toEqual({ kind: "failed", code: "INVALID_CODE", attemptsLeft: 2 });
    expect(await verify(t, wrong(code!))).toEqual({ kind: "failed", code: "INVALID_CODE", attemptsLeft: 1 });
    expect(await verify(t, wrong(code!))).toEqual({ kind: "failed", code: "INVALID_CODE", attemptsLeft: 0 });
    expect(await verify(t, code!)).toEqual({ kind: "failed", code: "INVALID_CODE" });
  });

  test("a right code after its lifetime is CODE_EXPIRED, and consumed", async () => {
    const t = exampleApp();
    const { code } = await issueCode(t, { ttlMs: 10 * MINUTE });
    vi.advanceTimersByTime(10 * MINUTE);
    expect(await verify(t, code!)).toEqual({ kind: "failed", code: "CODE_EXPIRED" });
    expect(await verify(t, code!)).toEqual({ kind: "failed", code: "INVALID_CODE" });
  });

  test("a wrong code after expiry says nothing about expiry", async () => {
    const t = exampleApp();
    const { code } = await issueCode(t);
    vi.advanceTimersByTime(11 * MINUTE);
    expect(await verify(t, wrong(code!))).toMatchObject({ kind: "failed", code: "INVALID_CODE" });
  });

  test("peek finds a token without consuming it; settle consumes it or spends an attempt", async () => {
    const t = exampleApp();
    const { token } = await t.mutation(store.issue, { purpose: "secondFactor", identifier: "user1", ttlMs: MINUTE, maxAttempts: 2, token: true });
    const peeked = await t.query(store.peek, { purpose: "secondFactor", token: token! });
    expect(peeked).toMatchObject({ kind: "ok", attemptsLeft: 2 });
    if (peeked.kind !== "ok") return;
    await t.mutation(store.settle, { challengeId: peeked.challenge.challengeId, succeeded: false });
    expect(await t.query(store.peek, { purpose: "secondFactor", token: token! })).toMatchObject({ attemptsLeft: 1 });
    await t.mutation(store.settle, { challengeId: peeked.challenge.challengeId, succeeded: false });
    expect(await t.query(store.peek, { purpose: "secondFactor", token: token! })).toEqual({ kind: "failed", code: "INVALID_CODE" });
  });

  test("bad shapes are refused when issued: a weak alphabet, a short code, a day-long lifetime, nothing to check", async () => {
    const t = exampleApp();
    await expect(issueCode(t, { code: { alphabet: "0", length: 8 } })).rejects.toThrow();
    await expect(issueCode(t, { code: { alphabet: "0123456789", length: 3 } })).rejects.toThrow();
    await expect(issueCode(t, { code: { alphabet: "00123456789", length: 8 } })).rejects.toThrow();
    await expect(issueCode(t, { ttlMs: 24 * 60 * MINUTE + 1 })).rejects.toThrow();
    await expect(t.mutation(store.issue, { purpose: "x", identifier: "y", ttlMs: MINUTE, maxAttempts: 1 })).rejects.toThrow();
    expect((await wardenTables(t)).challenges).toEqual([]);
  });
});

describe("housekeeping", () => {
  test("expired challenges are swept by the schedule their issue set up", async () => {
    const t = exampleApp();
    for (let i = 0; i < 20; i++) await issueCode(t, { identifier: `user${i}@example.com` });
    const live = await issueCode(t, { identifier: "late@example.com", ttlMs: 24 * 60 * MINUTE });
    expect((await wardenTables(t)).challenges).toHaveLength(21);
    // The first sweep is due an hour after the first issue; run it, and nothing planned later.
    vi.advanceTimersByTime(61 * MINUTE);
    await t.finishInProgressScheduledFunctions();
    const left = (await wardenTables(t)).challenges;
    expect(left.map((challenge) => challenge._id)).toEqual([live.challengeId]);
  });
});
