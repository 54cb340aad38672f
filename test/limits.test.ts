import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { api, components } from "../example/convex/_generated/api";
import { ADA, exampleApp, expectFailure, signInParams, signUpParams, wardenTables, type ExampleApp } from "./setup";

/**
 * Rate limits: the component's rules over @convex-dev/rate-limiter on their
 * own, then every path that uses them (RL-1 to RL-5), per account and per
 * client IP.
 */
const limits = components.warden.limits;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const window = (name: string, key: string, rate: number, periodMs = HOUR) =>
  ({ name, key, kind: "fixed window" as const, rate, periodMs });

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

const counters = async (t: ExampleApp, name?: string) =>
  (await wardenTables(t)).rateLimits.filter((row) => name === undefined || row.name === name);

describe("the component's rules", () => {
  test("a fixed window allows its rate, then refuses until the window that began at the first count ends", async () => {
    const t = exampleApp();
    const rules = [window("demo", "k", 3)];
    for (let i = 0; i < 3; i++) expect(await t.mutation(limits.consume, { rules })).toMatchObject({ ok: true });
    vi.advanceTimersByTime(10 * MINUTE);
    expect(await t.mutation(limits.consume, { rules })).toEqual({ ok: false, retryAfterMs: 50 * MINUTE, name: "demo" });
    vi.advanceTimersByTime(50 * MINUTE);
    expect(await t.mutation(limits.consume, { rules })).toEqual({ ok: true, remaining: 3 });
  });

  test("check reads and never writes; consume reports what the first rule had left", async () => {
    const t = exampleApp();
    const rules = [window("demo", "k", 5)];
    expect(await t.query(limits.check, { rules })).toEqual({ ok: true, remaining: 5 });
    expect(await counters(t)).toEqual([]);
    expect(await t.mutation(limits.consume, { rules })).toEqual({ ok: true, remaining: 5 });
    expect(await t.query(limits.check, { rules })).toEqual({ ok: true, remaining: 4 });
  });

  test("an account read under a limit: the account while allowed, nothing read once refused", async () => {
    const t = exampleApp();
    await t.mutation(api.auth.signIn, { provider: "password", params: signUpParams(ADA) });
    const rules = [window("failedSignIns", "ada", 2)];
    const key = { provider: "password", providerAccountId: ADA.email };
    const allowed = await t.query(components.warden.accounts.getUnderLimit, { ...key, rules });
    expect(allowed).toMatchObject({ limit: { ok: true, remaining: 2 }, account: { userId: expect.any(String) } });
    expect(allowed.account).not.toHaveProperty("disabled");
    for (let i = 0; i < 2; i++) await t.mutation(limits.consume, { rules });
    const refused = await t.query(components.warden.accounts.getUnderLimit, { ...key, rules });
    expect(refused).toEqual({ limit: { ok: false, retryAfterMs: expect.any(Number), name: "failedSignIns" }, account: null });
    expect(refused.limit.ok === false && refused.limit.retryAfterMs).toBeGreaterThan(HOUR - MINUTE);
  });

  test("a sign-up's account read after counting: counted and read while allowed, neither once refused", async () => {
    const t = exampleApp();
    await t.mutation(api.auth.signIn, { provider: "password", params: signUpParams(ADA) });
    const rules = [window("signUpsPerIp", "203.0.113.7", 1)];
    const key = { provider: "password", providerAccountId: ADA.email };
    const first = await t.mutation(components.warden.accounts.getCounted, { ...key, rules });
    expect(first).toMatchObject({ limit: { ok: true, remaining: 1 }, account: { userId: expect.any(String) } });
    expect(await counters(t, "signUpsPerIp")).toHaveLength(1);
    const refused = await t.mutation(components.warden.accounts.getCounted, { ...key, rules });
    expect(refused).toEqual({ limit: { ok: false, retryAfterMs: expect.any(Number), name: "signUpsPerIp" }, account: null });
    expect(await t.query(limits.check, { rules })).toMatchObject({ ok: false });
  });

  test("several rules count all or nothing", async () => {
    const t = exampleApp();
    const account = window("acct", "ada", 10);
    const ip = window("ip", "203.0.113.7", 1);
    expect(await t.mutation(limits.consume, { rules: [account, ip] })).toMatchObject({ ok: true });
    expect(await t.mutation(limits.consume, { rules: [account, ip] })).toMatchObject({ ok: false, name: "ip" });
    // The refused call counted nothing against the account either.
    expect(await t.query(limits.check, { rules: [account] })).toEqual({ ok: true, remaining: 9 });
  });

  test("several buckets count all or nothing too, whichever refuses", async () => {
    const t = exampleApp();
    const bucket = (name: string, key: string, rate: number) =>
      ({ name, key, kind: "token bucket" as const, rate, periodMs: HOUR, capacity: rate });
    const address = bucket("sends", "ada@example.com", 2);
    const ip = bucket("sendsPerIp", "203.0.113.7", 1);
    expect(await t.mutation(limits.consume, { rules: [address, ip] })).toEqual({ ok: true });
    // The IP's bucket is empty: the address's counts nothing, whichever comes first.
    expect(await t.mutation(limits.consume, { rules: [address, ip] })).toMatchObject({ ok: false, name: "sendsPerIp" });
    expect(await t.mutation(limits.consume, { rules: [ip, address] })).toMatchObject({ ok: false, name: "sendsPerIp" });
    expect(await t.mutation(limits.consume, { rules: [address] })).toEqual({ ok: true });
    expect(await t.mutation(limits.consume, { rules: [address] })).toMatchObject({ ok: false, name: "sends" });
  });

  test("two sharded buckets in one call are a programmer error", async () => {
    const t = exampleApp();
    const sharded = (name: string) => ({ name, kind: "token bucket" as const, rate: 5, periodMs: HOUR, shards: 2 });
    await expect(t.mutation(limits.consume, { rules: [sharded("a"), sharded("b")] })).rejects.toThrow(TypeError);
  });

  test("a count after the window ended starts a new row, so no live row is older than its window", async () => {
    const t = exampleApp();
    const rules = [window("demo", "k", 3, 10 * MINUTE)];
    await t.mutation(limits.consume, { rules });
    const [first] = await counters(t, "demo");
    vi.advanceTimersByTime(11 * MINUTE);
    await t.mutation(limits.consume, { rules });
    const [second] = await counters(t, "demo");
    expect(second!._id).not.toBe(first!._id);
    expect(second!._creationTime as number).toBeGreaterThan((first!._creationTime as number) + 10 * MINUTE);
  });

  test("reset clears a key's count", async () => {
    const t = exampleApp();
    const rules = [window("demo", "k", 2)];
    await t.mutation(limits.consume, { rules });
    await t.mutation(limits.consume, { rules });
    await t.mutation(limits.reset, { rules });
    expect(await t.query(limits.check, { rules })).toEqual({ ok: true, remaining: 2 });
  });

  test("a sharded bucket spreads an app-wide limit over rows and still holds the total", async () => {
    const t = exampleApp();
    const rules = [{ name: "app", kind: "token bucket" as const, rate: 20, periodMs: HOUR, capacity: 20, shards: 4 }];
    const results = [];
    for (let i = 0; i < 30; i++) results.push((await t.mutation(limits.consume, { rules })).ok);
    const allowed = results.filter(Boolean).length;
    // Two-choice sharding may refuse a little early, never late.
    expect(allowed).toBeLessThanOrEqual(20);
    expect(allowed).toBeGreaterThanOrEqual(14);
    expect((await counters(t, "app")).length).toBeGreaterThan(1);
  });

  test("under 16 concurrent consumes of one key, each gets a typed answer and exactly the rate passes (RL-4)", async () => {
    const t = exampleApp();
    const rules = [window("demo", "k", 10)];
    const results = await Promise.all(Array.from({ length: 16 }, () => t.mutation(limits.consume, { rules })));
    expect(results.filter((result) => result.ok)).toHaveLength(10);
    expect(results.filter((result) => !result.ok && result.retryAfterMs > 0)).toHaveLength(6);
  });
});

