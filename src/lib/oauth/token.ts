import * as o from "oauth4webapi";
import { oauthError, OAuthError, safeErrorValue } from "./errors.js";
import { providerFetch, type ProviderHttpOptions } from "./http.js";
import type { OAuthProvider } from "./types.js";
import { insecureFor } from "./urls.js";

/** The client as oauth4webapi sees it, with the injected clock. */
export function oauthClient(provider: OAuthProvider, nowMs: number, toleranceSeconds: number): o.Client {
  return {
    client_id: provider.clientId,
    [o.clockSkew]: Math.floor(nowMs / 1000) - Math.floor(Date.now() / 1000),
    [o.clockTolerance]: toleranceSeconds,
  };
}

async function clientAuthentication(provider: OAuthProvider, nowMs: number): Promise<o.ClientAuth> {
  const auth = provider.clientAuth;
  if (auth.method === "none") return o.None();
  const secret =
    typeof auth.secret === "string" ? auth.secret : await auth.secret({ clientId: provider.clientId, nowMs });
  return auth.method === "client_secret_post" ? o.ClientSecretPost(secret) : o.ClientSecretBasic(secret);
}

/** The token endpoint's `error` as one of our codes. */
export function tokenEndpointError(error: unknown): OAuthError {
  switch (error) {
    case "invalid_grant":
    case "bad_verification_code": // GitHub's name for it
      return oauthError({ code: "OAUTH_CODE_REJECTED" });
    case "invalid_client":
    case "unauthorized_client":
    case "incorrect_client_credentials": // GitHub
      return oauthError({ code: "OAUTH_CLIENT_REJECTED" });
    default:
      return oauthError({ code: "OAUTH_INVALID_RESPONSE", step: "token", error: safeErrorValue(error) });
  }
}

/** The token response, read once to catch errors sent with any status (GitHub answers 200). */
export interface TokenExchange {
  /** The response, for oauth4webapi to process. */
  response: Response;
  /** Its JSON body, for the checks that must come first. */
  body: Record<string, unknown>;
}

/** Redeems the authorization code (with the PKCE verifier) at the token endpoint. */
export async function exchangeCode(
  provider: OAuthProvider,
  as: o.AuthorizationServer,
  client: o.Client,
  callback: URLSearchParams,
  secrets: { redirectUri: string; codeVerifier: string },
  options: ProviderHttpOptions & { nowMs: number },
): Promise<TokenExchange> {
  const auth = await clientAuthentication(provider, options.nowMs);
  let response: Response;
  try {
    response = await o.authorizationCodeGrantRequest(
      as,
      client,
      auth,
      callback,
      secrets.redirectUri,
      secrets.codeVerifier,
      { [o.customFetch]: providerFetch("token", options), [o.allowInsecureRequests]: insecureFor(as.token_endpoint) },
    );
  } catch (error) {
    // Network failures arrive as OAuthErrors; a TypeError here is a programmer error.
    if (error instanceof OAuthError || error instanceof TypeError) throw error;
    throw oauthError({ code: "OAUTH_INVALID_RESPONSE", step: "token" });
  }
  const body: unknown = await response.clone().json().catch(() => undefined);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    if (response.status === 401) throw oauthError({ code: "OAUTH_CLIENT_REJECTED" });
    throw oauthError({ code: "OAUTH_INVALID_RESPONSE", step: "token" });
  }
  const record = body as Record<string, unknown>;
  if (record.error !== undefined) throw tokenEndpointError(record.error);
  if (response.status !== 200) throw oauthError({ code: "OAUTH_INVALID_RESPONSE", step: "token" });
  return { response, body: record };
}
