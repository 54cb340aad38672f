import type { App, Attempt, SignedIn, Tokens } from "./drivers/types";
import { fixture, newEmail, PASSWORD } from "./fixtures";

/**
 * The flows, each written once against `App`. `prepare` does the untimed setup
 * for one call (a fresh session, a locked account) and returns the call to
 * time. A flow a library's app cannot run (`supports`) is reported n/a.
 *
 * Adding a flow: write it here with `flow({...})`, add it to `flows()` (and to
 * the seeded run with `seeded`), and, if it needs something `App` lacks, add
 * an optional member to `App` (drivers/types.ts) that `supports` checks.
 */
export interface Flow {
  /** Key in results.json. */
  id: string;
  /** Row label in the printed table. */
  label: string;
  /** Flows an attacker drives are printed as a group of their own. */
  attack: boolean;
  /** Timed calls per library. */
  samples: number;
  /** Untimed calls per library before timing (the last one is the recorded one). */
  warmup: number;
  /** Timed calls on one app before a fresh one; 0: one app for all (its database grows). */
  samplesPerApp: number;
  /** Timed calls per library at each size of the seeded run; 0: not in it. */
  seeded: number;
  /** Whether the call hashes a password, so its time is split around hashing. */
  hashes: boolean;
  /** Whether to report the rows the timed calls left behind, table by table. */
  rowsLeftBehind: boolean;
  supports(app: App): boolean;
  prepare(app: App): Promise<() => Promise<unknown>>;
}

export type Scale = "full" | "smoke";

const WRONG = "not the password at all";
const always = (_app: App) => true;

type FlowSpec = Pick<Flow, "id" | "label" | "prepare"> & Partial<Flow>;
const flow = (spec: FlowSpec): Flow => ({
  attack: false,
  samples: 1,
  warmup: 3,
  samplesPerApp: 50,
  seeded: 0,
  hashes: false,
  rowsLeftBehind: false,
  supports: always,
  ...spec,
});

/** The attempt, or an error naming what came instead of `expected`. */
async function expectOutcome(attempt: Promise<Attempt>, expected: Attempt["outcome"]): Promise<Attempt> {
  const result = await attempt;
  if (result.outcome !== expected) {
    throw new Error(`expected ${expected}, got ${result.outcome}${"reason" in result ? ` (${result.reason})` : ""}`);
  }
  return result;
}

function signUp(samples: number, seeded: number): Flow {
  return flow({
    id: "passwordSignUp",
    label: "password sign-up",
    samples,
    seeded,
    hashes: true,
    prepare: async (app) => {
      const who = { email: newEmail(), password: PASSWORD };
      return () => app.signUp(who);
    },
  });
}

function signIn(samples: number, seeded: number): Flow {
  return flow({
    id: "passwordSignIn",
    label: "password sign-in",
    samples,
    seeded,
    hashes: true,
    prepare: async (app) => {
      const who = await fixture(app).user();
      return () => app.signIn(who);
    },
  });
}

/** One session per app, refreshed on and on: each call presents the latest token. */
function refresh(samples: number, seeded: number): Flow {
  const chains = new WeakMap<App, Tokens>();
  return flow({
    id: "refresh",
    label: "refresh",
    samples,
    seeded,
    prepare: async (app) => {
      const current = chains.get(app) ?? (await fixture(app).session(0)).tokens;
      return async () => chains.set(app, await app.refresh(current.refreshToken));
    },
  });
}

function signOut(refreshes: number, samples: number, seeded = 0): Flow {
  const after = refreshes === 0 ? "" : ` after ${refreshes} refresh${refreshes === 1 ? "" : "es"}`;
  return flow({
    id: refreshes === 0 ? "signOut" : `signOutAfter${refreshes}Refreshes`,
    label: `sign-out${after}`,
    samples,
    seeded,
    prepare: async (app) => {
      const user = await fixture(app).session(refreshes);
      return () => app.signOut(user);
    },
  });
}

function emailCode(samples: number, seeded: number): Flow {
  return flow({
    id: "emailCode",
    label: "email code request + verify",
    samples,
    seeded,
    supports: (app) => app.emailCode !== undefined,
    prepare: async (app) => {
      const codes = app.emailCode!;
      const email = newEmail();
      return async () => {
        await codes.request(email);
        await codes.verify(email);
      };
    },
  });
}

/** A returning GitHub user (the fake GitHub has one): each app signs them in once first. */
function gitHubCallback(samples: number, seeded: number): Flow {
  const returning = new WeakSet<App>();
  return flow({
    id: "oauthCallback",
    label: "OAuth callback (GitHub) to tokens",
    samples,
    seeded,
    supports: (app) => app.gitHub !== undefined,
    prepare: async (app) => {
      const gitHub = app.gitHub!;
      if (!returning.has(app)) {
        await (await gitHub.begin())();
        returning.add(app);
      }
      return gitHub.begin();
    },
  });
}

/** One signed-in viewer per app, asking again and again. */
function viewerFlow(spec: Pick<Flow, "id" | "label" | "samples" | "seeded">, ask: (app: App, user: SignedIn) => Promise<unknown>, supports = always) {
  const viewers = new WeakMap<App, SignedIn>();
  return flow({
    ...spec,
    supports,
    prepare: async (app) => {
      const user = viewers.get(app) ?? (await fixture(app).session(0));
      viewers.set(app, user);
      return () => ask(app, user);
    },
  });
}

