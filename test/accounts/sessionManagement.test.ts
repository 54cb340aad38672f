import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { SESSION_BATCH } from "../../convex/lib/userRows";
import { api, components as appComponents } from "../../example/convex/_generated/api";
import { expectFailure, wardenTables } from "../setup";
import { accountsApp, refresh, signIn, signUp } from "./support";

const FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";
const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

async function twoDevices() {
  const t = accountsApp();
  const laptop = await signUp(t, "ada", t.withRequestMetadata({ ip: "203.0.113.10", userAgent: FIREFOX_WINDOWS }));
  vi.advanceTimersByTime(60_000);
  const phone = await signIn(t, "ada", t.withRequestMetadata({ ip: "2001:db8:1234:5678::1", userAgent: SAFARI_IPHONE }));
  return { t, laptop, phone };
}

test("a user lists their sessions: when, which device, which network, which is current (SES-6)", async () => {
  const { t, laptop, phone } = await twoDevices();
  vi.advanceTimersByTime(60_000);
  await refresh(t, laptop.tokens.refreshToken);
  const listed = await phone.as.query(api.auth.listSessions, {});
  expect(listed).toEqual([
    expect.objectContaining({
      sessionId: phone.sessionId,
      device: "Safari on iOS",
      network: "2001:db8:1234::/48",
      current: true,
      guest: false,
    }),
    expect.objectContaining({
      sessionId: laptop.sessionId,
      device: "Firefox on Windows",
      network: "203.0.113.0/24",
      current: false,
    }),
  ]);
  const [, laptopRow] = listed;
  expect(laptopRow!.lastUsedAt - laptopRow!.createdAt).toBeGreaterThan(119_000);
});

test("the list holds no secret and no full address (LOG-2)", async () => {
  const { t, laptop, phone } = await twoDevices();
  const listed = JSON.stringify(await phone.as.query(api.auth.listSessions, {}));
  const { sessions } = await wardenTables(t);
  for (const secret of [laptop.tokens.refreshToken, phone.tokens.refreshToken, ...sessions.map((s) => s.refresh.currentHash)]) {
    expect(listed).not.toContain(secret);
  }
  for (const secret of sessions.map((s) => s.refresh.chainKey)) expect(listed).not.toContain(secret);
  expect(listed).not.toContain("203.0.113.10");
  expect(JSON.stringify(sessions)).not.toContain("203.0.113.10");
});

test("revoking another session makes its refresh fail at once, and its live checks", async () => {
  const { t, laptop, phone } = await twoDevices();
  expect(await phone.as.mutation(api.auth.revokeSession, { sessionId: laptop.sessionId })).toBe(true);
  expectFailure(await refresh(t, laptop.tokens.refreshToken), "INVALID_REFRESH_TOKEN");
  expect(await laptop.as.query(api.users.viewerLive, {})).toBeNull();
  expect((await refresh(t, phone.tokens.refreshToken)).kind).toBe("signedIn");
  expect((await phone.as.query(api.auth.listSessions, {})).map((s) => s.sessionId)).toEqual([phone.sessionId]);
});

test("no one revokes another user's session: it answers false and the session lives", async () => {
  const { t, laptop } = await twoDevices();
  const bob = await signUp(t, "bob");
  expect(await bob.as.mutation(api.auth.revokeSession, { sessionId: laptop.sessionId })).toBe(false);
  expect((await refresh(t, laptop.tokens.refreshToken)).kind).toBe("signedIn");
  // Nor lists them.
  expect((await bob.as.query(api.auth.listSessions, {})).map((s) => s.sessionId)).toEqual([bob.sessionId]);
});

test("revoking all others keeps only the current session", async () => {
  const { t, laptop, phone } = await twoDevices();
  const tablet = await signIn(t, "ada");
  expect(await phone.as.mutation(api.auth.revokeOtherSessions, {})).toEqual({ revoked: 2, more: false });
  expectFailure(await refresh(t, laptop.tokens.refreshToken), "INVALID_REFRESH_TOKEN");
  expectFailure(await refresh(t, tablet.tokens.refreshToken), "INVALID_REFRESH_TOKEN");
  expect((await refresh(t, phone.tokens.refreshToken)).kind).toBe("signedIn");
});

test("revoking all signs the user out everywhere, this device included", async () => {
  const { t, laptop, phone } = await twoDevices();
  expect(await phone.as.mutation(api.auth.revokeAllSessions, {})).toEqual({ revoked: 2, more: false });
  for (const user of [laptop, phone]) expectFailure(await refresh(t, user.tokens.refreshToken), "INVALID_REFRESH_TOKEN");
  expect((await wardenTables(t)).sessions).toEqual([]);
});

test("a revoked session can no longer manage sessions", async () => {
  const { laptop, phone } = await twoDevices();
  await phone.as.mutation(api.auth.revokeSession, { sessionId: laptop.sessionId });
  await expect(laptop.as.query(api.auth.listSessions, {})).rejects.toMatchObject({ data: { code: "NOT_SIGNED_IN" } });
  await expect(laptop.as.mutation(api.auth.revokeAllSessions, {})).rejects.toMatchObject({ data: { code: "NOT_SIGNED_IN" } });
});

test("the app signs a user out everywhere from its own function (invalidateSessions)", async () => {
  const { t, laptop, phone } = await twoDevices();
  const auth = (await import("../../example/convex/auth")).auth;
  await t.run((ctx) => auth.invalidateSessions(ctx, { userId: laptop.userId, except: [phone.sessionId] }));
  expectFailure(await refresh(t, laptop.tokens.refreshToken), "INVALID_REFRESH_TOKEN");
  expect((await refresh(t, phone.tokens.refreshToken)).kind).toBe("signedIn");
  await t.run((ctx) => auth.invalidateSessions(ctx, { userId: laptop.userId }));
  expect((await wardenTables(t)).sessions).toEqual([]);
});

test("many sessions end in bounded batches, the rest scheduled", async () => {
  const { t, phone } = await twoDevices();
  // More sessions of the same user than one transaction ends, as many sign-ins would leave them.
  const extra = SESSION_BATCH + 100;
  await t.run(async (ctx) => {
    for (let i = 0; i < extra; i++) await ctx.runMutation(appComponents.warden.sessions.create, { userId: phone.userId, totalDurationMs: 86_400_000 });
  });
  const first = await phone.as.mutation(api.auth.revokeOtherSessions, {});
  expect(first).toEqual({ revoked: SESSION_BATCH, more: true });
  expect((await wardenTables(t)).sessions.length).toBe(extra + 2 - SESSION_BATCH);
  // The continuations run at once (the clock barely moves, so housekeeping's sweep does not).
  await t.finishAllScheduledFunctions(() => vi.advanceTimersByTime(1));
  expect((await wardenTables(t)).sessions.map((s) => s._id)).toEqual([phone.sessionId]);
});

test("each revocation is an event of the user", async () => {
  const { t, laptop, phone } = await twoDevices();
  await phone.as.mutation(api.auth.revokeSession, { sessionId: laptop.sessionId });
  await phone.as.mutation(api.auth.revokeAllSessions, {});
  const events = (await wardenTables(t)).events.filter((e) => e.type === "sessionRevoked");
  expect(events.map((e) => e.reason)).toEqual(["one", "all"]);
  expect(events[0]).toMatchObject({ userId: laptop.userId, sessionId: laptop.sessionId });
});
