import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { WardenErrorCode } from "../../src/shared/errors/index";
import { wardenError } from "../../src/shared/errors/index";
import { fakeServer, LEEWAY_MS, LIFETIME_MS, PASSWORD, settle, testClient, token, watch } from "./fakes";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A client signed in at time 0 and listening (so it refreshes on its own). */
async function signedIn(options: Parameters<typeof testClient>[1] = {}) {
  const server = fakeServer();
  const auth = testClient(server, options);
  const watched = watch(auth);
  await auth.signIn("password", PASSWORD);
  return { server, auth, ...watched };
}

const refreshes = (server: ReturnType<typeof fakeServer>) => server.named("refresh").length;

describe("refresh timing", () => {
  test("refreshes a leeway before the access token expires, and not before", async () => {
    const { server, auth } = await signedIn();
    await vi.advanceTimersByTimeAsync(LIFETIME_MS - LEEWAY_MS - 1);
    expect(refreshes(server)).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(refreshes(server)).toBe(1);
    expect(token(auth)).toBe("access-2");
    // The next one is timed from the new token.
    await vi.advanceTimersByTimeAsync(LIFETIME_MS - LEEWAY_MS - 1);
    expect(refreshes(server)).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(refreshes(server)).toBe(2);
  });

  test("a leeway longer than half the lifetime is cut to half", async () => {
    const server = fakeServer();
    server.lifetimeMs = 40_000;
    const auth = testClient(server);
    watch(auth);
    await auth.signIn("password", PASSWORD);
    await vi.advanceTimersByTimeAsync(19_999);
    expect(refreshes(server)).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(refreshes(server)).toBe(1);
  });

  test("the leeway is an option", async () => {
    const { server } = await signedIn({ refreshLeewayMs: 5_000 });
    await vi.advanceTimersByTimeAsync(LIFETIME_MS - 5_001);
    expect(refreshes(server)).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(refreshes(server)).toBe(1);
  });

  test("without listeners it does not refresh on its own", async () => {
    const { server, stop } = await signedIn();
    stop();
    await vi.advanceTimersByTimeAsync(2 * LIFETIME_MS);
    expect(refreshes(server)).toBe(0);
  });

  test("fetchToken refreshes a token that is due, without a timer", async () => {
    const server = fakeServer();
    const auth = testClient(server);
    await auth.signIn("password", PASSWORD);
    await vi.advanceTimersByTimeAsync(LIFETIME_MS - LEEWAY_MS);
    expect(refreshes(server)).toBe(0);
    expect(await auth.fetchToken({ forceRefreshToken: false })).toBe("access-2");
  });
});

describe("forceRefreshToken", () => {
  test("gets a new token for the one Convex holds, once however many ask", async () => {
    const { server, auth } = await signedIn();
    expect(await auth.fetchToken({ forceRefreshToken: false })).toBe("access-1");
    const both = await Promise.all([
      auth.fetchToken({ forceRefreshToken: true }),
      auth.fetchToken({ forceRefreshToken: true }),
    ]);
    expect(both).toEqual(["access-2", "access-2"]);
    expect(refreshes(server)).toBe(1);
  });

  test("when the client already refreshed, Convex gets that token without another call", async () => {
    const { server, auth } = await signedIn();
    expect(await auth.fetchToken({ forceRefreshToken: false })).toBe("access-1");
    await vi.advanceTimersByTimeAsync(LIFETIME_MS - LEEWAY_MS);
    expect(refreshes(server)).toBe(1);
    expect(await auth.fetchToken({ forceRefreshToken: true })).toBe("access-2");
    expect(refreshes(server)).toBe(1);
  });
});

