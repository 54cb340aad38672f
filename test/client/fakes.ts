import { getFunctionName } from "convex/server";
import { vi } from "vitest";
import {
  createAuthClient,
  pageLock,
  memoryStorage,
  type AuthClient,
  type AuthClientOptions,
  type AuthState,
  type TabSync,
  type TokenStorage,
  type Transport,
} from "convex-warden/client";
import { wardenError, type AnyWardenErrorData, type WardenErrorData } from "../../src/shared/errors/index";
import type { RefreshResult, SignInResult, Tokens } from "../../src/shared/results";

export const URL = "https://happy-otter-123.convex.cloud";
export const LIFETIME_MS = 10 * 60_000;
export const LEEWAY_MS = 60_000;
export const PASSWORD = { flow: "signIn", email: "ada@example.com", password: "correct horse" };

interface Call {
  name: "signIn" | "refresh" | "signOut";
  args: Record<string, unknown>;
  token: string | null;
}

/**
 * The server side of the wire, in memory. Tokens are numbered (`access-1`,
 * `refresh-1`, ...). Like the real server, a refresh token presented again
 * yields the same successor (the grace window), so racing tabs agree.
 */
export function fakeServer() {
  let issued = 0;
  const successors = new Map<string, Tokens | null>();
  let gate: Promise<void> | null = null;
  const server = {
    calls: [] as Call[],
    /** Every call throws as a dropped connection does. */
    offline: false,
    /** Refreshes return this failure instead of tokens (any code, as a newer server might send). */
    refreshFails: null as WardenErrorData | AnyWardenErrorData | null,
    /** Refreshes throw this. */
    refreshThrows: null as unknown,
    lifetimeMs: LIFETIME_MS,
    named: (name: Call["name"]) => server.calls.filter((call) => call.name === name),
    issue(): Tokens {
      issued++;
      const tokens = { token: `access-${issued}`, refreshToken: `refresh-${issued}`, expiresInMs: server.lifetimeMs };
      successors.set(tokens.refreshToken, null);
      return tokens;
    },
    /** Holds every call until the returned function is called. */
    hold() {
      let release = () => {};
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = null;
        release();
      };
    },
    transport: (async (ref, args, token) => {
      const name = getFunctionName(ref).split(":")[1] as Call["name"];
      server.calls.push({ name, args: args as Record<string, unknown>, token });
      if (gate) await gate;
      if (server.offline) throw new TypeError("Failed to fetch");
      return handle(name, args as Record<string, unknown>) as never;
    }) as Transport,
  };
  function handle(name: Call["name"], args: Record<string, unknown>): SignInResult | RefreshResult | null {
    if (name === "signOut") return null;
    if (name === "signIn") {
      const params = args.params as Record<string, unknown>;
      if (args.provider !== "password") throw wardenError({ code: "PROVIDER_NOT_FOUND" });
      if (params.password === "wrong") return { kind: "failed", error: { code: "INVALID_CREDENTIALS" } };
      return { kind: "signedIn", tokens: server.issue() };
    }
    if (server.refreshThrows) throw server.refreshThrows;
    // A newer server may answer with a code this client does not know.
    if (server.refreshFails) return { kind: "failed", error: server.refreshFails as WardenErrorData };
    const refreshToken = args.refreshToken as string;
    if (!successors.has(refreshToken)) return { kind: "failed", error: { code: "INVALID_REFRESH_TOKEN" } };
    let next = successors.get(refreshToken) ?? null;
    if (next === null) successors.set(refreshToken, (next = server.issue()));
    return { kind: "signedIn", tokens: next };
  }
  return server;
}
export type FakeServer = ReturnType<typeof fakeServer>;

/** A client for the fake server with its own memory storage, no tab sync and a lock of its own. */
export function testClient(server: FakeServer, options: Partial<AuthClientOptions> = {}) {
  return createAuthClient({
    url: URL,
    transport: server.transport,
    storage: memoryStorage(),
    lock: pageLock(),
    tabSync: null,
    ...options,
  });
}

/**
 * One browser profile's worth of shared storage, with the `storage` events
 * other tabs see when one tab writes (here every tab, including the writer).
 */
export function sharedStorage() {
  const items = new Map<string, string>();
  const listeners = new Set<(key: string) => void>();
  const changed = (key: string) => queueMicrotask(() => listeners.forEach((listener) => listener(key)));
  const storage: TokenStorage & { items: Map<string, string> } = {
    items,
    getItem: (key) => items.get(key),
    setItem: (key, value) => void (items.set(key, value), changed(key)),
    removeItem: (key) => void (items.delete(key), changed(key)),
  };
  const tabSync: TabSync = (key, onChange) => {
    const listener = (changedKey: string) => changedKey === key && onChange();
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  return { storage, tabSync };
}

/** Storage whose reads and writes answer only when released: an async store. */
export function asyncStorage() {
  const inner = memoryStorage();
  let release = () => {};
  let gate = Promise.resolve();
  const after = async <T>(task: () => T): Promise<Awaited<T>> => {
    await gate;
    return await task();
  };
  return {
    storage: {
      getItem: (key) => after(() => inner.getItem(key)),
      setItem: (key, value) => after(() => inner.setItem(key, value)),
      removeItem: (key) => after(() => inner.removeItem(key)),
    } satisfies TokenStorage,
    inner,
    hold() {
      gate = new Promise((resolve) => (release = resolve));
    },
    release: () => release(),
  };
}

/** Subscribes (which starts the client) and records every state it reports. */
export function watch(auth: AuthClient) {
  const states: AuthState["status"][] = [];
  const stop = auth.subscribe((state) => states.push(state.status));
  return { states, stop };
}

export const token = (auth: AuthClient) => {
  const state = auth.getState();
  return state.status === "signedIn" ? state.token : null;
};

/** Lets pending promises (storage, lock, transport) settle, under fake timers. */
export const settle = () => vi.advanceTimersByTimeAsync(0);
