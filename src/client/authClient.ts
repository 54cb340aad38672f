import type { FunctionArgs } from "convex/server";
import { isWardenError, wardenError } from "../shared/errors/guard.js";
import type { SignInResult, Tokens } from "../shared/results.js";
import { initialState, sameView, transition, view, type AuthEvent, type AuthState, type Effect } from "./machine.js";
import { resolveOptions, type AuthClientOptions } from "./options.js";
import { redirectReturn, rememberRedirect, takePendingRedirect } from "./redirect.js";
import { backoff, scheduler, SESSION_ENDED } from "./refresh.js";
import { readSession, writeSession, type Session } from "./storage.js";
import type { AuthApi } from "./transport.js";

export type { AuthState, SignInFlow } from "./machine.js";

/** The code a failed redirect reports when the backend could not be reached to finish it. */
export const UNREACHABLE = "UNREACHABLE";

/** What `signIn` did: signed in, or the step the app shows next. */
export type SignInOutcome =
  | { kind: "signedIn" }
  | { kind: "codeSent"; destination: string; resendAfterMs?: number }
  | { kind: "redirecting"; url: string }
  | { kind: "secondFactorRequired"; factors: string[] };

type SignInArgsOf<Api extends AuthApi> = FunctionArgs<Api["signIn"]>;
/** The provider ids the app's `signIn` accepts. */
export type ProviderId<Api extends AuthApi> = SignInArgsOf<Api>["provider"];
/** The params of `provider`, as its validator declares them (any record, for an untyped `api`). */
export type ParamsOf<Api extends AuthApi, P> =
  SignInArgsOf<Api> extends infer Args
    ? Args extends { provider: infer Id; params?: infer Params }
      ? P extends Id
        ? Params
        : never
      : never
    : never;

export interface AuthClient<Api extends AuthApi = AuthApi> {
  getState(): AuthState;
  /**
   * Calls `listener` on every change of state; returns a function that stops.
   * While anyone listens the client follows other tabs, refreshes ahead of
   * expiry, and finishes a redirect it finds in the URL.
   */
  subscribe(listener: (state: AuthState) => void): () => void;
  /** The `fetchToken` of Convex's `setAuth`: a valid access token, or null when signed out. */
  fetchToken(args: { forceRefreshToken: boolean }): Promise<string | null>;
  /**
   * Runs the app's `signIn` mutation. A failure throws a `ConvexError` with a
   * `code`, whatever the code (a newer server's too). With `api` passed to
   * `createAuthClient`, provider ids and params are type-checked.
   */
  signIn<P extends ProviderId<Api>>(provider: P, params?: ParamsOf<Api, P> | FormData): Promise<SignInOutcome>;
  /**
   * Ends the session on the server (best effort: offline, it ends at its idle
   * timeout) and here, in every tab.
   */
  signOut(): Promise<void>;
  /** Abandons the sign-in under way: a sent code, a pending second factor, a failed redirect. */
  cancelSignIn(): void;
}

/** A form's fields, so `signIn("password", new FormData(form))` works. */
const fields = (params: unknown) =>
  (typeof FormData !== "undefined" && params instanceof FormData ? Object.fromEntries(params) : params) as Record<
    string,
    unknown
  >;

