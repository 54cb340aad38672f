import { providerEnv } from "../env.js";
import { appleClientSecret, type AppleClientSecretOptions } from "./appleClientSecret.js";
import { builtInMapper, genericOAuth, standardClaims } from "./profiles.js";
import { buildProvider, paramValue } from "./provider.js";
import type { ClientSecret, OAuthProvider, ProfileMapper } from "./types.js";

/** An endpoint as `@auth/core` configs write it: a URL, or `{ url?, params? }`. */
type AuthCoreEndpoint = string | { url?: string | URL; params?: Record<string, unknown> };

/**
 * The fields of an `@auth/core` OAuth/OIDC provider config that are read
 * (what `GitHub({...})`, `Google({...})`, `Apple({...})` return). Its
 * `profile()`, `userinfo.request`, `token.request`, `token.conform`,
 * `account()` and `[customFetch]` are deliberately not called.
 */
export interface AuthCoreProviderConfig {
  id: string;
  name: string;
  type: "oauth" | "oidc";
  issuer?: string;
  authorization?: AuthCoreEndpoint;
  token?: AuthCoreEndpoint;
  userinfo?: AuthCoreEndpoint;
  clientId?: string;
  clientSecret?: string;
  client?: { token_endpoint_auth_method?: string; id_token_signed_response_alg?: string };
  /** OIDC: `false` asks for the userinfo endpoint's claims as well. */
  idToken?: boolean;
  /** The options the app passed to the provider function; they win over its defaults. */
  options?: object;
}

/** A provider function itself, e.g. `GitHub`, called with the env defaults. */
export type AuthCoreProviderFunction = (options: never) => AuthCoreProviderConfig;

/** What convex-warden adds to, or overrides in, an `@auth/core` provider config. */
export interface AuthCoreProviderOptions {
  /** Overrides the config's id, which keys its users and names its env vars. Default: the config's id. */
  id?: string;
  /** Default: the config's `clientId`, else `AUTH_<ID>_ID`. */
  clientId?: string;
  /** Default: the config's `clientSecret`, else `AUTH_<ID>_SECRET` (Apple: see `apple`). */
  clientSecret?: ClientSecret;
  /** Default: the config's `issuer`, else `AUTH_<ID>_ISSUER`. */
  issuer?: string;
  /**
   * Apple only: sign a fresh client secret per token request with the team
   * key. Default: from `AUTH_APPLE_TEAM_ID`, `AUTH_APPLE_KEY_ID` and
   * `AUTH_APPLE_PRIVATE_KEY` when all three are set; otherwise the static
   * secret (`AUTH_APPLE_SECRET`) is used as it is.
   */
  apple?: AppleClientSecretOptions;
  /** ID token algorithms accepted. Default: the config's `id_token_signed_response_alg`, else RS256, PS256, ES256, EdDSA. */
  idTokenAlgorithms?: string[];
  /** Maps the provider's raw profile. Default: the built-in mapper for the provider, else the standard claims. */
  profile?: ProfileMapper;
  /** Fail with `OAUTH_EMAIL_UNVERIFIED` when no verified email comes back. Default: false. */
  requireVerifiedEmail?: boolean;
  /** Microsoft Entra ID multi-tenant: the tenant ids (`tid`) accepted. Default: any tenant. */
  allowedTenants?: string[];
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof URL);

/** The app's options over the provider's defaults, as `@auth/core` merges them. */
function mergeOptions(defaults: Record<string, unknown>, options: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const current = merged[key];
    merged[key] = isPlainObject(value) && isPlainObject(current) ? mergeOptions(current, value) : value;
  }
  return merged;
}

