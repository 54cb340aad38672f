import type { AnyWardenErrorData } from "../shared/errors/guard.js";
import type { Session } from "./storage.js";

/**
 * The browser client as an explicit state machine: `transition` is a pure
 * function from a state and an event to the next state and the effects to
 * run (write storage, set the refresh timer, leave the page). Storage, locks,
 * the network and timers stay at the edges, in `authClient.ts`, which turns
 * what happens there into events. Two parts move together: where the session
 * is (`phase`) and which sign-in, if any, is under way (`flow`).
 */

/** A sign-in under way: what the app shows next. */
export type SignInFlow =
  /** A code (or link) was sent; the next `signIn` of `provider` with the code finishes. */
  | { step: "awaitingCode"; provider: string; destination: string; resendAt: number | null }
  /** The browser is leaving for `url` (an OAuth provider) and will come back to finish. */
  | { step: "redirecting"; provider: string; url: string }
  /** Back from a redirect: the code in the URL is being redeemed. */
  | { step: "finishingRedirect"; provider: string }
  /** The first factor passed; one of `factors` must follow before `expiresAt`. */
  | { step: "awaitingSecondFactor"; factors: string[]; expiresAt: number }
  /** Back from a redirect that failed (consent denied, a replayed callback...): `error.code` says why. */
  | { step: "redirectFailed"; provider: string; error: AnyWardenErrorData };

export interface MachineState {
  readonly phase: "loading" | "signedOut" | "signedIn";
  /** The stored session (tokens), when signed in. Never shown to the app. */
  readonly session: Session | null;
  /** Refreshes that failed in a row without ending the session. */
  readonly failures: number;
  /** The last refresh could not reach the backend after the token had expired. */
  readonly unreachable: { retryAt: number } | null;
  readonly flow: SignInFlow | null;
  /** The pending second factor's token, added to the second factor's `signIn`. */
  readonly pendingToken: string | null;
}

export type AuthEvent =
  /** Storage was read: at start, or after another tab wrote it. */
  | { type: "loaded"; session: Session | null }
  /** This tab signed in (a sign-in or a finished redirect answered with tokens). */
  | { type: "signedIn"; session: Session }
  | { type: "codeSent"; provider: string; destination: string; resendAt: number | null }
  | { type: "redirecting"; provider: string; url: string }
  | { type: "finishingRedirect"; provider: string }
  | { type: "redirectFailed"; provider: string; error: AnyWardenErrorData }
  | { type: "secondFactorRequired"; factors: string[]; expiresAt: number; pendingToken: string }
  /** The flow under way ended without a session (given up, expired, or its redirect failed). */
  | { type: "flowEnded" }
  | { type: "refreshed"; session: Session }
  /** The server refused the refresh token: the session is over. */
  | { type: "refreshRefused" }
  /** A refresh failed and will be retried at `retryAt`; `expired` if the token had run out. */
  | { type: "refreshFailed"; retryAt: number; unreachable: boolean; expired: boolean }
  | { type: "signedOut" };

export type Effect =
  | { type: "save"; session: Session | null }
  /** Refresh at this time (ms since epoch), or not at all. A `retry` runs even with nobody listening. */
  | { type: "scheduleRefresh"; at: number | null; retry?: boolean }
  | { type: "navigate"; url: string };

export const initialState: MachineState = {
  phase: "loading",
  session: null,
  failures: 0,
  unreachable: null,
  flow: null,
  pendingToken: null,
};

const signedInWith = (state: MachineState, session: Session, flow: SignInFlow | null): MachineState => ({
  ...state,
  phase: "signedIn",
  session,
  failures: 0,
  unreachable: null,
  flow,
  pendingToken: flow?.step === "awaitingSecondFactor" ? state.pendingToken : null,
});

const signedOut = (state: MachineState): MachineState => ({
  ...state,
  phase: "signedOut",
  session: null,
  failures: 0,
  unreachable: null,
});