describe("failures", () => {
  test("a network error keeps the session and retries with backoff", async () => {
    const { server, auth, states } = await signedIn({ retry: { initialMs: 1_000, maxMs: 4_000 } });
    server.offline = true;
    await vi.advanceTimersByTimeAsync(LIFETIME_MS - LEEWAY_MS);
    const at = [1];
    for (const delay of [1_000, 2_000, 4_000, 4_000]) {
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(refreshes(server)).toBe(at.length);
      await vi.advanceTimersByTimeAsync(1);
      at.push(delay);
      expect(refreshes(server)).toBe(at.length);
    }
    expect(states).toEqual(["signedOut", "signedIn"]);
    server.offline = false;
    await vi.advanceTimersByTimeAsync(4_000);
    expect(token(auth)).toBe("access-2");
    // Success resets the backoff: the next failure waits the first delay again.
    server.offline = true;
    await vi.advanceTimersByTimeAsync(LIFETIME_MS - LEEWAY_MS);
    const before = refreshes(server);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(refreshes(server)).toBe(before + 1);
  });

  test("the default backoff starts at 1 s and doubles", async () => {
    const { server } = await signedIn();
    server.offline = true;
    await vi.advanceTimersByTimeAsync(LIFETIME_MS - LEEWAY_MS);
    await vi.advanceTimersByTimeAsync(1_000 + 2_000 + 4_000 - 1);
    expect(refreshes(server)).toBe(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(refreshes(server)).toBe(4);
  });

  test("a rate-limited refresh waits as long as the server asks", async () => {
    const { server, auth } = await signedIn();
    server.refreshFails = { code: "RATE_LIMITED", retryAfterMs: 30_000 };
    await vi.advanceTimersByTimeAsync(LIFETIME_MS - LEEWAY_MS);
    expect(refreshes(server)).toBe(1);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(refreshes(server)).toBe(1);
    server.refreshFails = null;
    await vi.advanceTimersByTimeAsync(1);
    expect(refreshes(server)).toBe(2);
    expect(auth.getState().status).toBe("signedIn");
  });

  test("an unexpected server error keeps the session", async () => {
    const { server, auth } = await signedIn();
    server.refreshThrows = wardenError({ code: "INVALID_CONFIG" });
    await vi.advanceTimersByTimeAsync(LIFETIME_MS - LEEWAY_MS);
    expect(refreshes(server)).toBe(1);
    expect(auth.getState().status).toBe("signedIn");
    server.refreshThrows = null;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(token(auth)).toBe("access-2");
  });

  test.each<WardenErrorCode>(["INVALID_REFRESH_TOKEN", "REFRESH_TOKEN_REUSED", "SESSION_EXPIRED"])(
    "%s signs out, and nothing is retried",
    async (code) => {
      const { server, auth, states } = await signedIn();
      server.refreshFails = { code };
      await vi.advanceTimersByTimeAsync(LIFETIME_MS - LEEWAY_MS);
      expect(states).toEqual(["signedOut", "signedIn", "signedOut"]);
      expect(await auth.fetchToken({ forceRefreshToken: false })).toBeNull();
      await vi.advanceTimersByTimeAsync(10 * LIFETIME_MS);
      expect(refreshes(server)).toBe(1);
    },
  );

  test("thrown with one of those codes, it signs out too", async () => {
    const { server, auth } = await signedIn();
    server.refreshThrows = wardenError({ code: "SESSION_EXPIRED" });
    await vi.advanceTimersByTimeAsync(LIFETIME_MS - LEEWAY_MS);
    expect(auth.getState().status).toBe("signedOut");
  });
});

describe("expiry", () => {
  test("an expired token waits for the network to return instead of signing out", async () => {
    const { server, auth, states } = await signedIn();
    server.offline = true;
    await vi.advanceTimersByTimeAsync(LIFETIME_MS + 1);
    let fetched: string | null | undefined;
    void auth.fetchToken({ forceRefreshToken: true }).then((value) => (fetched = value));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetched).toBeUndefined();
    server.offline = false;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetched).toBe("access-2");
    // Signed out only before the sign-in; signed in ever since.
    expect(states.lastIndexOf("signedOut")).toBe(0);
    expect(states.at(-1)).toBe("signedIn");
  });

  test("a token that is due but still valid is returned when the refresh fails", async () => {
    const { server, auth } = await signedIn();
    server.offline = true;
    await vi.advanceTimersByTimeAsync(LIFETIME_MS - LEEWAY_MS);
    expect(await auth.fetchToken({ forceRefreshToken: false })).toBe("access-1");
  });

  test("an expired token waits even with nobody listening (retries run until they settle)", async () => {
    const server = fakeServer();
    const auth = testClient(server);
    await auth.signIn("password", PASSWORD);
    server.offline = true;
    await vi.advanceTimersByTimeAsync(LIFETIME_MS);
    const fetched = auth.fetchToken({ forceRefreshToken: false });
    await vi.advanceTimersByTimeAsync(10_000);
    server.offline = false;
    await vi.advanceTimersByTimeAsync(20_000);
    await expect(fetched).resolves.toBe("access-2");
    await settle();
  });
});