describe("sign-ups (RL-3)", () => {
  const signUp = (t: Pick<ExampleApp, "mutation">, i: number) =>
    t.mutation(api.auth.signIn, { provider: "password", params: signUpParams({ email: `user${i}@example.com`, password: ADA.password }) });

  test("per client IP: the 21st sign-up in an hour from one IP is refused with retry-after, another IP is not", async () => {
    const t = exampleApp();
    const fromOneIp = t.withRequestMetadata({ ip: "203.0.113.7" });
    for (let i = 0; i < 20; i++) expect((await signUp(fromOneIp, i)).kind).toBe("signedIn");
    const refused = await signUp(fromOneIp, 20);
    expect(refused).toMatchObject({ kind: "failed", error: { code: "RATE_LIMITED" } });
    expect((await signUp(t.withRequestMetadata({ ip: "198.51.100.1" }), 21)).kind).toBe("signedIn");
    // Refused before any hashing or writing: no user was created for it.
    const users = await t.run((ctx) => ctx.db.query("users").collect());
    expect(users.map((user) => user.email)).not.toContain("user20@example.com");
  });

  test("a taken email is counted too, so sign-up cannot be used to enumerate accounts for free", async () => {
    const t = exampleApp({ rateLimits: { signUpsPerIp: { max: 3 } } });
    const one = t.withRequestMetadata({ ip: "203.0.113.7" });
    await signUp(one, 0);
    expectFailure(await signUp(one, 0), "ACCOUNT_EXISTS");
    expectFailure(await signUp(one, 0), "ACCOUNT_EXISTS");
    expectFailure(await signUp(one, 0), "RATE_LIMITED");
  });

  test("app-wide, whatever the IPs", async () => {
    const t = exampleApp({ rateLimits: { signUps: { max: 10, windowMs: HOUR }, signUpsPerIp: false } });
    const codes: string[] = [];
    const signedIn = () => codes.filter((code) => code === "signedIn").length;
    // Each attempt tries two shards at random, so the last tokens take a few tries to find.
    for (let i = 0; i < 80 && signedIn() < 10; i++) {
      const result = await signUp(t.withRequestMetadata({ ip: `198.51.100.${i}` }), i);
      codes.push(result.kind === "failed" ? result.error.code : result.kind);
    }
    expect(signedIn()).toBe(10);
    expect(codes.filter((code) => code !== "signedIn").every((code) => code === "RATE_LIMITED")).toBe(true);
    // Spent everywhere: whatever shards the next attempts pick, they are refused.
    for (let i = 80; i < 85; i++) {
      expect(await signUp(t.withRequestMetadata({ ip: `198.51.100.${i}` }), i)).toMatchObject({ error: { code: "RATE_LIMITED" } });
    }
  });

  test("limits can be turned off one by one", async () => {
    const t = exampleApp({ rateLimits: { signUps: false, signUpsPerIp: false } });
    const one = t.withRequestMetadata({ ip: "203.0.113.7" });
    for (let i = 0; i < 25; i++) expect((await signUp(one, i)).kind).toBe("signedIn");
    expect(await counters(t)).toEqual([]);
  });
});

