import { constantTimeEqual } from "@oslojs/crypto/subtle";
import * as o from "oauth4webapi";
import { appleUserField } from "./callbackParams.js";
import { resolveServer, type ResolvedServer, type ServerOptions } from "./discovery.js";
import { oauthError, safeErrorValue } from "./errors.js";
import { tokenProcessingError, validateIdTokenResponse, type IdTokenOptions } from "./idToken.js";
import type { ProviderHttpOptions } from "./http.js";
import { compactProfile } from "./profiles.js";
import type { OAuthFlowSecrets } from "./start.js";
import { exchangeCode, oauthClient, type TokenExchange } from "./token.js";
import type { OAuthProfile, OAuthProvider } from "./types.js";
import { githubProfile, jsonUserinfo, oidcUserinfo } from "./userinfo.js";

export interface CallbackOptions extends ServerOptions {
  /** Seconds of clock difference tolerated on the ID token's exp, nbf and iat. Default: 30. */
  clockToleranceSeconds?: number;
  /**
   * Also return the provider's tokens. Default: false. They are for
   * server-side use only and never go to a client (OA-6).
   */
  includeTokens?: boolean;
}

/** The provider's tokens, only when asked for. */
export interface ProviderTokens {
  accessToken: string;
  tokenType: string;
  refreshToken?: string;
  idToken?: string;
  /** Milliseconds since the epoch, from `expires_in`. */
  expiresAt?: number;
  scope?: string;
}

export interface CallbackResult {
  profile: OAuthProfile;
  /** Present only with `includeTokens: true`. */
  tokens?: ProviderTokens;
}

const encoder = new TextEncoder();
const MAX_SUBJECT_LENGTH = 255;

/** The kept secrets must be what `createFlowSecrets` made: anything else is a programmer error. */
function assertSecrets(provider: OAuthProvider, secrets: OAuthFlowSecrets): void {
  const random = (value: unknown) => typeof value === "string" && value.length >= 43;
  const ok =
    typeof secrets === "object" &&
    secrets !== null &&
    random(secrets.state) &&
    random(secrets.codeVerifier) &&
    typeof secrets.redirectUri === "string" &&
    (provider.protocol !== "oidc" || random(secrets.nonce));
  if (!ok) throw new TypeError("convex-warden: the flow secrets are incomplete; pass what createFlowSecrets returned");
}

/** OA-2: the callback must carry this flow's state (compared in constant time) for this provider. */
function checkState(provider: OAuthProvider, parameters: URLSearchParams, secrets: OAuthFlowSecrets): void {
  const states = parameters.getAll("state");
  const matches =
    secrets.provider === provider.id &&
    states.length === 1 &&
    constantTimeEqual(encoder.encode(states[0]), encoder.encode(secrets.state));
  if (!matches) throw oauthError({ code: "OAUTH_STATE_MISMATCH" });
}

/** OA-7: an error the provider sent back instead of a code. */
function checkProviderError(parameters: URLSearchParams): void {
  const error = parameters.get("error");
  if (error === null) return;
  if (error === "access_denied") throw oauthError({ code: "OAUTH_ACCESS_DENIED" });
  if (error === "temporarily_unavailable" || error === "server_error") {
    throw oauthError({ code: "OAUTH_PROVIDER_UNAVAILABLE", step: "authorization", reason: "provider_error" });
  }
  throw oauthError({ code: "OAUTH_PROVIDER_ERROR", error: safeErrorValue(error) });
}

function authorizationResponse(server: ResolvedServer, client: o.Client, parameters: URLSearchParams, state: string) {
  try {
    return o.validateAuthResponse(server.as, client, parameters, state);
  } catch {
    throw oauthError({ code: "OAUTH_INVALID_RESPONSE", step: "authorization" });
  }
}

async function plainTokens(server: ResolvedServer, client: o.Client, exchange: TokenExchange) {
  try {
    return await o.processAuthorizationCodeResponse(server.as, client, exchange.response);
  } catch (error) {
    throw tokenProcessingError(error, undefined);
  }
}

function tokensOf(tokens: o.TokenEndpointResponse, nowMs: number): ProviderTokens {
  const out: ProviderTokens = { accessToken: tokens.access_token, tokenType: tokens.token_type };
  if (tokens.refresh_token !== undefined) out.refreshToken = tokens.refresh_token;
  if (tokens.id_token !== undefined) out.idToken = tokens.id_token;
  if (tokens.expires_in !== undefined) out.expiresAt = nowMs + tokens.expires_in * 1000;
  if (tokens.scope !== undefined) out.scope = tokens.scope;
  return out;
}

