import { identityFromClaims } from "convex-warden/test";
import { createLocalJWKSet, jwtVerify } from "jose";
import { benchTest } from "../harness/instrument";
import { takeCode } from "../harness/outbox";
import { api } from "../v1/convex/_generated/api";
import schema from "../v1/convex/schema";
import { signedIn, type App, type Attempt, type CallOptions, type Credentials, type Library, type Tokens } from "./types";
import { V1_SITE, v1Jwks } from "./v1Env";

const modules = import.meta.glob("../v1/convex/**/*.ts");

/** v1's `signIn` action returns `{ tokens }`, or `{ tokens: null }` when it did not sign in. */
function tokensOf(result: { tokens?: Tokens | null }): Tokens {
  if (!result.tokens) throw new Error("v1: signIn returned no tokens");
  return { token: result.tokens.token, refreshToken: result.tokens.refreshToken };
}

function redirectTarget(response: Response): string {
  const location = response.headers.get("Location");
  if (response.status !== 302 || location === null) {
    throw new Error(`v1: expected a redirect, got ${response.status}`);
  }
  return location;
}

type V1Test = ReturnType<typeof benchTest<typeof schema.tables>>["t"];

/** v1 throws plain errors; these messages are its failed sign-ins. */
const LOCKED_OUT = ["TooManyFailedAttempts"];
const REJECTED = ["InvalidSecret", "InvalidAccountId", "Invalid credentials"];

function failedAttempt(error: unknown): Attempt {
  const message = error instanceof Error ? error.message : String(error);
  const locked = LOCKED_OUT.find((reason) => message.includes(reason));
  if (locked !== undefined) return { outcome: "lockedOut", reason: locked };
  const rejected = REJECTED.find((reason) => message.includes(reason));
  if (rejected !== undefined) return { outcome: "rejected", reason: rejected };
  throw error;
}

/** GitHub sign-in as v1's client and HTTP routes run it, up to the redirect back. */
function gitHub(t: V1Test): NonNullable<App["gitHub"]> {
  return {
    async begin() {
      // The client starts the flow and is sent to the deployment's sign-in route…
      const started = await t.action(api.auth.signIn, { provider: "github" });
      if (started.verifier === undefined) throw new Error("v1: GitHub sign-in did not start");
      const { verifier } = started;
      const toGitHub = await t.fetch(`/api/auth/signin/github?code=${verifier}`);
      const authorize = new URL(redirectTarget(toGitHub));
      // …which sets the PKCE cookie and sends the browser to GitHub, which
      // sends it back to the callback with a code (and the state, if any).
      const back = new URLSearchParams({ code: "github-code" });
      const state = authorize.searchParams.get("state");
      if (state !== null) back.set("state", state);
      const cookie = toGitHub.headers
        .getSetCookie()
        .map((header) => header.split(";")[0])
        .join("; ");
      return async () => {
        const toApp = await t.fetch(`/api/auth/callback/github?${back}`, { headers: { Cookie: cookie } });
        const code = new URL(redirectTarget(toApp)).searchParams.get("code");
        if (code === null) throw new Error("v1: the GitHub callback gave no code");
        return tokensOf(await t.action(api.auth.signIn, { params: { code }, verifier }));
      };
    },
  };
}

/** Email codes through v1's `Email` provider; the code is read from the outbox. */
function emailCode(t: V1Test): NonNullable<App["emailCode"]> {
  const email = (params: { email: string; code?: string }) =>
    t.action(api.auth.signIn, { provider: "email", params });
  return {
    async request(address) {
      const result = await email({ email: address });
      if (!("started" in result) || result.started !== true) throw new Error("v1: no code sent");
    },
    verify: async (address) => tokensOf(await email({ email: address, code: takeCode(address) })),
  };
}

/**
 * @convex-dev/auth 0.0.95, called the way its React client calls it: every
 * sign-in step and the refresh go through the `signIn` action, sign-out is the
 * `signOut` action.
 */
function create(): App {
  const { t, db } = benchTest(schema, modules);
  /** Calls as `options.as` (if any) from `options.client` (if any). */
  const via = (options: CallOptions = {}) => {
    const caller = options.as === undefined ? t : t.withIdentity(options.as.identity);
    return options.client === undefined ? caller : caller.withRequestMetadata(options.client);
  };
  const password = (flow: "signUp" | "signIn", who: Credentials, options?: CallOptions) =>
    via(options).action(api.auth.signIn, { provider: "password", params: { flow, ...who } });
  const attemptSignIn = (who: Credentials, options?: CallOptions) =>
    password("signIn", who, options).then(
      (result): Attempt => ({ outcome: "signedIn", tokens: tokensOf(result) }),
      failedAttempt,
    );
  return {
    db,
    signUp: async (who, options) => tokensOf(await password("signUp", who, options)),
    signIn: (who, options) => signedIn(attemptSignIn(who, options)),
    attemptSignIn,
    refresh: async (refreshToken, options) => tokensOf(await via(options).action(api.auth.signIn, { refreshToken })),
    async signOut(user, options) {
      await via({ as: user, client: options?.client }).action(api.auth.signOut, {});
    },
    async viewer(user) {
      const viewer = await user.as.query(api.users.viewer, {});
      if (viewer === null) throw new Error("v1: viewer found no user");
      return viewer.id;
    },
    async passwordScheme(who) {
      const account = await t.run((ctx) =>
        ctx.db
          .query("authAccounts")
          .withIndex("providerAndAccountId", (q) =>
            q.eq("provider", "password").eq("providerAccountId", who.email),
          )
          .unique(),
      );
      // lucia's Scrypt stores `<salt>:<key>` only; its parameters are fixed in code.
      return account?.secret?.includes(":") ? "scrypt N=16384 r=16 p=1" : "no password stored";
    },
    async asUser(tokens) {
      const jwks = createLocalJWKSet(JSON.parse(v1Jwks()) as Parameters<typeof createLocalJWKSet>[0]);
      const { payload } = await jwtVerify(tokens.token, jwks, {
        issuer: V1_SITE,
        audience: "convex",
        algorithms: ["RS256"],
      });
      const identity = identityFromClaims(payload);
      return { tokens, identity, as: t.withIdentity(identity) };
    },
    withIdentity: (identity) => t.withIdentity(identity),
    gitHub: gitHub(t),
    emailCode: emailCode(t),
  };
}

export const v1: Library = { id: "v1", label: "@convex-dev/auth 0.0.95", create };