describe("failed sign-ins per client IP", () => {
  test("credential stuffing across many accounts from one IP is stopped; the accounts' owners elsewhere are not", async () => {
    const t = exampleApp({ rateLimits: { failedSignInsPerIp: { max: 5 } } });
    await t.mutation(api.auth.signIn, { provider: "password", params: signUpParams() });
    const attacker = t.withRequestMetadata({ ip: "203.0.113.66" });
    for (let i = 0; i < 5; i++) {
      const guess = signInParams({ email: `victim${i}@example.com`, password: "123456789" });
      expectFailure(await attacker.mutation(api.auth.signIn, { provider: "password", params: guess }), "INVALID_CREDENTIALS");
    }
    const next = signInParams({ email: "victim9@example.com", password: "123456789" });
    expectFailure(await attacker.mutation(api.auth.signIn, { provider: "password", params: next }), "RATE_LIMITED");
    const owner = t.withRequestMetadata({ ip: "198.51.100.1" });
    expect((await owner.mutation(api.auth.signIn, { provider: "password", params: signInParams() })).kind).toBe("signedIn");
  });
});

describe("what an attacker leaves behind", () => {
  test("a spray of unknown emails leaves counters only until their windows end; the sweep then deletes them", async () => {
    const t = exampleApp({ rateLimits: { failedSignInsPerIp: false } });
    for (let i = 0; i < 50; i++) {
      const guess = signInParams({ email: `nobody${i}@example.com`, password: "guess-guess" });
      expectFailure(await t.mutation(api.auth.signIn, { provider: "password", params: guess }), "INVALID_CREDENTIALS");
    }
    expect(await counters(t, "failedSignIns")).toHaveLength(50);
    // The counters matter for their window (an hour); the sweep keeps them a day at least.
    vi.advanceTimersByTime(25 * HOUR);
    await t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await counters(t)).toEqual([]);
  });
});
