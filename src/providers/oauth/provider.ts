import { v, type Infer } from "convex/values";
import type { OAuthProfile, OAuthProvider } from "../../lib/oauth/types.js";
import {
  defineProvider,
  type ActionStep,
  type AuthProvider,
  type MutationStep,
  type ProviderRoute,
  type StepOutcome,
} from "../../server/provider.js";
import type { UserProfile } from "../../server/types.js";
import { wardenError } from "../../shared/errors/index.js";
import { beginFlow, consumeState, issueHandoff, redeemHandoff, startFlow, type HandoffData } from "./flow.js";
import { resolveUser } from "./link.js";
import { flowSettings, routePaths, type OAuthFlowOptions } from "./options.js";
import type { oauthRouteHandlers, RouteDependencies } from "./routes.js";
import { checkTokenKey, sealTokens } from "./tokens.js";

/**
 * `signIn(id, params)` for an OAuth provider, in two calls: without `code`
 * it starts a flow and answers `redirect`; back from the provider, the
 * browser client calls it with the hand-off `code` and its `verifier`.
 */
export const oauthParams = v.object({
  /** Where to come back to: a path of the site, or a URL on an allowed origin. Default: the site. */
  redirectTo: v.optional(v.string()),
  /** Link this provider to the signed-in user instead of signing in. */
  link: v.optional(v.boolean()),
  /** The hand-off code the browser came back with (`?wardenCode=`). */
  code: v.optional(v.string()),
  /** The verifier the client kept from the `redirect` answer. */
  verifier: v.optional(v.string()),
});
export type OAuthParams = typeof oauthParams;
export type OAuthStores = "accounts" | "challenges" | "limits" | "users";
type Step = MutationStep<OAuthStores>;

/** The fields a new user gets by default. */
export const defaultUserProfile = (profile: OAuthProfile): UserProfile => ({
  email: profile.email,
  emailVerificationTime: profile.emailVerified && profile.email !== undefined ? Date.now() : undefined,
  name: profile.name,
  image: profile.image,
});

/**
 * The routes, their handlers loaded when one first runs: only the HTTP
 * actions need them (and the protocol steps they load in turn).
 */
function routes(deps: RouteDependencies): ProviderRoute[] {
  let handlers: Promise<ReturnType<typeof oauthRouteHandlers>> | undefined;
  const run = (name: "start" | "callback") => async (step: ActionStep, request: Request) => {
    handlers ??= import("./routes.js").then((module) => module.oauthRouteHandlers(deps));
    return (await handlers)[name](step, request);
  };
  const paths = routePaths(deps.core.id);
  return [
    { path: paths.start, method: "GET", handler: run("start") },
    { path: paths.callback, method: "GET", handler: run("callback") },
    { path: paths.callback, method: "POST", handler: run("callback") },
  ];
}

const failed = (error: Extract<StepOutcome, { kind: "failed" }>["error"]): StepOutcome => ({ kind: "failed", error });

/** A convex-warden provider running `core`'s protocol through the frame's steps and routes. */
export function oauthProvider<Id extends string>(
  core: OAuthProvider,
  options: OAuthFlowOptions,
): AuthProvider<Id, OAuthParams, OAuthStores> {
  const settings = flowSettings(core.id, options);
  if (options.keepTokens) checkTokenKey();
  const linking = { providerId: core.id, trustEmail: options.trustEmail ?? false };
  const ttlMs = settings.flowLifetimeMs;

  async function start(step: Step, { redirectTo, link }: Infer<OAuthParams>): Promise<StepOutcome> {
    const target = settings.redirectTarget(redirectTo);
    if (!target.ok) return failed({ code: "REDIRECT_NOT_ALLOWED", reason: target.reason });
    if (link === true && step.signedInUserId === null) throw wardenError({ code: "NOT_SIGNED_IN" });
    const flow = { redirectTo: target.url, ...(link === true ? { linkUserId: step.signedInUserId! } : {}) };
    const { token, verifier } = await startFlow(step.stores.challenges, core.id, flow, ttlMs);
    const url = new URL(settings.startUrl());
    url.searchParams.set("flow", token);
    step.log.debug("oauth flow started", { provider: core.id, link: link === true });
    return { kind: "redirect", url: url.href, verifier };
  }

  async function finish(step: Step, code: string, verifier: string | undefined): Promise<StepOutcome> {
    if (verifier === undefined) {
      throw wardenError({ code: "INVALID_ARGUMENT", field: "verifier", message: `${core.id}: a code needs its verifier` });
    }
    const redeemed = await redeemHandoff(step.stores.challenges, core.id, code, verifier);
    if (redeemed.kind === "failed") return failed({ code: redeemed.code === "CODE_EXPIRED" ? "CODE_EXPIRED" : "INVALID_CODE" });
    return resolveUser(step, linking, redeemed.handoff);
  }

  return defineProvider({
    id: core.id as Id,
    params: oauthParams,
    stores: ["accounts", "challenges", "limits", "users"],
    signIn: (step, params) => (params.code === undefined ? start(step, params) : finish(step, params.code, params.verifier)),
    mutations: {
      begin: (step, args) => beginFlow(step.stores.challenges, core.id, String(args.flow), ttlMs),
      callback: (step, args) => consumeState(step.stores.challenges, core.id, String(args.state), String(args.binding)),
      handoff: (step, args) => issueHandoff(step.stores.challenges, core.id, args as unknown as HandoffData),
    },
    routes: routes({
      core,
      settings,
      userProfile: options.userProfile ?? defaultUserProfile,
      sealTokens: options.keepTokens ? (tokens, account) => sealTokens(tokens, account) : undefined,
    }),
  });
}
