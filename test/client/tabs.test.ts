// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { createAuthClient, memoryStorage, pageLock } from "convex-warden/client";
import {
  fakeServer,
  LEEWAY_MS,
  LIFETIME_MS,
  PASSWORD,
  settle,
  sharedStorage,
  testClient,
  token,
  URL,
  watch,
} from "./fakes";

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  localStorage.clear();
});

/** Two tabs of one browser profile: one storage, one lock, storage events between them. */
function twoTabs({ commonLock = true } = {}) {
  const server = fakeServer();
  const { storage, tabSync } = sharedStorage();
  const lock = pageLock();
  const tab = () => testClient(server, { storage, tabSync, lock: commonLock ? lock : pageLock() });
  const a = tab();
  const b = tab();
  return { server, storage, a, b, watchA: watch(a), watchB: watch(b) };
}

describe("two tabs", () => {
  test("refreshing at once, they make one call and both stay signed in", async () => {
    const { server, a, b, watchA, watchB } = twoTabs();
    await a.signIn("password", PASSWORD);
    await settle();
    expect(token(b)).toBe("access-1");
    // Both timers fire while the first refresh is still on the wire.
    const release = server.hold();
    await vi.advanceTimersByTimeAsync(LIFETIME_MS - LEEWAY_MS);
    expect(server.named("refresh")).toHaveLength(1);
    release();
    await settle();
    expect(server.named("refresh")).toHaveLength(1);
    expect([token(a), token(b)]).toEqual(["access-2", "access-2"]);
    expect([watchA.states.at(-1), watchB.states.at(-1)]).toEqual(["signedIn", "signedIn"]);
  });

  test("forced by Convex in both at once, one refreshes and the other takes its token", async () => {
    const { server, a, b } = twoTabs();
    await a.signIn("password", PASSWORD);
    await settle();
    await Promise.all([a.fetchToken({ forceRefreshToken: false }), b.fetchToken({ forceRefreshToken: false })]);
    const tokens = await Promise.all([
      a.fetchToken({ forceRefreshToken: true }),
      b.fetchToken({ forceRefreshToken: true }),
    ]);
    expect(tokens).toEqual(["access-2", "access-2"]);
    expect(server.named("refresh")).toHaveLength(1);
  });

  test("without a common lock both call with the same token, and the server's grace keeps both signed in", async () => {
    const { server, a, b } = twoTabs({ commonLock: false });
    await a.signIn("password", PASSWORD);
    await settle();
    // Each tab's Convex client holds the first token.
    await Promise.all([a.fetchToken({ forceRefreshToken: false }), b.fetchToken({ forceRefreshToken: false })]);
    const release = server.hold();
    const refreshed = Promise.all([
      a.fetchToken({ forceRefreshToken: true }),
      b.fetchToken({ forceRefreshToken: true }),
    ]);
    await settle();
    expect(server.named("refresh").map((call) => call.args)).toEqual([
      { refreshToken: "refresh-1" },
      { refreshToken: "refresh-1" },
    ]);
    release();
    expect(await refreshed).toEqual(["access-2", "access-2"]);
    expect([a.getState().status, b.getState().status]).toEqual(["signedIn", "signedIn"]);
  });

  test("a refresh in one tab moves the other's next refresh", async () => {
    const { server, a, b } = twoTabs();
    await a.signIn("password", PASSWORD);
    await settle();
    await vi.advanceTimersByTimeAsync(LIFETIME_MS / 2);
    await a.fetchToken({ forceRefreshToken: false });
    await a.fetchToken({ forceRefreshToken: true });
    await settle();
    expect(token(b)).toBe("access-2");
    // B's refresh was due at 9 min after the first token; now it follows the second.
    await vi.advanceTimersByTimeAsync(LIFETIME_MS / 2);
    expect(server.named("refresh")).toHaveLength(1);
  });

  test("a sign-in in one tab signs the other in; a sign-out signs it out", async () => {
    const { a, b, watchB } = twoTabs();
    await settle();
    await a.signIn("password", PASSWORD);
    await settle();
    expect(token(b)).toBe("access-1");
    await a.signOut();
    await settle();
    expect(watchB.states).toEqual(["signedOut", "signedIn", "signedOut"]);
    expect(await b.fetchToken({ forceRefreshToken: true })).toBeNull();
  });

  test("a sign-in as someone else in one tab starts a new session in the other", async () => {
    const { a, b } = twoTabs();
    await a.signIn("password", PASSWORD);
    await settle();
    const first = b.getState();
    await vi.advanceTimersByTimeAsync(1_000);
    await a.signIn("password", { ...PASSWORD, email: "grace@example.com" });
    await settle();
    const second = b.getState();
    expect(first.status === "signedIn" && second.status === "signedIn").toBe(true);
    if (first.status !== "signedIn" || second.status !== "signedIn") return;
    expect(second.token).toBe("access-2");
    expect(second.since).toBeGreaterThan(first.since);
  });

  test("a refresh does not start a new session", async () => {
    const { a, b } = twoTabs();
    await a.signIn("password", PASSWORD);
    await settle();
    const before = b.getState();
    await vi.advanceTimersByTimeAsync(LIFETIME_MS - LEEWAY_MS);
    const after = b.getState();
    expect(after).toMatchObject({ status: "signedIn", token: "access-2" });
    expect(before.status === "signedIn" && after.status === "signedIn" && after.since === before.since).toBe(true);
  });

  test("a tab stops following once nobody listens", async () => {
    const { a, b, watchB } = twoTabs();
    await settle();
    watchB.stop();
    await a.signIn("password", PASSWORD);
    await settle();
    expect(b.getState().status).toBe("signedOut");
  });
});

describe("the browser's storage events", () => {
  test("by default a client follows localStorage writes made in other tabs", async () => {
    const server = fakeServer();
    // The other tab: same deployment, same localStorage; its events reach this tab only.
    const other = createAuthClient({ url: URL, transport: server.transport, tabSync: null });
    const here = createAuthClient({ url: URL, transport: server.transport });
    const { states } = watch(here);
    await settle();
    await other.signIn("password", PASSWORD);
    const key = localStorage.key(0);
    expect(key).toContain("happy-otter-123");
    expect(here.getState().status).toBe("signedOut");
    dispatchEvent(new StorageEvent("storage", { key, newValue: localStorage.getItem(key!) }));
    await settle();
    expect(token(here)).toBe("access-1");
    // Clearing the storage (key null) is followed too.
    localStorage.clear();
    dispatchEvent(new StorageEvent("storage", { key: null }));
    await settle();
    expect(states).toEqual(["signedOut", "signedIn", "signedOut"]);
  });

  test("events for other keys are ignored", async () => {
    const server = fakeServer();
    const read = vi.fn((key: string) => localStorage.getItem(key));
    const storage = { ...memoryStorage(), getItem: read };
    const here = createAuthClient({ url: URL, transport: server.transport, storage });
    watch(here);
    await settle();
    expect(read).toHaveBeenCalledTimes(1);
    dispatchEvent(new StorageEvent("storage", { key: "somethingElse" }));
    await settle();
    expect(read).toHaveBeenCalledTimes(1);
    dispatchEvent(new StorageEvent("storage", { key: read.mock.calls[0]![0] }));
    await settle();
    expect(read).toHaveBeenCalledTimes(2);
  });
});
