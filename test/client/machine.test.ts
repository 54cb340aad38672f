import { describe, expect, test } from "vitest";
import { initialState, transition, view, type AuthEvent, type MachineState } from "convex-warden/client";

/**
 * The client's transition function alone: every state the machine can be in,
 * every event, and the effects each asks the edges to run. No storage, lock,
 * network or timer is involved.
 */
const session = (n: number) => ({ token: `access-${n}`, refreshToken: `refresh-${n}`, expiresAt: 1_000 * n, refreshAt: 900 * n, since: n });
const awaitingCode = { step: "awaitingCode" as const, provider: "email", destination: "a•••@example.com", resendAt: 60 };

const STATES: Record<string, MachineState> = {
  loading: initialState,
  signedOut: { ...initialState, phase: "signedOut" },
  signedIn: { ...initialState, phase: "signedIn", session: session(1) },
  reconnecting: { ...initialState, phase: "signedIn", session: session(1), failures: 3, unreachable: { retryAt: 5_000 } },
  awaitingCode: { ...initialState, phase: "signedOut", flow: awaitingCode },
  awaitingSecondFactor: {
    ...initialState,
    phase: "signedOut",
    flow: { step: "awaitingSecondFactor", factors: ["totp"], expiresAt: 300 },
    pendingToken: "pending",
  },
  finishingRedirect: { ...initialState, phase: "signedOut", flow: { step: "finishingRedirect", provider: "github" } },
};

const EVENTS: Record<string, AuthEvent> = {
  loadedNone: { type: "loaded", session: null },
  loadedSame: { type: "loaded", session: { ...session(1), token: "access-1b" } },
  loadedOther: { type: "loaded", session: session(2) },
  signedIn: { type: "signedIn", session: session(3) },
  codeSent: { type: "codeSent", provider: "email", destination: "a•••@example.com", resendAt: 60 },
  redirecting: { type: "redirecting", provider: "github", url: "https://github.example/authorize" },
  finishingRedirect: { type: "finishingRedirect", provider: "github" },
  redirectFailed: { type: "redirectFailed", provider: "github", error: { code: "OAUTH_ACCESS_DENIED" } },
  secondFactorRequired: { type: "secondFactorRequired", factors: ["totp"], expiresAt: 300, pendingToken: "pending" },
  flowEnded: { type: "flowEnded" },
  refreshed: { type: "refreshed", session: { ...session(1), token: "access-1r", refreshToken: "refresh-1r" } },
  refreshRefused: { type: "refreshRefused" },
  refreshFailedOnline: { type: "refreshFailed", retryAt: 2_000, unreachable: false, expired: true },
  refreshFailedOffline: { type: "refreshFailed", retryAt: 2_000, unreachable: true, expired: true },
  refreshFailedEarly: { type: "refreshFailed", retryAt: 2_000, unreachable: true, expired: false },
  signedOut: { type: "signedOut" },
};

/** The one-line summary of an outcome: the status the app sees, the flow step, and the effects. */
function outcome(state: MachineState, event: AuthEvent) {
  const next = transition(state, event);
  const shown = view(next.state);
  return {
    status: shown.status,
    flow: shown.flow?.step ?? null,
    token: "token" in shown ? shown.token : null,
    effects: next.effects.map((effect) =>
      effect.type === "save" ? `save(${effect.session?.token ?? "none"})` : effect.type === "navigate" ? "navigate" : `refreshAt(${effect.at})`,
    ),
  };
}

describe("every state × every event", () => {
  test.each(Object.keys(STATES))("from %s, every event leads to a defined state", (name) => {
    for (const event of Object.values(EVENTS)) {
      const { state, effects } = transition(STATES[name]!, event);
      expect(["loading", "signedOut", "signedIn"]).toContain(state.phase);
      expect(state.phase === "signedIn").toBe(state.session !== null);
      expect(Array.isArray(effects)).toBe(true);
    }
  });

  test("the table of outcomes", () => {
    const table: Record<string, Record<string, ReturnType<typeof outcome>>> = {};
    for (const [stateName, state] of Object.entries(STATES)) {
      table[stateName] = {};
      for (const [eventName, event] of Object.entries(EVENTS)) table[stateName]![eventName] = outcome(state, event);
    }
    // A few rows written out; the rest follow from the rules tested below.
    expect(table.loading!.loadedNone).toEqual({ status: "signedOut", flow: null, token: null, effects: ["refreshAt(null)"] });
    expect(table.loading!.loadedOther).toEqual({ status: "signedIn", flow: null, token: "access-2", effects: ["refreshAt(1800)"] });
    expect(table.signedOut!.signedIn).toEqual({ status: "signedIn", flow: null, token: "access-3", effects: ["save(access-3)", "refreshAt(2700)"] });
    expect(table.signedIn!.refreshRefused).toEqual({ status: "signedOut", flow: null, token: null, effects: ["save(none)", "refreshAt(null)"] });
    expect(table.signedIn!.refreshFailedOffline).toEqual({ status: "reconnecting", flow: null, token: "access-1", effects: ["refreshAt(2000)"] });
    expect(table.signedIn!.refreshFailedOnline).toEqual({ status: "signedIn", flow: null, token: "access-1", effects: ["refreshAt(2000)"] });
    expect(table.signedIn!.refreshFailedEarly).toEqual({ status: "signedIn", flow: null, token: "access-1", effects: ["refreshAt(2000)"] });
    expect(table.reconnecting!.refreshed).toEqual({ status: "signedIn", flow: null, token: "access-1r", effects: ["save(access-1r)", "refreshAt(900)"] });
    expect(table.signedOut!.redirecting).toEqual({ status: "signedOut", flow: "redirecting", token: null, effects: ["navigate"] });
    expect(table.awaitingCode!.signedIn).toEqual({ status: "signedIn", flow: null, token: "access-3", effects: ["save(access-3)", "refreshAt(2700)"] });
    expect(table.finishingRedirect!.redirectFailed).toEqual({ status: "signedOut", flow: "redirectFailed", token: null, effects: [] });
    expect(table.signedOut!.refreshFailedOffline).toEqual({ status: "signedOut", flow: null, token: null, effects: [] });
  });
});