/** An endpoint's URL and parameters; a query in the URL counts as parameters. */
function endpoint(value: unknown): { url?: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const raw = isPlainObject(value) ? value.url : value;
  let url: string | undefined;
  if (typeof raw === "string" || raw instanceof URL) {
    const parsed = new URL(String(raw));
    for (const [name, v] of parsed.searchParams) params[name] = v;
    parsed.search = "";
    url = parsed.href;
  }
  if (isPlainObject(value) && isPlainObject(value.params)) {
    for (const [name, v] of Object.entries(value.params)) {
      const text = paramValue(v);
      if (text !== undefined) params[name] = text;
    }
  }
  return { url, params };
}

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

function appleSecret(id: string, options: AuthCoreProviderOptions): ClientSecret | undefined {
  if (options.apple) return appleClientSecret(options.apple);
  const teamId = providerEnv(id, "TEAM_ID");
  const keyId = providerEnv(id, "KEY_ID");
  const privateKey = providerEnv(id, "PRIVATE_KEY");
  return teamId && keyId && privateKey ? appleClientSecret({ teamId, keyId, privateKey }) : undefined;
}

function resolveConfig(input: AuthCoreProviderConfig | AuthCoreProviderFunction): AuthCoreProviderConfig {
  if (typeof input !== "function") return input;
  const { id } = (input as (o: unknown) => AuthCoreProviderConfig)({});
  return (input as (o: unknown) => AuthCoreProviderConfig)({
    clientId: providerEnv(id, "ID"),
    clientSecret: providerEnv(id, "SECRET"),
    issuer: providerEnv(id, "ISSUER"),
  });
}

/**
 * An `@auth/core` provider config (or provider function) as a convex-warden
 * provider. Env vars fill what neither `options` nor the config sets.
 */
export function fromAuthCore(
  input: AuthCoreProviderConfig | AuthCoreProviderFunction,
  options: AuthCoreProviderOptions = {},
): OAuthProvider {
  const config = resolveConfig(input);
  const { options: appOptions, ...defaults } = config;
  const merged = mergeOptions(defaults as Record<string, unknown>, isPlainObject(appOptions) ? appOptions : {});
  const catalogueId = config.id;
  const id = options.id ?? text(merged.id) ?? catalogueId;
  if (merged.type !== "oidc" && merged.type !== "oauth") {
    throw new TypeError(`convex-warden: provider "${id}" is not an OAuth or OIDC provider`);
  }
  const protocol = merged.type === "oidc" ? "oidc" : "oauth2";
  const authorization = endpoint(merged.authorization);
  const client = isPlainObject(merged.client) ? merged.client : {};
  const alg = text(client.id_token_signed_response_alg);
  const isApple = catalogueId === "apple";
  const isEntra = catalogueId === "microsoft-entra-id" || catalogueId === "azure-ad";
  return buildProvider({
    id,
    name: text(merged.name) ?? id,
    protocol,
    issuer: options.issuer ?? text(merged.issuer) ?? providerEnv(id, "ISSUER"),
    endpoints: {
      authorization: authorization.url,
      token: endpoint(merged.token).url,
      userinfo: endpoint(merged.userinfo).url,
    },
    authorizationParams: authorization.params,
    clientId: options.clientId ?? text(merged.clientId) ?? providerEnv(id, "ID"),
    clientSecret:
      options.clientSecret ??
      (isApple ? appleSecret(id, options) : undefined) ??
      text(merged.clientSecret) ??
      providerEnv(id, "SECRET"),
    clientAuthMethod: text(client.token_endpoint_auth_method),
    idTokenAlgorithms: options.idTokenAlgorithms ?? (alg ? [alg] : undefined),
    issuerTemplate: isEntra ? "tenantid" : "none",
    allowedTenants: options.allowedTenants,
    profileSource: protocol === "oidc" ? "oidc" : catalogueId === "github" ? "github" : "userinfo",
    fetchUserinfo: merged.idToken === false ? "always" : "whenMissingEmail",
    profile: options.profile ?? builtInMapper(catalogueId) ?? (protocol === "oidc" ? standardClaims : genericOAuth),
    requireVerifiedEmail: options.requireVerifiedEmail ?? false,
  });
}
