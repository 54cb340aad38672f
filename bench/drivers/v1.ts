import { convexTest, type TestConvex } from "convex-test";
import { identityFromClaims } from "convex-warden/test";
import { createLocalJWKSet, jwtVerify } from "jose";
import { takeCode } from "../harness/outbox";
import { api } from "../v1/convex/_generated/api";
import schema from "../v1/convex/schema";
import type { App, Credentials, Library, Tokens } from "./types";
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

type V1Test = TestConvex<typeof schema>;

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
  const t = convexTest(schema, modules);
  const password = (flow: "signUp" | "signIn", who: Credentials) =>
    t.action(api.auth.signIn, { provider: "password", params: { flow, ...who } });
  return {
    signUp: async (who) => tokensOf(await password("signUp", who)),
    signIn: async (who) => tokensOf(await password("signIn", who)),
    refresh: async (refreshToken) => tokensOf(await t.action(api.auth.signIn, { refreshToken })),
    async signOut(user) {
      await user.as.action(api.auth.signOut, {});
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
      return { tokens, as: t.withIdentity(identityFromClaims(payload)) };
    },
    gitHub: gitHub(t),
    emailCode: emailCode(t),
  };
}

export const v1: Library = { id: "v1", label: "@convex-dev/auth 0.0.95", create };