const schedule = (session: Session | null): Effect => ({ type: "scheduleRefresh", at: session?.refreshAt ?? null });

export function transition(state: MachineState, event: AuthEvent): { state: MachineState; effects: Effect[] } {
  switch (event.type) {
    case "loaded": {
      // Storage read at start or after another tab wrote it. A session that began elsewhere ends this tab's flow.
      const { session } = event;
      const flow = session && session.since !== state.session?.since ? null : state.flow;
      const next = session ? signedInWith(state, session, flow) : signedOut(state);
      return { state: { ...next, pendingToken: flow ? state.pendingToken : null }, effects: [schedule(session)] };
    }
    case "signedIn":
      return {
        state: { ...signedInWith(state, event.session, null), pendingToken: null },
        effects: [{ type: "save", session: event.session }, schedule(event.session)],
      };
    case "refreshed":
      return {
        state: signedInWith(state, event.session, state.flow),
        effects: [{ type: "save", session: event.session }, schedule(event.session)],
      };
    case "refreshRefused":
    case "signedOut": {
      const ended = signedOut(state);
      const next = event.type === "signedOut" ? { ...ended, flow: null, pendingToken: null } : ended;
      return { state: next, effects: [{ type: "save", session: null }, schedule(null)] };
    }
    case "refreshFailed": {
      if (state.session === null) return { state, effects: [] };
      const unreachable = event.unreachable && event.expired ? { retryAt: event.retryAt } : null;
      return {
        state: { ...state, failures: state.failures + 1, unreachable },
        effects: [{ type: "scheduleRefresh", at: event.retryAt, retry: true }],
      };
    }
    case "codeSent": {
      const { provider, destination, resendAt } = event;
      return { state: { ...state, flow: { step: "awaitingCode", provider, destination, resendAt } }, effects: [] };
    }
    case "redirecting":
      return {
        state: { ...state, flow: { step: "redirecting", provider: event.provider, url: event.url } },
        effects: [{ type: "navigate", url: event.url }],
      };
    case "finishingRedirect":
      return { state: { ...state, flow: { step: "finishingRedirect", provider: event.provider } }, effects: [] };
    case "redirectFailed":
      return { state: { ...state, flow: { step: "redirectFailed", provider: event.provider, error: event.error } }, effects: [] };
    case "secondFactorRequired": {
      const { factors, expiresAt, pendingToken } = event;
      return { state: { ...state, flow: { step: "awaitingSecondFactor", factors, expiresAt }, pendingToken }, effects: [] };
    }
    case "flowEnded":
      return { state: { ...state, flow: null, pendingToken: null }, effects: [] };
  }
}

/** What the app sees: where the session is, and the sign-in under way. */
export type AuthState =
  | { status: "loading"; flow: SignInFlow | null }
  | { status: "signedOut"; flow: SignInFlow | null }
  | {
      status: "signedIn";
      /** The current access JWT. */
      token: string;
      /** When this session began. Changes when another session replaces it, not on refresh. */
      since: number;
      flow: SignInFlow | null;
    }
  | {
      /**
       * Signed in, but the access token expired and the backend could not be
       * reached to refresh it: show "reconnecting", not a sign-in page. The
       * session is kept; the next attempt is at `retryAt`.
       */
      status: "reconnecting";
      token: string;
      since: number;
      retryAt: number;
      flow: SignInFlow | null;
    };

export function view(state: MachineState): AuthState {
  const { phase, session, flow } = state;
  if (phase !== "signedIn" || session === null) return { status: phase === "loading" ? "loading" : "signedOut", flow };
  const { token, since } = session;
  return state.unreachable
    ? { status: "reconnecting", token, since, retryAt: state.unreachable.retryAt, flow }
    : { status: "signedIn", token, since, flow };
}

/** Whether two views differ for a listener (tokens, status or flow). */
export function sameView(a: AuthState, b: AuthState): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
