import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { api } from "../../example/convex/_generated/api";
import type { AuthEvent } from "convex-warden/server";
import { wardenTables } from "../setup";
import { accountsApp, authOf, refresh, signIn, signUp, who } from "./support";

const DAY = 86_400_000;
const UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

const wrong = { flow: "signIn" as const, ...who("ada"), password: "wrong password" };

test("sign-in, failure, lockout, sign-out, revocation and credential changes are recorded for the user (LOG-1)", async () => {
  const options = { rateLimits: { failedSignIns: { max: 3, windowMs: 60_000 } } };
  const t = accountsApp(options);
  const auth = authOf(options);
  const client = t.withRequestMetadata({ ip: "198.51.100.23", userAgent: UA });
  const ada = await signUp(t, "ada", client);
  for (let i = 0; i < 3; i++) await client.mutation(api.auth.signIn, { provider: "password", params: wrong });
  vi.advanceTimersByTime(61_000);
  const phone = await signIn(t, "ada");
  await ada.as.mutation(api.auth.revokeSession, { sessionId: phone.sessionId });
  await ada.as.mutation(api.auth.signOut, {});
  const events = await t.run((ctx) => auth.listEvents(ctx, ada.userId));
  expect(events.map((event) => event.type)).toEqual([
    "signOut",
    "sessionRevoked",
    "signIn",
    "lockout",
    "signInFailed",
    "signInFailed",
    "signInFailed",
    "signIn",
  ]);
  expect(events.at(-1)).toMatchObject({ provider: "password", device: "Safari on macOS", network: "198.51.100.0/24" });
  expect(events.at(-2)).toMatchObject({ reason: "INVALID_CREDENTIALS" });
});

test("a reused refresh token's revocation is an event", async () => {
  const t = accountsApp();
  const auth = authOf();
  const ada = await signUp(t, "ada");
  await refresh(t, ada.tokens.refreshToken);
  vi.advanceTimersByTime(60_000);
  await refresh(t, ada.tokens.refreshToken);
  const [latest] = await t.run((ctx) => auth.listEvents(ctx, ada.userId));
  expect(latest).toMatchObject({ type: "sessionRevoked", reason: "reuse", sessionId: ada.sessionId });
});

test("no secret is ever in an event: the table holds no password, token, hash or full address (LOG-2)", async () => {
  const t = accountsApp();
  const client = t.withRequestMetadata({ ip: "198.51.100.23", userAgent: UA });
  const ada = await signUp(t, "ada", client);
  await client.mutation(api.auth.signIn, { provider: "password", params: wrong });
  const next = await refresh(t, ada.tokens.refreshToken);
  vi.advanceTimersByTime(60_000);
  await refresh(t, ada.tokens.refreshToken);
  const tables = await wardenTables(t);
  const stored = JSON.stringify(tables.events);
  const secrets = [
    who("ada").password,
    wrong.password,
    ada.tokens.token,
    ada.tokens.refreshToken,
    next.kind === "signedIn" ? next.tokens.refreshToken : "",
    tables.accounts[0]!.secret!,
    ...tables.sessions.flatMap((session) => [session.refresh.currentHash, session.refresh.chainKey]),
    "198.51.100.23",
  ].filter((secret) => secret !== "");
  expect(tables.events.length).toBeGreaterThan(2);
  for (const secret of secrets) expect(stored).not.toContain(secret);
  // Only known fields, each a label or an id.
  for (const event of tables.events) {
    expect(Object.keys(event).sort()).toEqual(
      expect.arrayContaining(["_creationTime", "_id", "expiresAt", "type", "userId"]),
    );
    for (const key of Object.keys(event)) {
      expect(["_creationTime", "_id", "expiresAt", "type", "userId", "provider", "sessionId", "reason", "device", "network"]).toContain(key);
    }
  }
});

test("the app is called back on every event, unknown identifiers included; a throwing callback undoes nothing", async () => {
  const seen: AuthEvent[] = [];
  const t = accountsApp({
    callbacks: {
      onEvent: (_ctx, event) => {
        seen.push(event);
        if (event.type === "signInFailed") throw new Error("the app's bug");
      },
    },
    logLevel: "silent",
  });
  await signUp(t, "ada");
  const ghost = { flow: "signIn" as const, email: "ghost@example.com", password: "whatever1" };
  const result = await t.mutation(api.auth.signIn, { provider: "password", params: ghost });
  expect(result).toMatchObject({ kind: "failed", error: { code: "INVALID_CREDENTIALS" } });
  expect(seen.map((event) => [event.type, event.userId === null])).toEqual([
    ["signIn", false],
    ["signInFailed", true],
  ]);
  // The failed attempt was still counted although the callback threw.
  expect((await wardenTables(t)).rateLimits.filter((row) => row.name === "failedSignIns")).toHaveLength(1);
  // And nothing was stored for the unknown identifier.
  expect((await wardenTables(t)).events.map((event) => event.type)).toEqual(["signIn"]);
});

test("events expire after the retention the app chose, and list newest first within a limit", async () => {
  const t = accountsApp({ events: { retentionMs: 2 * DAY } });
  const auth = authOf({ events: { retentionMs: 2 * DAY } });
  const ada = await signUp(t, "ada");
  for (let i = 0; i < 5; i++) await signIn(t, "ada");
  expect(await t.run((ctx) => auth.listEvents(ctx, ada.userId, { limit: 3 }))).toHaveLength(3);
  vi.advanceTimersByTime(2 * DAY + 1);
  // Past their expiry they are no longer listed, and the next sweep deletes them.
  expect(await t.run((ctx) => auth.listEvents(ctx, ada.userId))).toEqual([]);
  expect(() => authOf({ events: { retentionMs: 1000 } })).toThrow(expect.objectContaining({ option: "events.retentionMs" }));
});