function profileOf(provider: OAuthProvider, raw: Record<string, unknown>): OAuthProfile {
  const fields = compactProfile(provider.profile(raw));
  if (typeof fields.subject !== "string" || fields.subject === "" || fields.subject.length > MAX_SUBJECT_LENGTH) {
    throw oauthError({ code: "OAUTH_INVALID_RESPONSE", step: "userinfo", error: "subject" });
  }
  if (provider.requireVerifiedEmail && !(fields.emailVerified && fields.email)) {
    throw oauthError({ code: "OAUTH_EMAIL_UNVERIFIED" });
  }
  return { provider: provider.id, ...fields, raw };
}

interface Fetched {
  tokens: o.TokenEndpointResponse;
  raw: Record<string, unknown>;
}

/** OIDC: the validated ID token's claims, with userinfo's when the token lacks the email. */
async function oidcProfile(
  provider: OAuthProvider,
  server: ResolvedServer,
  client: o.Client,
  exchange: TokenExchange,
  options: IdTokenOptions,
): Promise<Fetched> {
  const { tokens, claims } = await validateIdTokenResponse(provider, server, client, exchange, options);
  const raw: Record<string, unknown> = { ...claims };
  const wantsUserinfo = provider.fetchUserinfo === "always" || typeof raw.email !== "string";
  if (!wantsUserinfo || server.as.userinfo_endpoint === undefined) return { tokens, raw };
  const userinfo = await oidcUserinfo(server.as, client, tokens.access_token, claims.sub, options);
  // The ID token's claims win; the email and its flag come together from one source.
  return { tokens, raw: { ...userinfo, ...raw, ...(typeof raw.email === "string" ? {} : pickEmail(userinfo)) } };
}

/** Plain OAuth 2.0: the userinfo answer, or GitHub's user and emails. */
async function oauthProfile(
  provider: OAuthProvider,
  server: ResolvedServer,
  client: o.Client,
  exchange: TokenExchange,
  http: ProviderHttpOptions,
): Promise<Fetched> {
  const tokens = await plainTokens(server, client, exchange);
  const raw =
    provider.profileSource === "github"
      ? await githubProfile(server.as.userinfo_endpoint as string, tokens.access_token, http)
      : await jsonUserinfo(server.as, client, tokens.access_token, http);
  return { tokens, raw };
}

/**
 * The callback step: checks the state and any provider error, redeems the
 * code with the PKCE verifier, validates the ID token (OIDC), reads userinfo
 * or GitHub's API as the provider needs, and maps the profile. Every failure
 * is an `OAuthError` with a stable code; bad arguments are `TypeError`s.
 *
 * `parameters` are the callback's query (GET) or form body (POST); see
 * `readCallbackParameters`. `secrets` are those `createFlowSecrets` made for
 * this flow, which the caller kept and must consume (single use).
 */
export async function handleCallback(
  provider: OAuthProvider,
  parameters: URLSearchParams,
  secrets: OAuthFlowSecrets,
  options: CallbackOptions = {},
): Promise<CallbackResult> {
  assertSecrets(provider, secrets);
  checkState(provider, parameters, secrets);
  checkProviderError(parameters);
  const nowMs = (options.now ?? Date.now)();
  const toleranceSeconds = options.clockToleranceSeconds ?? 30;
  const server = await resolveServer(provider, options);
  const client = oauthClient(provider, nowMs, toleranceSeconds);
  const callback = authorizationResponse(server, client, parameters, secrets.state);
  const exchange = await exchangeCode(provider, server.as, client, callback, secrets, { ...options, nowMs });
  const idTokenOptions = { ...options, nonce: secrets.nonce as string, nowMs, toleranceSeconds };
  const { tokens, raw } =
    provider.protocol === "oidc"
      ? await oidcProfile(provider, server, client, exchange, idTokenOptions)
      : await oauthProfile(provider, server, client, exchange, options);
  if (provider.responseMode === "form_post") {
    const user = appleUserField(parameters);
    if (user !== undefined) raw.user = user;
  }
  const profile = profileOf(provider, raw);
  return options.includeTokens ? { profile, tokens: tokensOf(tokens, nowMs) } : { profile };
}

/** The email and its verification flag, taken together from one source. */
function pickEmail(source: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (source.email !== undefined) out.email = source.email;
  if (source.email_verified !== undefined) out.email_verified = source.email_verified;
  return out;
}
