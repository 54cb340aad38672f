import { decodeJwt, decodeProtectedHeader } from "jose";
import * as o from "oauth4webapi";
import type { ResolvedServer } from "./discovery.js";
import { oauthError, OAuthError, type IdTokenReason } from "./errors.js";
import { providerFetch, type ProviderHttpOptions } from "./http.js";
import { issuerForTenant } from "./tenant.js";
import { tokenEndpointError, type TokenExchange } from "./token.js";
import type { OAuthProvider } from "./types.js";
import { insecureFor } from "./urls.js";

const invalidIdToken = (reason: IdTokenReason) => oauthError({ code: "OAUTH_INVALID_ID_TOKEN", reason });

const CLAIM_REASONS: Record<string, IdTokenReason> = {
  iss: "issuer",
  aud: "audience",
  azp: "authorized_party",
  nonce: "nonce",
  exp: "expired",
  nbf: "not_yet_valid",
  iat: "issued_in_future",
};

/** oauth4webapi's verdict on a token response as one of our codes. */
export function tokenProcessingError(error: unknown, expectedNonce: string | undefined): Error {
  if (error instanceof OAuthError || error instanceof TypeError) return error;
  if (error instanceof o.ResponseBodyError) return tokenEndpointError(error.error);
  if (error instanceof o.WWWAuthenticateChallengeError) return oauthError({ code: "OAUTH_CLIENT_REJECTED" });
  if (error instanceof o.OperationProcessingError) {
    const cause = (typeof error.cause === "object" && error.cause !== null ? error.cause : {}) as {
      claim?: unknown;
      claims?: Record<string, unknown>;
      header?: unknown;
    };
    if (error.code === o.JWT_CLAIM_COMPARISON || error.code === o.JWT_TIMESTAMP_CHECK) {
      return invalidIdToken(CLAIM_REASONS[String(cause.claim)] ?? "malformed");
    }
    if (cause.header !== undefined) return invalidIdToken("algorithm");
    if (cause.claims !== undefined) {
      return invalidIdToken(expectedNonce !== undefined && cause.claims.nonce === undefined ? "nonce" : "malformed");
    }
  }
  return oauthError({ code: "OAUTH_INVALID_RESPONSE", step: "token" });
}

/** The checks that need the raw token first: presence, algorithm allow-list, tenant. */
function precheck(provider: OAuthProvider, server: ResolvedServer, idToken: unknown): o.AuthorizationServer {
  if (typeof idToken !== "string") throw invalidIdToken("missing");
  let alg: unknown;
  let claims: Record<string, unknown>;
  try {
    alg = decodeProtectedHeader(idToken).alg;
    claims = decodeJwt(idToken);
  } catch {
    throw invalidIdToken("malformed");
  }
  if (typeof alg !== "string" || !provider.idTokenAlgorithms.includes(alg)) throw invalidIdToken("algorithm");
  if (server.tenant === undefined) return server.as;
  return { ...server.as, issuer: issuerForTenant(server.tenant, claims.tid) };
}

async function verifySignature(
  as: o.AuthorizationServer,
  server: ResolvedServer,
  response: Response,
  http: ProviderHttpOptions,
): Promise<void> {
  try {
    await o.validateApplicationLevelSignature(as, response, {
      [o.customFetch]: providerFetch("jwks", http),
      [o.allowInsecureRequests]: insecureFor(as.jwks_uri),
      [o.jwksCache]: server.jwks,
    });
  } catch (error) {
    if (error instanceof OAuthError || error instanceof TypeError) throw error;
    if (
      error instanceof o.OperationProcessingError &&
      (error.code === o.RESPONSE_IS_NOT_JSON || error.code === o.RESPONSE_IS_NOT_CONFORM)
    ) {
      throw oauthError({ code: "OAUTH_INVALID_RESPONSE", step: "jwks" });
    }
    throw invalidIdToken("signature");
  }
}

export interface IdTokenOptions extends ProviderHttpOptions {
  nonce: string;
  nowMs: number;
  toleranceSeconds: number;
}

/**
 * OA-3: the ID token in a token response, fully validated: algorithm on the
 * allow-list, `iss` exactly the issuer (for Entra, the template with the
 * token's `tid`), `aud` the client id (`azp` when several), `exp`, `nbf` and
 * `iat` within the tolerance, `nonce` the flow's, and the signature by a key
 * of the issuer's JWKS.
 */
export async function validateIdTokenResponse(
  provider: OAuthProvider,
  server: ResolvedServer,
  client: o.Client,
  exchange: TokenExchange,
  options: IdTokenOptions,
): Promise<{ tokens: o.TokenEndpointResponse; claims: o.IDToken }> {
  const as = precheck(provider, server, exchange.body.id_token);
  let tokens: o.TokenEndpointResponse;
  try {
    tokens = await o.processAuthorizationCodeResponse(as, client, exchange.response, {
      expectedNonce: options.nonce,
      requireIdToken: true,
    });
  } catch (error) {
    throw tokenProcessingError(error, options.nonce);
  }
  const claims = o.getValidatedIdTokenClaims(tokens) as o.IDToken;
  if (claims.iat > Math.floor(options.nowMs / 1000) + options.toleranceSeconds) throw invalidIdToken("issued_in_future");
  await verifySignature(as, server, exchange.response, options);
  return { tokens, claims };
}