describe("the rules", () => {
  test("only the server refusing the token, or a sign-out, ends a session", () => {
    for (const [name, event] of Object.entries(EVENTS)) {
      const after = transition(STATES.signedIn!, event).state;
      const ended = after.session === null;
      expect([name, ended]).toEqual([name, ["loadedNone", "refreshRefused", "signedOut"].includes(name)]);
    }
  });

  test("reconnecting only when the token expired and the backend could not be reached; any answer ends it", () => {
    expect(view(transition(STATES.signedIn!, EVENTS.refreshFailedOffline!).state).status).toBe("reconnecting");
    expect(view(transition(STATES.reconnecting!, EVENTS.refreshFailedOnline!).state).status).toBe("signedIn");
    expect(view(transition(STATES.reconnecting!, EVENTS.refreshed!).state).status).toBe("signedIn");
    expect(view(transition(STATES.reconnecting!, EVENTS.refreshRefused!).state).status).toBe("signedOut");
  });

  test("failures count up for the backoff and reset on success", () => {
    let state = STATES.signedIn!;
    for (let i = 1; i <= 3; i++) {
      state = transition(state, EVENTS.refreshFailedOnline!).state;
      expect(state.failures).toBe(i);
    }
    expect(transition(state, EVENTS.refreshed!).state.failures).toBe(0);
  });

  test("a retry is scheduled even with nobody listening; a routine refresh is not", () => {
    expect(transition(STATES.signedIn!, EVENTS.refreshFailedOnline!).effects).toEqual([{ type: "scheduleRefresh", at: 2_000, retry: true }]);
    expect(transition(STATES.signedOut!, EVENTS.signedIn!).effects.at(-1)).toEqual({ type: "scheduleRefresh", at: 2_700 });
  });

  test("a flow survives refreshes and another tab's refresh of the same session, and ends with a session of its own or another tab's", () => {
    const inFlow: MachineState = { ...STATES.signedIn!, flow: awaitingCode };
    expect(transition(inFlow, EVENTS.refreshed!).state.flow).toEqual(awaitingCode);
    expect(transition(inFlow, EVENTS.loadedSame!).state.flow).toEqual(awaitingCode);
    expect(transition(inFlow, EVENTS.loadedOther!).state.flow).toBeNull();
    expect(transition(inFlow, EVENTS.signedIn!).state.flow).toBeNull();
    expect(transition(inFlow, EVENTS.signedOut!).state.flow).toBeNull();
    // The server refusing a refresh ends the session, not the sign-in under way.
    expect(transition(inFlow, EVENTS.refreshRefused!).state.flow).toEqual(awaitingCode);
  });

  test("the pending second factor's token is kept for its flow only, and never shown", () => {
    const pending = transition(STATES.signedOut!, EVENTS.secondFactorRequired!).state;
    expect(pending.pendingToken).toBe("pending");
    expect(JSON.stringify(view(pending))).not.toContain("pending\"");
    expect(transition(pending, EVENTS.flowEnded!).state.pendingToken).toBeNull();
    expect(transition(pending, EVENTS.signedIn!).state.pendingToken).toBeNull();
    expect(transition(pending, EVENTS.codeSent!).state.pendingToken).toBe("pending");
  });

  test("the app never sees the refresh token", () => {
    for (const state of Object.values(STATES)) {
      for (const event of Object.values(EVENTS)) {
        expect(JSON.stringify(view(transition(state, event).state))).not.toMatch(/refresh-/);
      }
    }
  });
});