const getAuthUserId = (samples: number, seeded: number) =>
  viewerFlow({ id: "getAuthUserIdQuery", label: "getAuthUserId in a query (token only)", samples, seeded }, (app, user) =>
    app.viewer(user),
  );

const getUserIdLive = (samples: number, seeded: number) =>
  viewerFlow(
    { id: "getUserIdLiveQuery", label: "auth.getUserId in a query (live session)", samples, seeded },
    (app, user) => app.viewerLive!(user),
    (app) => app.viewerLive !== undefined,
  );

/** A new sign-in from a client already signed in: each call's session is the next one's current. */
function signInWhileSignedIn(samples: number, seeded: number): Flow {
  const current = new WeakMap<App, Tokens>();
  return flow({
    id: "signInWhileSignedIn",
    label: "sign-in while already signed in",
    samples,
    seeded,
    hashes: true,
    prepare: async (app) => {
      const held = current.get(app);
      const user = held === undefined ? await fixture(app).session(0) : await app.asUser(held);
      const who = await fixture(app).user();
      return async () => current.set(app, await app.signIn(who, { as: user }));
    },
  });
}

// ---- Flows an attacker drives ----

/** A wrong password for an account with no failures yet (a fresh one per call). */
function wrongPassword(samples: number, seeded: number): Flow {
  return flow({
    id: "wrongPassword",
    label: "wrong password",
    attack: true,
    samples,
    seeded,
    hashes: true,
    prepare: async (app) => {
      const { email } = await fixture(app).freshUser();
      return () => expectOutcome(app.attemptSignIn({ email, password: WRONG }), "rejected");
    },
  });
}

function unknownEmail(samples: number, seeded: number): Flow {
  return flow({
    id: "unknownEmail",
    label: "unknown email",
    attack: true,
    samples,
    seeded,
    hashes: true,
    prepare: async (app) => {
      const email = newEmail("nobody");
      return () => expectOutcome(app.attemptSignIn({ email, password: WRONG }), "rejected");
    },
  });
}

/** Guessing on at an account already locked by the failure limit (one per app). */
function lockedAccount(samples: number, seeded: number): Flow {
  const locked = new WeakMap<App, Promise<string>>();
  const lockOut = async (app: App) => {
    const { email } = await fixture(app).freshUser();
    for (let attempt = 0; attempt < 100; attempt++) {
      const result = await app.attemptSignIn({ email, password: WRONG });
      if (result.outcome === "lockedOut") return email;
      if (result.outcome !== "rejected") throw new Error(`lockedAccount: ${result.outcome}`);
    }
    throw new Error("lockedAccount: still not locked after 100 wrong passwords");
  };
  return flow({
    id: "lockedAccount",
    label: "locked account (after the failure limit)",
    attack: true,
    samples,
    seeded,
    hashes: true,
    prepare: async (app) => {
      let email = locked.get(app);
      if (email === undefined) {
        email = lockOut(app);
        locked.set(app, email);
      }
      const target = await email;
      return () => expectOutcome(app.attemptSignIn({ email: target, password: WRONG }), "lockedOut");
    },
  });
}

/** Unknown emails one after another on one app: the time per attempt, and what stays in the tables. */
function spray(attempts: number): Flow {
  return flow({
    id: "spray",
    label: `spray: ${attempts} unknown emails, per attempt`,
    attack: true,
    samples: attempts,
    samplesPerApp: 0,
    hashes: true,
    rowsLeftBehind: true,
    prepare: async (app) => {
      const email = newEmail("spray");
      return () => expectOutcome(app.attemptSignIn({ email, password: WRONG }), "rejected");
    },
  });
}

/**
 * Every flow, at a scale: "full" for `npm run bench`, "smoke" to check the
 * harness end to end in seconds. `seeded` is the samples at each database size.
 */
export function flows(scale: Scale): Flow[] {
  const full = scale === "full";
  const n = (fullCount: number, smokeCount: number) => (full ? fullCount : smokeCount);
  const all = [
    signUp(n(40, 2), n(8, 1)),
    signIn(n(40, 2), n(8, 1)),
    refresh(n(400, 3), n(60, 1)),
    signOut(0, n(60, 2), n(30, 1)),
    signOut(1, n(60, 2)),
    signOut(100, n(30, 2)),
    signOut(n(1000, 10), n(30, 2)),
    emailCode(n(200, 2), n(30, 1)),
    gitHubCallback(n(200, 2), n(30, 1)),
    getAuthUserId(n(500, 3), n(60, 1)),
    getUserIdLive(n(500, 3), n(60, 1)),
    signInWhileSignedIn(n(30, 2), n(8, 1)),
    wrongPassword(n(40, 2), n(8, 1)),
    unknownEmail(n(40, 2), n(8, 1)),
    // Its lockout costs ten real failures per app: too slow for a smoke run's seeded sizes.
    lockedAccount(n(100, 2), n(30, 0)),
    spray(n(1000, 3)),
  ];
  // A smoke run warms up once: the one recorded call.
  return full ? all : all.map((each) => ({ ...each, warmup: 1 }));
}