export function createAuthClient<Api extends AuthApi = AuthApi>(options: AuthClientOptions<Api>): AuthClient<Api> {
  const o = resolveOptions(options);
  const { clock, key } = o;
  let machine = initialState;
  let shown = view(machine);
  /** Bumped by every session change; a storage read that started before it is stale. */
  let version = 0;
  let loaded: Promise<void> | undefined;
  let returned = false;
  /** The token `fetchToken` last returned: a forced fetch wants a different one. */
  let handedOut: string | null = null;
  let stopSync: (() => void) | undefined;
  const listeners = new Set<(state: AuthState) => void>();
  const refresher = scheduler(attempt, clock);
  const locked = <T>(task: () => Promise<T>) => o.lock(key, task);
  const ready = () => (loaded ??= load());
  const now = () => clock.now();

  /** Steps the machine, runs its effects at the edges, then tells listeners. */
  async function dispatch(event: AuthEvent) {
    const { state, effects } = transition(machine, event);
    if (state.session !== machine.session) version++;
    machine = state;
    for (const effect of effects) await run(effect);
    refresher.notify();
    const next = view(machine);
    if (sameView(next, shown)) return;
    shown = next;
    for (const listener of [...listeners]) listener(next);
  }

  async function run(effect: Effect) {
    if (effect.type === "save") return writeSession(o.storage, key, effect.session);
    if (effect.type === "navigate") return o.navigation?.assign(effect.url);
    const active = effect.at !== null && (listeners.size > 0 || effect.retry);
    refresher.at(active ? effect.at! - now() : null);
  }

  async function load() {
    const seen = version;
    const stored = await readSession(o.storage, key).catch(() => null);
    if (seen === version) await dispatch({ type: "loaded", session: stored });
  }

  function fromTokens({ token, refreshToken, expiresInMs }: Tokens, since: number): Session {
    const leeway = Math.min(o.leewayMs, expiresInMs / 2);
    return { token, refreshToken, since, expiresAt: now() + expiresInMs, refreshAt: now() + expiresInMs - leeway };
  }

  /** One refresh, under the lock. Only the server refusing the token ends the session. */
  async function attempt() {
    const held = machine.session;
    if (!held) return;
    try {
      await locked(async () => {
        const stored = await readSession(o.storage, key);
        // Another tab refreshed, signed in or out while this one waited: take its result.
        if (stored?.refreshToken !== held.refreshToken) return dispatch({ type: "loaded", session: stored });
        let result;
        try {
          result = await o.transport(o.api.refresh, { refreshToken: held.refreshToken }, null);
        } catch (thrown) {
          if (isWardenError(thrown) && SESSION_ENDED.includes(thrown.data.code)) return dispatch({ type: "refreshRefused" });
          throw thrown;
        }
        if (result.kind === "signedIn") return dispatch({ type: "refreshed", session: fromTokens(result.tokens, held.since) });
        // Refused, for a reason known or newer than this client: the session is over. Only a rate limit waits.
        if (result.error.code !== "RATE_LIMITED") return dispatch({ type: "refreshRefused" });
        throw wardenError(result.error);
      });
    } catch (error) {
      // Offline, a server error, a rate limit: keep the session, try again later.
      const retryAfterMs = isWardenError(error, "RATE_LIMITED") ? error.data.retryAfterMs : 0;
      const delay = Math.max(retryAfterMs, backoff(o.retry, machine.failures + 1));
      const unreachable = !isWardenError(error);
      await dispatch({ type: "refreshFailed", retryAt: now() + delay, unreachable, expired: now() >= held.expiresAt });
    }
  }

  async function fetchToken({ forceRefreshToken }: { forceRefreshToken: boolean }) {
    await ready();
    const before = machine.session;
    // Forced: Convex wants a token other than the one it has. Due: expiry is near.
    if (before && ((forceRefreshToken && before.token === handedOut) || now() >= before.refreshAt)) {
      await refresher.run();
      // The refresh failed but kept the session: wait for the retries while the token is dead.
      while (machine.session && now() >= machine.session.expiresAt) {
        await (refresher.pending() ? refresher.changed() : refresher.run());
      }
    }
    return (handedOut = machine.session?.token ?? null);
  }

  async function signIn(provider: string, params: unknown = {}) {
    await ready();
    const { session, flow, pendingToken } = machine;
    // The server ends the session this sign-in replaces (SES-8), if the token still works.
    const token = session && now() < session.refreshAt ? session.token : null;
    const secondFactor = flow?.step === "awaitingSecondFactor" && flow.factors.includes(provider) && pendingToken;
    const sent = { ...fields(params), ...(secondFactor ? { pendingToken } : {}) };
    return finishSignIn(provider, await o.transport(o.api.signIn, { provider, params: sent }, token));
  }

  /** Each result kind is one case; a kind newer than this client is refused, not ignored. */
  async function finishSignIn(provider: string, result: SignInResult): Promise<SignInOutcome> {
    switch (result.kind) {
      case "signedIn":
        await locked(() => dispatch({ type: "signedIn", session: fromTokens(result.tokens, now()) }));
        return { kind: "signedIn" };
      case "codeSent": {
        const { destination, resendAfterMs, verifier } = result;
        const resendAt = resendAfterMs === undefined ? null : now() + resendAfterMs;
        // A link bound to this browser comes back as a redirect does: with a code only this verifier redeems.
        if (verifier) await rememberRedirect(o.storage, key, { provider, verifier });
        await dispatch({ type: "codeSent", provider, destination, resendAt });
        return { kind: "codeSent", destination, ...(resendAfterMs === undefined ? {} : { resendAfterMs }) };
      }
      case "redirect":
        await rememberRedirect(o.storage, key, { provider, verifier: result.verifier });
        await dispatch({ type: "redirecting", provider, url: result.url });
        return { kind: "redirecting", url: result.url };
      case "secondFactorRequired": {
        const { factors, pendingToken, expiresInMs } = result;
        await dispatch({ type: "secondFactorRequired", factors, pendingToken, expiresAt: now() + expiresInMs });
        return { kind: "secondFactorRequired", factors };
      }
      case "failed":
        throw wardenError(result.error);
      default: {
        // A server newer than this client. Adding a kind to the wire makes this line a type error.
        const unknown: never = result;
        throw new TypeError(`convex-warden: unknown sign-in result ${JSON.stringify(unknown)}`);
      }
    }
  }

  /**
   * Back from a redirect, or opening a sign-in link, with a hand-off code (or
   * an error) in the URL: redeem it, once. A link names its provider, so it
   * is tried even in a browser with nothing pending (the server decides).
   */
  async function finishRedirect() {
    const found = o.navigation && redirectReturn(o.navigation.href());
    if (!found) return;
    const pending = await takePendingRedirect(o.storage, key);
    const provider = found.provider ?? pending?.provider;
    if (!provider) return;
    o.navigation!.replace(found.cleaned);
    const verifier = pending?.provider === provider ? pending.verifier : undefined;
    await dispatch({ type: "finishingRedirect", provider });
    try {
      if (found.error !== null || found.code === null) throw wardenError({ code: found.error ?? "INVALID_CODE" });
      const params = verifier ? { code: found.code, verifier } : { code: found.code };
      await finishSignIn(provider, await o.transport(o.api.signIn, { provider, params }, null));
    } catch (error) {
      const data = isWardenError(error) ? error.data : { code: UNREACHABLE };
      await dispatch({ type: "redirectFailed", provider, error: data });
    }
  }

  async function signOut() {
    await ready();
    const { session } = machine;
    try {
      // The refresh token names the session, even after the access token expired.
      if (session) await o.transport(o.api.signOut, { refreshToken: session.refreshToken }, null);
    } catch {
      // Offline or failing: signing out here must still work.
    }
    await locked(() => dispatch({ type: "signedOut" }));
  }

  function subscribe(listener: (state: AuthState) => void) {
    listeners.add(listener);
    if (listeners.size === 1) {
      stopSync = o.tabSync?.(key, () => void load());
      loaded = load();
      if (!returned) {
        returned = true;
        void loaded.then(finishRedirect);
      }
    }
    return () => {
      if (!listeners.delete(listener) || listeners.size) return;
      stopSync?.();
      // Retries after a failure run on until they settle; the next refresh waits for a listener.
      if (!machine.failures) refresher.at(null);
    };
  }

  return {
    getState: () => shown,
    subscribe,
    fetchToken,
    signIn: signIn as AuthClient<Api>["signIn"],
    signOut,
    cancelSignIn: () => void dispatch({ type: "flowEnded" }),
  };
}
