/**
 * The OAuth 2.0 / OpenID Connect protocol core, one step per module:
 *
 * - configure: `fromAuthCore(GitHub)`, `oidc({ issuer })` → `OAuthProvider`
 * - start: `createFlowSecrets` (pure, for a mutation) and `authorizationUrl`
 *   (may discover), or `startAuthorization` for both
 * - callback: `readCallbackParameters(request)` then `handleCallback`
 *
 * Failures are `OAuthError`s with a stable code (`errors.ts`); bad arguments
 * and configuration are `TypeError`s.
 */
export { appleClientSecret, APPLE_AUDIENCE, type AppleClientSecretOptions } from "./appleClientSecret.js";
export {
  fromAuthCore,
  type AuthCoreProviderConfig,
  type AuthCoreProviderFunction,
  type AuthCoreProviderOptions,
} from "./authCore.js";
export { handleCallback, type CallbackOptions, type CallbackResult, type ProviderTokens } from "./callback.js";
export { appleUserField, readCallbackParameters } from "./callbackParams.js";
export {
  createDiscoveryCache,
  sharedDiscoveryCache,
  type DiscoveryCache,
  type DiscoveryCacheOptions,
  type ServerOptions,
} from "./discovery.js";
export * from "./errors.js";
export { DEFAULT_TIMEOUT_MS, type Fetch, type ProviderHttpOptions } from "./http.js";
export { oidc, type OidcProviderOptions } from "./oidc.js";
export { DEFAULT_ID_TOKEN_ALGORITHMS } from "./provider.js";
export {
  authorizationUrl,
  createFlowSecrets,
  startAuthorization,
  type AuthorizationUrlOptions,
  type FlowSecretsOptions,
  type OAuthFlowSecrets,
  type StartOptions,
} from "./start.js";
export type { ClientSecret, OAuthProfile, OAuthProfileFields, OAuthProvider, ProfileMapper } from "./types.js";
