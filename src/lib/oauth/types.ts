/**
 * The one internal shape every OAuth 2.0 or OpenID Connect provider is
 * normalized to, whether it came from an `@auth/core` provider config or from
 * `oidc({ issuer, ... })`. The protocol steps read only this.
 */

/** What a sign-in yields about the user, whatever the provider. */
export interface OAuthProfile {
  /** The provider's id, e.g. "github". Users are keyed by (provider, subject). */
  provider: string;
  /** The provider's stable identifier for the user (`sub`, or GitHub's numeric id). */
  subject: string;
  /** The user's email address as the provider gives it, if any. */
  email?: string;
  /** True only when the provider asserts that it verified `email`. */
  emailVerified: boolean;
  name?: string;
  /** URL of the user's picture. */
  image?: string;
  /** The provider's own profile (ID token claims, userinfo, API answers): never tokens. */
  raw: Record<string, unknown>;
}

/** What a profile mapper returns: the profile but its provider id and raw data. */
export type OAuthProfileFields = Omit<OAuthProfile, "provider" | "raw">;

/**
 * Maps a provider's raw profile to the normalized fields. It runs on data the
 * provider has already been authenticated for (a validated ID token, or an API
 * answer to the access token).
 */
export type ProfileMapper = (raw: Record<string, unknown>) => OAuthProfileFields;

/** A client secret, or something that produces one per token request (Apple's JWT). */
export type ClientSecret = string | ((context: { clientId: string; nowMs: number }) => Promise<string>);

/** How the app authenticates to the token endpoint. */
export type ClientAuthentication =
  | { method: "client_secret_basic" | "client_secret_post"; secret: ClientSecret }
  | { method: "none" };

/** Where the normalized profile comes from. */
export type ProfileSource =
  /** OpenID Connect: the validated ID token, plus userinfo when it lacks the email. */
  | "oidc"
  /** Plain OAuth 2.0: a JSON userinfo endpoint called with the access token. */
  | "userinfo"
  /** GitHub: `/user`, then `/user/emails` for the verified addresses. */
  | "github";

export interface OAuthProvider {
  /** The provider's id; also the suffix of its env vars (`AUTH_<ID>_ID`). */
  readonly id: string;
  readonly name: string;
  readonly protocol: "oidc" | "oauth2";
  /**
   * The issuer. OIDC: required, discovered at `<issuer>/.well-known/openid-configuration`
   * and compared with the discovery document's and the ID token's `iss`.
   */
  readonly issuer: string | undefined;
  /** Endpoints given in the configuration; for OIDC they override discovered ones. */
  readonly endpoints: Readonly<{ authorization?: string; token?: string; userinfo?: string }>;
  /** Query parameters for the authorization request: `scope`, and any the provider needs. */
  readonly authorizationParams: Readonly<Record<string, string>>;
  /** `form_post` for providers that POST the callback (Apple). */
  readonly responseMode: "query" | "form_post";
  readonly clientId: string;
  readonly clientAuth: ClientAuthentication;
  /** ID token signature algorithms accepted (never `none` or HMAC). */
  readonly idTokenAlgorithms: readonly string[];
  /**
   * `tenantid`: the issuer may be a Microsoft Entra ID `{tenantid}` template,
   * resolved per ID token from its `tid` claim.
   */
  readonly issuerTemplate: "none" | "tenantid";
  /** With `issuerTemplate: "tenantid"`: the tenants accepted; undefined accepts any. */
  readonly allowedTenants: readonly string[] | undefined;
  readonly profileSource: ProfileSource;
  /**
   * OIDC: when to call the userinfo endpoint (if the provider has one):
   * `always`, or only when the ID token carries no email.
   */
  readonly fetchUserinfo: "always" | "whenMissingEmail";
  readonly profile: ProfileMapper;
  /** Fail with `OAUTH_EMAIL_UNVERIFIED` when the profile has no verified email. */
  readonly requireVerifiedEmail: boolean;
}
