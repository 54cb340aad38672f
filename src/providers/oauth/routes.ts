import type { Value } from "convex/values";
import { normalizeEmail } from "../../lib/email.js";
import type { ProviderTokens } from "../../lib/oauth/callback.js";
import { readCallbackParameters } from "../../lib/oauth/callbackParams.js";
import { OAuthError } from "../../lib/oauth/errors.js";
import type { OAuthProfile, OAuthProvider } from "../../lib/oauth/types.js";
import type { ActionStep } from "../../server/provider.js";
import type { UserProfile } from "../../server/types.js";
import { isWardenError } from "../../shared/errors/index.js";
import { REDIRECT_CODE_PARAM, REDIRECT_ERROR_PARAM } from "../../shared/redirect.js";
import { clearFlowCookie, cookieName, readCookie, setFlowCookie } from "./cookie.js";
import { flowSecrets, type FlowData, type HandoffData } from "./flow.js";
import type { FlowSettings } from "./options.js";

/**
 * What the provider's two routes do (`provider.ts` mounts them): the start
 * (`GET /api/auth/signin/<id>`) sets the flow cookie and sends the browser
 * to the provider; the callback (`GET` and `POST /api/auth/callback/<id>`,
 * for `form_post`) sends it back to the app with a hand-off code or an error
 * code. No failure ends on a page of ours: every one reaches the app as
 * `?wardenError=<CODE>` (OA-7).
 */
export interface RouteDependencies {
  core: OAuthProvider;
  settings: FlowSettings;
  userProfile: (profile: OAuthProfile) => UserProfile;
  /** Seals the provider's tokens for the account (`keepTokens`); absent when they are not kept. */
  sealTokens?: (tokens: ProviderTokens, account: { provider: string; subject: string }) => Promise<string>;
}

/** The network steps, loaded only when a route runs (see `protocol.ts`). */
const protocol = () => import("./protocol.js");

export type Begun = { kind: "ok"; state: string; binding: string; redirectTo: string } | { kind: "failed"; code: string };
export type Consumed = ({ kind: "ok" } & FlowData) | { kind: "failed"; code: string };

function redirect(location: string, status: 302 | 303, cookies: string[] = []): Response {
  // Neither the provider nor the app learns the URL that sent the browser (its flow token, its code).
  const headers = new Headers({ location, "cache-control": "no-store", "referrer-policy": "no-referrer" });
  for (const cookie of cookies) headers.append("set-cookie", cookie);
  return new Response(null, { status, headers });
}

/** The app's URL with the hand-off code or the error code, and nothing else of ours. */
function back(target: string, result: { code: string } | { error: string }, status: 302 | 303, cookies: string[] = []) {
  const url = new URL(target);
  url.searchParams.delete(REDIRECT_CODE_PARAM);
  url.searchParams.delete(REDIRECT_ERROR_PARAM);
  if ("code" in result) url.searchParams.set(REDIRECT_CODE_PARAM, result.code);
  else url.searchParams.set(REDIRECT_ERROR_PARAM, result.error);
  return redirect(url.href, status, cookies);
}

/** The code of an expected failure; anything else (a programmer error) is not one. */
function failureCode(error: unknown): string | null {
  if (error instanceof OAuthError) return error.code;
  if (isWardenError(error)) return error.data.code;
  return null;
}

const values = (data: Record<string, unknown>): Record<string, Value> => {
  const out: Record<string, Value> = {};
  for (const [name, value] of Object.entries(data)) if (value !== undefined) out[name] = value as Value;
  return out;
};

/** The profile with its email normalized, or without one it cannot use. */
function normalized(profile: OAuthProfile): OAuthProfile {
  const email = profile.email === undefined ? null : normalizeEmail(profile.email);
  const { email: _raw, ...rest } = profile;
  return email === null ? { ...rest, emailVerified: false } : { ...rest, email };
}

export function oauthRouteHandlers(deps: RouteDependencies) {
  const { core, settings } = deps;
  const fail = (step: ActionStep, code: string, target: string, status: 302 | 303, cookies?: string[]) => {
    step.log.info("oauth sign-in failed", { provider: core.id, reason: code });
    return back(target, { error: code }, status, cookies);
  };

  async function start(step: ActionStep, request: Request): Promise<Response> {
    const token = new URL(request.url).searchParams.get("flow") ?? "";
    const begun = (await step.runMutation("begin", { flow: token })) as Begun;
    if (begun.kind === "failed") return fail(step, begun.code, settings.siteUrl(), 302);
    const secrets = flowSecrets(core, settings.callbackUrl(), begun.state, begun.binding);
    try {
      const { authorizationUrl } = await protocol();
      const url = await authorizationUrl(core, secrets, settings.http);
      const cookie = setFlowCookie(begun.state, begun.binding, settings.secureCookie(), settings.flowLifetimeMs);
      return redirect(url, 302, [cookie]);
    } catch (error) {
      const code = failureCode(error);
      if (code === null) throw error;
      return fail(step, code, begun.redirectTo, 302);
    }
  }

  async function handoff(step: ActionStep, flow: FlowData, state: string, binding: string, parameters: URLSearchParams) {
    const secrets = flowSecrets(core, settings.callbackUrl(), state, binding);
    const keep = deps.sealTokens !== undefined;
    const { handleCallback } = await protocol();
    const result = await handleCallback(core, parameters, secrets, { ...settings.http, includeTokens: keep });
    const profile = normalized(result.profile);
    const account = { provider: core.id, subject: profile.subject };
    const data: HandoffData = {
      verifierHash: flow.verifierHash,
      linkUserId: flow.linkUserId,
      subject: profile.subject,
      email: profile.email,
      emailVerified: profile.emailVerified,
      user: deps.userProfile(profile),
      sealedTokens: keep && result.tokens ? await deps.sealTokens!(result.tokens, account) : undefined,
    };
    return (await step.runMutation("handoff", values({ ...data }))) as { code: string };
  }

  async function callback(step: ActionStep, request: Request): Promise<Response> {
    const status = request.method === "POST" ? 303 : 302;
    const secure = settings.secureCookie();
    let parameters: URLSearchParams;
    try {
      parameters = await readCallbackParameters(request);
    } catch (error) {
      const code = failureCode(error);
      if (code === null) throw error;
      return fail(step, code, settings.siteUrl(), status);
    }
    const states = parameters.getAll("state");
    const state = states.length === 1 ? states[0]! : "";
    if (state === "") return fail(step, "OAUTH_STATE_MISMATCH", settings.siteUrl(), status);
    const cookies = [clearFlowCookie(state, secure)];
    // Consumed before anything else: a replayed callback finds nothing (OA-2).
    const binding = readCookie(request, cookieName(state, secure)) ?? "";
    const flow = (await step.runMutation("callback", { state, binding })) as Consumed;
    if (flow.kind === "failed") return fail(step, flow.code, settings.siteUrl(), status, cookies);
    try {
      const { code } = await handoff(step, flow, state, binding, parameters);
      return back(flow.redirectTo, { code }, status, cookies);
    } catch (error) {
      const code = failureCode(error);
      if (code === null) throw error;
      return fail(step, code, flow.redirectTo, status, cookies);
    }
  }

  return { start, callback };
}
