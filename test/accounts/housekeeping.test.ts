import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { api } from "../../example/convex/_generated/api";
import { expectFailure, wardenTables, type ExampleApp } from "../setup";
import { accountsApp, signUp } from "./support";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

const rowCount = async (t: ExampleApp) => Object.values(await wardenTables(t)).flat().length;

test("a spray of 1,000 unknown-email sign-ins leaves no rows behind once swept", async () => {
  const t = accountsApp();
  for (let i = 0; i < 1000; i++) {
    const params = { flow: "signIn" as const, email: `ghost${i}@example.com`, password: "whatever1" };
    expectFailure(await t.mutation(api.auth.signIn, { provider: "password", params }), "INVALID_CREDENTIALS");
  }
  const sprayed = await wardenTables(t);
  expect(sprayed.rateLimits).toHaveLength(1000);
  // Nothing about unknown identifiers is kept as an event.
  expect(sprayed.events).toEqual([]);
  // Runs every scheduled function, moving the clock to each: the sweeps and the limiter's own clearAll batches.
  await t.finishAllScheduledFunctions(vi.runAllTimers);
  expect(await wardenTables(t)).toEqual({
    accounts: [],
    sessions: [],
    challenges: [],
    events: [],
    disabledUsers: [],
    housekeeping: [],
    rateLimits: [],
  });
});

test("the counters of the spray are kept until their window is safely over", async () => {
  const t = accountsApp();
  await t.mutation(api.auth.signIn, { provider: "password", params: { flow: "signIn", email: "g@example.com", password: "x1234567" } });
  vi.advanceTimersByTime(HOUR + 1000);
  await t.finishInProgressScheduledFunctions();
  // A sweep ran after an hour, but a counter younger than the horizon (a day) is kept.
  expect((await wardenTables(t)).rateLimits).toHaveLength(1);
  expect((await wardenTables(t)).housekeeping).toHaveLength(1);
});

test("expired sessions and events are swept; live ones stay", async () => {
  const t = accountsApp({ session: { inactiveDurationMs: 2 * DAY, totalDurationMs: 30 * DAY }, events: { retentionMs: 3 * DAY } });
  const idle = await signUp(t, "ada");
  const active = await signUp(t, "bob");
  for (let day = 1; day <= 4; day++) {
    vi.advanceTimersByTime(DAY);
    await t.mutation(api.auth.refresh, { refreshToken: active.tokens.refreshToken }).then((result) => {
      if (result.kind === "signedIn") active.tokens = result.tokens;
    });
    await t.finishInProgressScheduledFunctions();
  }
  // Sweeps ran along the way (each planned for when the next row expires).
  vi.advanceTimersByTime(DAY);
  await t.finishInProgressScheduledFunctions();
  const { sessions, events } = await wardenTables(t);
  expect(sessions.map((session) => session.userId)).toEqual([active.userId]);
  // The sign-in events of day 0 expired after 3 days.
  expect(events).toEqual([]);
  expect(idle.userId).not.toBe(active.userId);
});

test("with nothing left to sweep, housekeeping stops and keeps no state", async () => {
  const t = accountsApp({ session: { inactiveDurationMs: DAY, totalDurationMs: DAY }, events: { retentionMs: HOUR } });
  await signUp(t, "ada");
  expect(await rowCount(t)).toBeGreaterThan(0);
  await t.finishAllScheduledFunctions(vi.runAllTimers);
  expect(await wardenTables(t)).toMatchObject({ sessions: [], events: [], housekeeping: [], rateLimits: [] });
  // Its account stays: accounts do not expire.
  expect((await wardenTables(t)).accounts).toHaveLength(1);
});
