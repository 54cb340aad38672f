import { afterEach, beforeEach, describe, expect, expectTypeOf, test, vi } from "vitest";
import type { ConvexClient, ConvexHttpClient } from "convex/browser";
import type { ConvexReactClient } from "convex/react";
import {
  connect,
  type HttpClientLike,
  type SocketClientLike,
} from "convex-warden/client";
import { fakeServer, LEEWAY_MS, LIFETIME_MS, PASSWORD, settle, sharedStorage, testClient } from "./fakes";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** What a WebSocket client does with `setAuth`: fetch a token now. */
function socketClient() {
  const fetched: (string | null | undefined)[] = [];
  const client = {
    setAuth: vi.fn((fetchToken: Parameters<SocketClientLike["setAuth"]>[0]) => {
      void fetchToken({ forceRefreshToken: false }).then((token) => fetched.push(token));
    }),
    connectionState: () => ({}),
  };
  return { client, fetched };
}

test("the Convex clients fit the shapes connect takes", () => {
  expectTypeOf<ConvexClient>().toExtend<SocketClientLike>();
  expectTypeOf<ConvexReactClient>().toExtend<SocketClientLike>();
  expectTypeOf<ConvexHttpClient>().toExtend<HttpClientLike>();
  expectTypeOf<ConvexHttpClient>().not.toExtend<SocketClientLike>();
});

describe("a WebSocket client", () => {
  test("authenticates again at each sign-in and sign-out, not at each refresh", async () => {
    const server = fakeServer();
    const auth = testClient(server);
    const { client, fetched } = socketClient();
    connect(auth, client);
    await settle();
    expect(fetched).toEqual([null]);
    await auth.signIn("password", PASSWORD);
    await settle();
    expect(fetched).toEqual([null, "access-1"]);
    await vi.advanceTimersByTimeAsync(LIFETIME_MS - LEEWAY_MS);
    expect(server.named("refresh")).toHaveLength(1);
    expect(client.setAuth).toHaveBeenCalledTimes(2);
    await auth.signOut();
    await settle();
    expect(fetched).toEqual([null, "access-1", null]);
  });

  test("signing out clears the socket's auth, where the client can (ConvexReactClient, ConvexClient)", async () => {
    const server = fakeServer();
    const auth = testClient(server);
    const react = { ...socketClient().client, clearAuth: vi.fn() };
    const plain = { ...socketClient().client, client: { clearAuth: vi.fn() } };
    connect(auth, react);
    connect(auth, plain);
    await auth.signIn("password", PASSWORD);
    await settle();
    expect([react.clearAuth, plain.client.clearAuth].map((clear) => clear.mock.calls.length)).toEqual([0, 0]);
    await auth.signOut();
    await settle();
    expect([react.clearAuth, plain.client.clearAuth].map((clear) => clear.mock.calls.length)).toEqual([1, 1]);
    // Signing out is not a new authentication: no fetcher that would only answer null.
    expect([react.setAuth, plain.setAuth].map((set) => set.mock.calls.length)).toEqual([2, 2]);
  });

  test("authenticates again when another tab signs in as someone else", async () => {
    const server = fakeServer();
    const { storage, tabSync } = sharedStorage();
    const here = testClient(server, { storage, tabSync });
    const there = testClient(server, { storage, tabSync });
    const { client, fetched } = socketClient();
    connect(here, client);
    await there.signIn("password", PASSWORD);
    await settle();
    await vi.advanceTimersByTimeAsync(1_000);
    await there.signIn("password", { ...PASSWORD, email: "grace@example.com" });
    await settle();
    expect(fetched).toEqual([null, "access-1", "access-2"]);
  });

  test("the returned function stops following", async () => {
    const auth = testClient(fakeServer());
    const { client } = socketClient();
    const stop = connect(auth, client);
    await settle();
    stop();
    await auth.signIn("password", PASSWORD);
    await settle();
    expect(client.setAuth).toHaveBeenCalledTimes(1);
  });
});

describe("an HTTP client", () => {
  test("gets every token, including refreshed ones, and is cleared at sign-out", async () => {
    const auth = testClient(fakeServer());
    const client = { setAuth: vi.fn<(token: string) => void>(), clearAuth: vi.fn() };
    connect(auth, client);
    await settle();
    expect(client.clearAuth).toHaveBeenCalledTimes(1);
    await auth.signIn("password", PASSWORD);
    await vi.advanceTimersByTimeAsync(LIFETIME_MS - LEEWAY_MS);
    expect(client.setAuth.mock.calls).toEqual([["access-1"], ["access-2"]]);
    await auth.signOut();
    expect(client.clearAuth).toHaveBeenCalledTimes(2);
  });
});
