import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { convexAuth } from "convex-warden/server";
import { Password } from "convex-warden/providers/Password";
import { api, components } from "../example/convex/_generated/api";
import type { SignInResult } from "../src/shared/results";
import { ADA, exampleApp, expectFailure, signInParams, signUpParams, wardenTables, type ExampleApp } from "./setup";

const HOUR = 3_600_000;
// Typed as any record: some tests send malformed params on purpose.
const signIn = (t: ExampleApp, params: Record<string, unknown>) =>
  t.mutation(api.auth.signIn, { provider: "password", params: params as never });
const wrong = signInParams({ email: ADA.email, password: "wrong password" });
/** The per-account failure counters the limiter keeps. */
const failureCounters = async (t: ExampleApp) =>
  (await wardenTables(t)).rateLimits.filter((row) => row.name === "failedSignIns");

// The clock may tick while the attempts run: the wait is the window, give or take a second.
function expectRetryAfter(result: SignInResult, windowMs: number) {
  const retryAfterMs = result.kind === "failed" && result.error.code === "RATE_LIMITED" ? result.error.retryAfterMs : undefined;
  expect(retryAfterMs).toBeGreaterThan(windowMs - 1000);
  expect(retryAfterMs).toBeLessThanOrEqual(windowMs);
}

async function failTimes(t: ExampleApp, times: number) {
  for (let i = 0; i < times; i++) expectFailure(await signIn(t, wrong), "INVALID_CREDENTIALS");
}

describe("failed sign-in attempts are limited per account (RL-1)", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  test("after 10 failures in an hour even the right password is refused, with retry-after", async () => {
    const t = exampleApp();
    await signIn(t, signUpParams());
    await failTimes(t, 10);
    const locked = await signIn(t, signInParams());
    expectFailure(locked, "RATE_LIMITED");
    expectRetryAfter(locked, HOUR);
  });

  test("the failures are counted although each sign-in fails", async () => {
    const t = exampleApp();
    await signIn(t, signUpParams());
    await failTimes(t, 3);
    // The limiter keeps what is left of the window: 10 - 3.
    expect(await failureCounters(t)).toMatchObject([{ key: `password:${ADA.email}`, value: 7 }]);
  });

  test("the lock lifts when the window ends (RL-5)", async () => {
    const t = exampleApp();
    await signIn(t, signUpParams());
    await failTimes(t, 10);
    vi.advanceTimersByTime(HOUR - 1000);
    expectFailure(await signIn(t, signInParams()), "RATE_LIMITED");
    vi.advanceTimersByTime(1000);
    expect((await signIn(t, signInParams())).kind).toBe("signedIn");
  });

  test("a success clears the count", async () => {
    const t = exampleApp();
    await signIn(t, signUpParams());
    await failTimes(t, 9);
    expect((await signIn(t, signInParams())).kind).toBe("signedIn");
    expect(await failureCounters(t)).toEqual([]);
    await failTimes(t, 9);
    expect((await signIn(t, signInParams())).kind).toBe("signedIn");
  });

  test("unknown emails are limited too, so probing costs the same", async () => {
    const t = exampleApp();
    const ghost = signInParams({ email: "ghost@example.com", password: "whatever1" });
    for (let i = 0; i < 10; i++) expectFailure(await signIn(t, ghost), "INVALID_CREDENTIALS");
    expectFailure(await signIn(t, ghost), "RATE_LIMITED");
  });

  test("the limit is per account: another account is unaffected", async () => {
    const t = exampleApp();
    await signIn(t, signUpParams());
    await signIn(t, signUpParams({ email: "bob@example.com", password: ADA.password }));
    await failTimes(t, 10);
    expect((await signIn(t, signInParams({ email: "bob@example.com", password: ADA.password }))).kind).toBe("signedIn");
  });

  test("the limit and window are configurable", async () => {
    const t = exampleApp({ rateLimits: { failedSignIns: { max: 3, windowMs: 60_000 } } });
    await signIn(t, signUpParams());
    await failTimes(t, 3);
    const locked = await signIn(t, signInParams());
    expectFailure(locked, "RATE_LIMITED");
    expectRetryAfter(locked, 60_000);
  });

  test("a limit above 100 is refused at configuration time", () => {
    const options = { providers: [Password()], rateLimits: { failedSignIns: { max: 101 } } };
    expect(() => convexAuth(components.warden, options)).toThrow(
      expect.objectContaining({ code: "INVALID_CONFIG", option: "rateLimits.failedSignIns.max" }),
    );
  });
});

test("concurrent attempts on one account get a typed answer each, and exactly the limit is counted (RL-4)", async () => {
  const t = exampleApp();
  await signIn(t, signUpParams());
  const results = await Promise.all(Array.from({ length: 16 }, () => signIn(t, wrong)));
  const codes = results.map((result) => (result.kind === "failed" ? result.error.code : result.kind));
  expect(codes.filter((code) => code === "INVALID_CREDENTIALS")).toHaveLength(10);
  expect(codes.filter((code) => code === "RATE_LIMITED")).toHaveLength(6);
  expect(await failureCounters(t)).toMatchObject([{ value: 0 }]);
});
