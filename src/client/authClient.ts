import { isWardenError, wardenError } from "../shared/errors.js";
import type { SignInResult, Tokens } from "../shared/results.js";
import { resolveOptions, type AuthClientOptions } from "./options.js";
import { backoff, scheduler, SESSION_ENDED } from "./refresh.js";
import { readSession, writeSession, type Session } from "./storage.js";

/** What the client knows: still reading storage, signed out, or signed in. */
export type AuthState =
  | { status: "loading" }
  | { status: "signedOut" }
  | {
      status: "signedIn";
      /** The current access JWT (it may have expired while a refresh is retried). */
      token: string;
      /** When this session began. Changes when another session replaces it, not on refresh. */
      since: number;
    };

/** What `signIn` did. Flows still to come add kinds (a code sent, a redirect). */
export type SignInOutcome = { kind: "signedIn" };

export interface AuthClient {
  getState(): AuthState;
  /**
   * Calls `listener` on every change of state; returns a function that stops.
   * While anyone listens the client follows other tabs and refreshes ahead of expiry.
   */
  subscribe(listener: (state: AuthState) => void): () => void;
  /** The `fetchToken` of Convex's `setAuth`: a valid access token, or null when signed out. */
  fetchToken(args: { forceRefreshToken: boolean }): Promise<string | null>;
  /** Runs the app's `signIn` mutation. A failure throws a `ConvexError` with a `code`. */
  signIn(provider: string, params?: FormData | Record<string, unknown>): Promise<SignInOutcome>;
  /**
   * Ends the session on the server (best effort: offline, it ends at its idle
   * timeout) and here, in every tab.
   */
  signOut(): Promise<void>;
}

const SIGNED_OUT: AuthState = { status: "signedOut" };

/** A form's fields, so `signIn("password", new FormData(form))` works. */
const fields = (params: FormData | Record<string, unknown>) =>
  typeof FormData !== "undefined" && params instanceof FormData
    ? Object.fromEntries(params)
    : (params as Record<string, unknown>);

export function createAuthClient(options: AuthClientOptions): AuthClient {
  const o = resolveOptions(options);
  const { clock, key } = o;
  let session: Session | null = null;
  let state: AuthState = { status: "loading" };
  /** Bumped by every adopt; a storage read that started before it is stale. */
  let version = 0;
  let loaded: Promise<void> | undefined;
  /** The token `fetchToken` last returned: a forced fetch wants a different one. */
  let handedOut: string | null = null;
  let failures = 0;
  let stopSync: (() => void) | undefined;
  const listeners = new Set<(state: AuthState) => void>();
  const refresher = scheduler(attempt, clock);
  const locked = <T>(task: () => Promise<T>) => o.lock(key, task);
  const ready = () => (loaded ??= load());
  const now = () => clock.now();

  function adopt(next: Session | null) {
    version++;
    session = next;
    refresher.at(next && listeners.size ? next.refreshAt - now() : null);
    refresher.notify();
    if (next ? state.status !== "signedIn" || state.token !== next.token : state !== SIGNED_OUT) {
      state = next ? { status: "signedIn", token: next.token, since: next.since } : SIGNED_OUT;
      for (const listener of [...listeners]) listener(state);
    }
  }

  /** Writes, then adopts; callers hold the lock. */
  async function save(next: Session | null) {
    await writeSession(o.storage, key, next);
    adopt(next);
  }

  async function load() {
    const seen = version;
    const stored = await readSession(o.storage, key).catch(() => null);
    if (seen === version) adopt(stored);
  }

  function fromTokens({ token, refreshToken, expiresInMs }: Tokens, since: number): Session {
    const leeway = Math.min(o.leewayMs, expiresInMs / 2);
    return { token, refreshToken, since, expiresAt: now() + expiresInMs, refreshAt: now() + expiresInMs - leeway };
  }

  /** One refresh, under the lock. Only a dead refresh token ends the session. */
  async function attempt() {
    const held = session;
    if (!held) return;
    try {
      await locked(async () => {
        const stored = await readSession(o.storage, key);
        // Another tab refreshed, signed in or out while this one waited: take its result.
        if (stored?.refreshToken !== held.refreshToken) return adopt(stored);
        let error: unknown;
        try {
          const result = await o.transport(o.api.refresh, { refreshToken: held.refreshToken }, null);
          if (result.kind === "signedIn") return save(fromTokens(result.tokens, held.since));
          error = wardenError(result.error);
        } catch (thrown) {
          error = thrown;
        }
        if (isWardenError(error) && SESSION_ENDED.includes(error.data.code)) return save(null);
        throw error;
      });
      failures = 0;
    } catch (error) {
      // Offline, a server error, a rate limit: keep the session, try again later.
      const retryAfterMs = (isWardenError(error) && error.data.retryAfterMs) || 0;
      refresher.at(Math.max(retryAfterMs, backoff(o.retry, ++failures)));
    }
  }

  async function fetchToken({ forceRefreshToken }: { forceRefreshToken: boolean }) {
    await ready();
    const before = session;
    // Forced: Convex wants a token other than the one it has. Due: expiry is near.
    if (before && ((forceRefreshToken && before.token === handedOut) || now() >= before.refreshAt)) {
      await refresher.run();
      // The refresh failed but kept the session: wait for the retries while the token is dead.
      while (session && now() >= session.expiresAt) {
        await (refresher.pending() ? refresher.changed() : refresher.run());
      }
    }
    return (handedOut = session?.token ?? null);
  }

  async function signIn(provider: string, params: FormData | Record<string, unknown> = {}) {
    await ready();
    // The server ends the session this sign-in replaces (SES-8), if the token still works.
    const token = session && now() < session.refreshAt ? session.token : null;
    return finishSignIn(await o.transport(o.api.signIn, { provider, params: fields(params) }, token));
  }

  /** The seam for the flows to come: each result kind is one case. */
  async function finishSignIn(result: SignInResult): Promise<SignInOutcome> {
    switch (result.kind) {
      case "signedIn":
        await locked(() => save(fromTokens(result.tokens, now())));
        return { kind: "signedIn" };
      case "failed":
        throw wardenError(result.error);
      default: {
        // A server newer than this client. Adding a kind to the wire makes this line a type error.
        const unknown: never = result;
        throw new TypeError(`convex-warden: unknown sign-in result ${JSON.stringify(unknown)}`);
      }
    }
  }

  async function signOut() {
    await ready();
    try {
      // The refresh token names the session, even after the access token expired.
      if (session) await o.transport(o.api.signOut, { refreshToken: session.refreshToken }, null);
    } catch {
      // Offline or failing: signing out here must still work.
    }
    await locked(() => save(null));
  }

  function subscribe(listener: (state: AuthState) => void) {
    listeners.add(listener);
    if (listeners.size === 1) {
      stopSync = o.tabSync?.(key, () => void load());
      loaded = load();
    }
    return () => {
      if (!listeners.delete(listener) || listeners.size) return;
      stopSync?.();
      // Retries after a failure run on until they settle; the next refresh waits for a listener.
      if (!failures) refresher.at(null);
    };
  }

  return { getState: () => state, subscribe, fetchToken, signIn, signOut };
}
