import { identityFromClaims, registerWarden, verifyAccessToken } from "convex-warden/test";
import type { SignInResult } from "convex-warden/server";
import { ConvexError } from "convex/values";
import { vi } from "vitest";
import { benchTest } from "../harness/instrument";
import { takeCode } from "../harness/outbox";
import { api, components } from "../warden/convex/_generated/api";
import schema from "../warden/convex/schema";
import { signedIn, type App, type Attempt, type CallOptions, type Credentials, type Library, type Tokens } from "./types";

const modules = import.meta.glob("../warden/convex/**/*.ts");

/** What a failed sign-in's code means to the flows. */
const LOCKED_OUT = new Set(["RATE_LIMITED"]);
const REJECTED = new Set(["INVALID_CREDENTIALS"]);

function attemptOf(result: SignInResult): Attempt {
  if (result.kind === "signedIn") {
    return { outcome: "signedIn", tokens: { token: result.tokens.token, refreshToken: result.tokens.refreshToken } };
  }
  if (result.kind === "failed") {
    const { code } = result.error;
    if (LOCKED_OUT.has(code)) return { outcome: "lockedOut", reason: code };
    if (REJECTED.has(code)) return { outcome: "rejected", reason: code };
    throw new ConvexError(result.error);
  }
  throw new Error(`warden: unexpected sign-in result ${result.kind}`);
}

type WardenTest = ReturnType<typeof benchTest<typeof schema.tables>>["t"];

/**
 * Email codes as convex-warden's client asks for them: the request mutation
 * answers codeSent and schedules the send, which runs after it commits (on
 * convex-test's scheduler, a timer of 0 ms); `request` returns once the
 * message is sent, as v1's does. The timer is fired at once rather than
 * waited for: Node holds a 0 ms timer for a millisecond, idle time that is
 * the harness's and not work either library does. The code is read from the
 * outbox.
 */
function emailCode(t: WardenTest): NonNullable<App["emailCode"]> {
  const email = (params: { email: string; code?: string }) => t.mutation(api.auth.signIn, { provider: "email", params });
  return {
    async request(address) {
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
      try {
        const result = await email({ email: address });
        if (result.kind !== "codeSent") throw new Error(`warden: no code sent (${JSON.stringify(result)})`);
        vi.advanceTimersByTime(0);
        await t.finishInProgressScheduledFunctions();
      } finally {
        vi.useRealTimers();
      }
    },
    async verify(address): Promise<Tokens> {
      const attempt = attemptOf(await email({ email: address, code: takeCode(address) }));
      if (attempt.outcome !== "signedIn") throw new Error(`warden: code refused (${attempt.reason})`);
      return attempt.tokens;
    },
  };
}

function redirectTarget(response: Response): URL {
  const location = response.headers.get("location");
  if (response.status !== 302 || location === null) throw new Error(`warden: expected a redirect, got ${response.status}`);
  return new URL(location);
}

/** GitHub sign-in as convex-warden's client and routes run it, up to GitHub's redirect back. */
function gitHub(t: WardenTest): NonNullable<App["gitHub"]> {
  return {
    async begin() {
      // The client starts the flow, keeps the verifier, and is sent to the start route…
      const started = await t.mutation(api.auth.signIn, { provider: "github", params: {} });
      if (started.kind !== "redirect") throw new Error(`warden: GitHub sign-in answered ${started.kind}`);
      const start = new URL(started.url);
      const toGitHub = await t.fetch(`${start.pathname}${start.search}`);
      // …which sets the flow cookie and sends the browser to GitHub, which sends it back with a code.
      const state = redirectTarget(toGitHub).searchParams.get("state");
      if (state === null) throw new Error("warden: no state in GitHub's authorization URL");
      const back = new URLSearchParams({ code: "github-code", state });
      const cookie = toGitHub.headers
        .getSetCookie()
        .map((header) => header.split(";")[0])
        .join("; ");
      return async () => {
        const toApp = await t.fetch(`/api/auth/callback/github?${back}`, { headers: { cookie } });
        const code = redirectTarget(toApp).searchParams.get("wardenCode");
        if (code === null) throw new Error("warden: the GitHub callback gave no code");
        const result = await t.mutation(api.auth.signIn, {
          provider: "github",
          params: { code, verifier: started.verifier },
        });
        const attempt = attemptOf(result);
        if (attempt.outcome !== "signedIn") throw new Error(`warden: GitHub sign-in ${attempt.outcome}`);
        return attempt.tokens;
      };
    },
  };
}

function create(): App {
  const { t, db } = benchTest(schema, modules);
  registerWarden(t);
  /** Calls as `options.as` (if any) from `options.client` (if any). */
  const via = (options: CallOptions = {}) => {
    const caller = options.as === undefined ? t : t.withIdentity(options.as.identity);
    return options.client === undefined ? caller : caller.withRequestMetadata(options.client);
  };
  const attempt = async (flow: "signUp" | "signIn", who: Credentials, options?: CallOptions) =>
    attemptOf(await via(options).mutation(api.auth.signIn, { provider: "password", params: { flow, ...who } }));
  return {
    db,
    signUp: (who, options) => signedIn(attempt("signUp", who, options)),
    signIn: (who, options) => signedIn(attempt("signIn", who, options)),
    attemptSignIn: (who, options) => attempt("signIn", who, options),
    refresh: (refreshToken, options) =>
      signedIn(via(options).mutation(api.auth.refresh, { refreshToken }).then(attemptOf)),
    // As convex-warden's client signs out: by refresh token, with no access
    // token, so a client whose access token expired can still sign out.
    async signOut(user, options) {
      await via({ client: options?.client }).mutation(api.auth.signOut, { refreshToken: user.tokens.refreshToken });
    },
    async viewer(user) {
      const viewer = await user.as.query(api.users.viewer, {});
      if (viewer === null) throw new Error("warden: viewer found no user");
      return viewer.id;
    },
    async viewerLive(user) {
      const userId = await user.as.query(api.users.viewerLive, {});
      if (userId === null) throw new Error("warden: viewerLive found no live session");
      return userId;
    },
    async passwordScheme(who) {
      const account = await t.query(components.warden.accounts.get, {
        provider: "password",
        providerAccountId: who.email,
      });
      // A PHC string: `$argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>`; keep the parameters.
      return account?.secret?.split("$").slice(1, 4).join(" ") ?? "no password stored";
    },
    async asUser(tokens) {
      const identity = identityFromClaims(await verifyAccessToken(t, tokens.token));
      return { tokens, identity, as: t.withIdentity(identity) };
    },
    withIdentity: (identity) => t.withIdentity(identity),
    emailCode: emailCode(t),
    gitHub: gitHub(t),
  };
}

export const warden: Library = { id: "warden", label: "convex-warden", create };
