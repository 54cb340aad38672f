import { providerEnv } from "../env.js";
import { standardClaims } from "./profiles.js";
import { buildProvider, type ClientAuthMethod } from "./provider.js";
import type { ClientSecret, OAuthProvider, ProfileMapper } from "./types.js";

/** A generic OpenID Connect provider: any issuer with discovery. */
export interface OidcProviderOptions {
  /** The provider's id: keys its users, names its env vars and its callback. Default: "oidc". */
  id?: string;
  /** A display name. Default: the id. */
  name?: string;
  /** The issuer, exactly as its discovery document and ID tokens name it. Default: `AUTH_<ID>_ISSUER`. */
  issuer?: string;
  /** Default: `AUTH_<ID>_ID`. */
  clientId?: string;
  /** Default: `AUTH_<ID>_SECRET`. Not needed with `tokenEndpointAuthMethod: "none"`. */
  clientSecret?: ClientSecret;
  /** Default: "client_secret_basic". */
  tokenEndpointAuthMethod?: ClientAuthMethod;
  /** Space-separated scopes; `openid` is always added. Default: "openid profile email". */
  scope?: string;
  /** Extra authorization request parameters (`prompt`, `hd`, ...). Default: none. */
  authorizationParams?: Record<string, string>;
  /** "form_post" for providers that POST the callback. Default: "query". */
  responseMode?: "query" | "form_post";
  /** ID token algorithms accepted. Default: RS256, PS256, ES256, EdDSA. */
  idTokenAlgorithms?: string[];
  /** When to also read the userinfo endpoint. Default: "whenMissingEmail". */
  fetchUserinfo?: "always" | "whenMissingEmail";
  /** Maps the claims to the profile. Default: the standard claims (`email_verified` must be true). */
  profile?: ProfileMapper;
  /** Fail with `OAUTH_EMAIL_UNVERIFIED` when no verified email comes back. Default: false. */
  requireVerifiedEmail?: boolean;
  /** Accept an Entra-style `{tenantid}` issuer template, resolved from each ID token's `tid`. Default: false. */
  multiTenant?: boolean;
  /** With `multiTenant`: the tenant ids accepted. Default: any. */
  allowedTenants?: string[];
}

/** A provider for any OpenID Connect issuer. */
export function oidc(options: OidcProviderOptions = {}): OAuthProvider {
  const id = options.id ?? "oidc";
  const params: Record<string, string> = { ...options.authorizationParams };
  if (options.scope !== undefined) params.scope = options.scope;
  if (options.responseMode !== undefined) params.response_mode = options.responseMode;
  return buildProvider({
    id,
    name: options.name ?? id,
    protocol: "oidc",
    issuer: options.issuer ?? providerEnv(id, "ISSUER"),
    endpoints: {},
    authorizationParams: params,
    clientId: options.clientId ?? providerEnv(id, "ID"),
    clientSecret: options.clientSecret ?? providerEnv(id, "SECRET"),
    clientAuthMethod: options.tokenEndpointAuthMethod,
    idTokenAlgorithms: options.idTokenAlgorithms,
    issuerTemplate: options.multiTenant ? "tenantid" : "none",
    allowedTenants: options.allowedTenants,
    profileSource: "oidc",
    fetchUserinfo: options.fetchUserinfo ?? "whenMissingEmail",
    profile: options.profile ?? standardClaims,
    requireVerifiedEmail: options.requireVerifiedEmail ?? false,
  });
}
