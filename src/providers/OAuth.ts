/**
 * convex-warden/providers/OAuth: sign-in with OAuth 2.0 and OpenID Connect
 * providers, from `@auth/core`'s catalogue or any OIDC issuer.
 *
 * ```ts
 * import GitHub from "@auth/core/providers/github";
 * import Google from "@auth/core/providers/google";
 * import { OAuth, OIDC } from "convex-warden/providers/OAuth";
 *
 * providers: [
 *   OAuth(GitHub, { trustEmail: true }),            // AUTH_GITHUB_ID, AUTH_GITHUB_SECRET
 *   OAuth(Google, { trustEmail: true }),            // AUTH_GOOGLE_ID, AUTH_GOOGLE_SECRET
 *   OIDC({ id: "acme", issuer: "https://login.acme.com" }), // AUTH_ACME_ID, AUTH_ACME_SECRET
 * ]
 * ```
 *
 * In `convex/http.ts`, `auth.addHttpRoutes(http)` mounts each provider's
 * routes; register `<CONVEX_SITE_URL>/api/auth/callback/<id>` at the provider.
 */
import type { GenericActionCtx, GenericDataModel, GenericQueryCtx } from "convex/server";
import {
  fromAuthCore,
  type AuthCoreProviderConfig,
  type AuthCoreProviderFunction,
  type AuthCoreProviderOptions,
} from "../lib/oauth/authCore.js";
import type { ProviderTokens } from "../lib/oauth/callback.js";
import { oidc, type OidcProviderOptions } from "../lib/oauth/oidc.js";
import type { AuthProvider } from "../server/provider.js";
import type { UserId, WardenComponent } from "../server/types.js";
import type { OAuthFlowOptions } from "./oauth/options.js";
import { oauthProvider, type OAuthParams, type OAuthStores } from "./oauth/provider.js";
import { openTokens } from "./oauth/tokens.js";

export type { OAuthFlowOptions } from "./oauth/options.js";
export { defaultUserProfile, oauthParams, type OAuthParams, type OAuthStores } from "./oauth/provider.js";
export { routePaths } from "./oauth/options.js";
export { appleClientSecret, type AppleClientSecretOptions } from "../lib/oauth/appleClientSecret.js";
export type { DiscoveryCache } from "../lib/oauth/discovery.js";
export type { ProviderTokens } from "../lib/oauth/callback.js";
export type { AuthCoreProviderConfig, AuthCoreProviderFunction } from "../lib/oauth/authCore.js";
export type { Fetch } from "../lib/oauth/http.js";
export type { ClientSecret, OAuthProfile, OAuthProfileFields, ProfileMapper } from "../lib/oauth/types.js";

/** Options of `OAuth(config, options)`: the provider's settings and how its flow runs here. */
export interface OAuthOptions<Id extends string = string> extends Omit<AuthCoreProviderOptions, "id">, OAuthFlowOptions {
  /** The provider id clients pass to `signIn`; keys its accounts and names its env vars and routes. Default: the config's id. */
  id?: Id;
}

/** An OAuth provider: what `OAuth` and `OIDC` return. */
export type OAuthSignIn<Id extends string = string> = AuthProvider<Id, OAuthParams, OAuthStores>;

/**
 * A provider of `@auth/core`'s catalogue (`GitHub`, `Google`, `Apple`,
 * `Discord`, `MicrosoftEntraID`, ...), passed as the function or as the
 * config it returns. Credentials default to `AUTH_<ID>_ID` and
 * `AUTH_<ID>_SECRET`. Pass `id` for a typed provider id.
 */
export function OAuth<const Id extends string = string>(
  config: AuthCoreProviderConfig | AuthCoreProviderFunction,
  options: OAuthOptions<Id> = {},
): OAuthSignIn<NoInfer<Id>> {
  return oauthProvider<Id>(fromAuthCore(config, options), options);
}

/** Options of `OIDC(options)`: the issuer and client, and how the flow runs here. */
export interface OIDCOptions<Id extends string = "oidc"> extends Omit<OidcProviderOptions, "id">, OAuthFlowOptions {
  /** The provider id. Default: "oidc". */
  id?: Id;
}

/**
 * Any OpenID Connect issuer, found by discovery:
 * `OIDC({ id: "acme", issuer: "https://login.acme.com" })`. The issuer
 * defaults to `AUTH_<ID>_ISSUER`, the client to `AUTH_<ID>_ID` and `AUTH_<ID>_SECRET`.
 */
export function OIDC<const Id extends string = "oidc">(options: OIDCOptions<Id> = {}): OAuthSignIn<NoInfer<Id>> {
  return oauthProvider<Id>(oidc(options), options);
}

type ReadCtx = Pick<GenericQueryCtx<GenericDataModel>, "runQuery"> | Pick<GenericActionCtx<GenericDataModel>, "runQuery">;

/**
 * The provider tokens kept (`keepTokens: true`) on a user's most recent
 * account with `provider`, for calls to the provider's API from the app's
 * server code; null when none are kept. Never return them to a client (OA-6).
 */
export async function providerTokens(
  ctx: ReadCtx,
  component: WardenComponent,
  args: { provider: string; userId: UserId },
): Promise<ProviderTokens | null> {
  const accounts = await ctx.runQuery(component.accounts.secretsForUser, args);
  for (const account of accounts) {
    if (account.secret === undefined) continue;
    const tokens = await openTokens(account.secret, { provider: args.provider, subject: account.providerAccountId });
    if (tokens !== null) return tokens;
  }
  return null;
}
