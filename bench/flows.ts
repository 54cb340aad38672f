import type { App, Credentials, SignedIn, Tokens } from "./drivers/types";

/**
 * The flows, each written once against `App`. `prepare` does the untimed setup
 * for one call (signing a user in, refreshing N times) and returns the call to
 * time. A flow a library's app cannot run yet (`supports`) is reported n/a.
 */
export interface Flow {
  /** Key in results.json. */
  id: string;
  /** Row label in the printed table. */
  label: string;
  /** Timed calls per library. */
  samples: number;
  /** Untimed calls per library before timing (the last one is the counted one). */
  warmup: number;
  /** Whether the call hashes a password, so its time is split around hashing. */
  hashes: boolean;
  supports(app: App): boolean;
  prepare(app: App): Promise<() => Promise<unknown>>;
}

export type Scale = "full" | "smoke";

const PASSWORD = "correct horse battery staple";
let users = 0;
const newCredentials = (): Credentials => ({ email: `user${++users}@bench.test`, password: PASSWORD });

/** One signed-up user per app, for the flows that sign an existing user in. */
const accounts = new WeakMap<App, Credentials>();
async function existingUser(app: App): Promise<Credentials> {
  let who = accounts.get(app);
  if (who === undefined) {
    who = newCredentials();
    await app.signUp(who);
    accounts.set(app, who);
  }
  return who;
}

/** A fresh session (its own sign-in), refreshed `refreshes` times. */
async function session(app: App, refreshes: number): Promise<SignedIn> {
  let tokens = await app.signIn(await existingUser(app));
  for (let i = 0; i < refreshes; i++) tokens = await app.refresh(tokens.refreshToken);
  return app.asUser(tokens);
}

const always = () => true;

type FlowSpec = Pick<Flow, "id" | "label" | "prepare"> & Partial<Flow>;
const flow = (spec: FlowSpec): Flow => ({ warmup: 3, samples: 1, hashes: false, supports: always, ...spec });

function signUp(samples: number): Flow {
  return flow({
    id: "passwordSignUp",
    label: "password sign-up",
    samples,
    hashes: true,
    prepare: async (app) => {
      const who = newCredentials();
      return () => app.signUp(who);
    },
  });
}

function signIn(samples: number): Flow {
  return flow({
    id: "passwordSignIn",
    label: "password sign-in",
    samples,
    hashes: true,
    prepare: async (app) => {
      const who = await existingUser(app);
      return () => app.signIn(who);
    },
  });
}

/** One session per app, refreshed on and on: each call presents the latest token. */
function refresh(samples: number): Flow {
  const chains = new WeakMap<App, Tokens>();
  return flow({
    id: "refresh",
    label: "refresh",
    samples,
    prepare: async (app) => {
      const current = chains.get(app) ?? (await app.signIn(await existingUser(app)));
      return async () => chains.set(app, await app.refresh(current.refreshToken));
    },
  });
}

function signOut(refreshes: number, samples: number, warmup: number): Flow {
  const after = refreshes === 0 ? "" : ` after ${refreshes} refresh${refreshes === 1 ? "" : "es"}`;
  return flow({
    id: refreshes === 0 ? "signOut" : `signOutAfter${refreshes}Refreshes`,
    label: `sign-out${after}`,
    samples,
    warmup,
    prepare: async (app) => {
      const user = await session(app, refreshes);
      return () => app.signOut(user);
    },
  });
}

function emailCode(samples: number): Flow {
  return flow({
    id: "emailCode",
    label: "email code request + verify",
    samples,
    supports: (app) => app.emailCode !== undefined,
    prepare: async (app) => {
      const codes = app.emailCode!;
      const { email } = newCredentials();
      return async () => {
        await codes.request(email);
        await codes.verify(email);
      };
    },
  });
}

/** A returning GitHub user (the fake GitHub has one): each app signs them in once first. */
function gitHubCallback(samples: number): Flow {
  const returning = new WeakSet<App>();
  return flow({
    id: "oauthCallback",
    label: "OAuth callback (GitHub) to tokens",
    samples,
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

function getAuthUserId(samples: number): Flow {
  const viewers = new WeakMap<App, SignedIn>();
  return flow({
    id: "getAuthUserIdQuery",
    label: "getAuthUserId in a query",
    samples,
    prepare: async (app) => {
      const user = viewers.get(app) ?? (await session(app, 0));
      viewers.set(app, user);
      return () => app.viewer(user);
    },
  });
}

/**
 * Every flow, at a scale: "full" for `npm run bench` (about 3 minutes on two
 * cores, most of it password hashing and the 1000-refresh setups), "smoke"
 * to check the harness end to end in seconds.
 */
export function flows(scale: Scale): Flow[] {
  const full = scale === "full";
  const n = (fullCount: number, smokeCount: number) => (full ? fullCount : smokeCount);
  const all = [
    signUp(n(40, 2)),
    signIn(n(40, 2)),
    refresh(n(400, 3)),
    signOut(0, n(30, 2), n(3, 1)),
    signOut(1, n(30, 2), n(3, 1)),
    signOut(n(100, 3), n(15, 2), 1),
    signOut(n(1000, 10), n(5, 2), 1),
    emailCode(n(200, 2)),
    gitHubCallback(n(200, 2)),
    getAuthUserId(n(500, 3)),
  ];
  // A smoke run warms up once: the one counted call.
  return full ? all : all.map((each) => ({ ...each, warmup: 1 }));
}
