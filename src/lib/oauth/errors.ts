/**
 * Every way an OAuth or OpenID Connect sign-in can fail, by stable code.
 * The codes join the project's error union as they are; each has its own
 * payload type below. Messages are fixed developer text: no provider text,
 * token, code or claim ever goes into one, and no cause is attached (the
 * library errors behind them can carry response bodies with tokens).
 */
export const OAUTH_ERROR_CODES = [
  /** The user declined at the provider (`error=access_denied`). */
  "OAUTH_ACCESS_DENIED",
  /** The provider answered the authorization request with another error; `error` names it. */
  "OAUTH_PROVIDER_ERROR",
  /** The callback does not belong to the flow this browser started (state, provider). */
  "OAUTH_STATE_MISMATCH",
  /** The provider refused the authorization code: used, expired, or bound to another verifier or redirect. */
  "OAUTH_CODE_REJECTED",
  /** The provider refused the app's client credentials: a configuration problem. */
  "OAUTH_CLIENT_REJECTED",
  /** A provider response was not what the protocol allows; `step` says which. */
  "OAUTH_INVALID_RESPONSE",
  /** The ID token failed validation; `reason` says which check. */
  "OAUTH_INVALID_ID_TOKEN",
  /** The provider could not be reached in time or answered with a server error. */
  "OAUTH_PROVIDER_UNAVAILABLE",
  /** The provider has no verified email for the user and the app requires one. */
  "OAUTH_EMAIL_UNVERIFIED",
  /** The discovery document names another issuer than the one configured. */
  "OAUTH_DISCOVERY_MISMATCH",
] as const;

export type OAuthErrorCode = (typeof OAUTH_ERROR_CODES)[number];

/** The exchange with the provider where a failure happened. */
export const OAUTH_STEPS = [
  "discovery",
  "authorization",
  "token",
  "jwks",
  "userinfo",
  "emails",
] as const;
export type OAuthStep = (typeof OAUTH_STEPS)[number];

/** Which ID token check failed (`OAUTH_INVALID_ID_TOKEN`). */
export const ID_TOKEN_REASONS = [
  "missing",
  "malformed",
  "algorithm",
  "signature",
  "issuer",
  "audience",
  "authorized_party",
  "expired",
  "not_yet_valid",
  "issued_in_future",
  "nonce",
  "tenant",
] as const;
export type IdTokenReason = (typeof ID_TOKEN_REASONS)[number];

/** Why a provider counts as unavailable (`OAUTH_PROVIDER_UNAVAILABLE`). */
export const UNAVAILABLE_REASONS = ["timeout", "network", "status", "provider_error"] as const;
export type UnavailableReason = (typeof UNAVAILABLE_REASONS)[number];

/** The payload of each code. */
export type OAuthErrorData =
  | { code: "OAUTH_ACCESS_DENIED" }
  | { code: "OAUTH_PROVIDER_ERROR"; error: string }
  | { code: "OAUTH_STATE_MISMATCH" }
  | { code: "OAUTH_CODE_REJECTED" }
  | { code: "OAUTH_CLIENT_REJECTED" }
  | { code: "OAUTH_INVALID_RESPONSE"; step: OAuthStep; error?: string }
  | { code: "OAUTH_INVALID_ID_TOKEN"; reason: IdTokenReason }
  | { code: "OAUTH_PROVIDER_UNAVAILABLE"; step: OAuthStep; reason: UnavailableReason; status?: number }
  | { code: "OAUTH_EMAIL_UNVERIFIED" }
  | { code: "OAUTH_DISCOVERY_MISMATCH"; expected: string; received: string };

/** The payload of one code, e.g. `OAuthErrorDataOf<"OAUTH_INVALID_ID_TOKEN">`. */
export type OAuthErrorDataOf<C extends OAuthErrorCode> = Extract<OAuthErrorData, { code: C }>;

const MESSAGES: Record<OAuthErrorCode, string> = {
  OAUTH_ACCESS_DENIED: "the user declined the sign-in at the provider",
  OAUTH_PROVIDER_ERROR: "the provider answered the authorization request with an error",
  OAUTH_STATE_MISMATCH: "the callback does not match the sign-in flow that was started",
  OAUTH_CODE_REJECTED: "the provider refused the authorization code",
  OAUTH_CLIENT_REJECTED: "the provider refused the client credentials; check the client id and secret",
  OAUTH_INVALID_RESPONSE: "the provider sent a response the protocol does not allow",
  OAUTH_INVALID_ID_TOKEN: "the ID token failed validation",
  OAUTH_PROVIDER_UNAVAILABLE: "the provider could not be reached or answered with a server error",
  OAUTH_EMAIL_UNVERIFIED: "the provider has no verified email address for this user",
  OAUTH_DISCOVERY_MISMATCH: "the discovery document names another issuer than the configured one",
};

function describe(data: OAuthErrorData): string {
  const detail =
    "reason" in data ? ` (${data.reason})` : "step" in data ? ` (${data.step})` : "";
  return `convex-warden: ${MESSAGES[data.code]}${detail}`;
}

/** A failed OAuth step. Switch on `code`; `data` carries the code's payload. */
export class OAuthError<D extends OAuthErrorData = OAuthErrorData> extends Error {
  override readonly name = "OAuthError";
  readonly code: D["code"];
  readonly data: D;

  constructor(data: D) {
    super(describe(data));
    this.code = data.code;
    this.data = data;
  }
}

export function oauthError<D extends OAuthErrorData>(data: D): OAuthError<D> {
  return new OAuthError(data);
}

/** Type guard, optionally for one code: `isOAuthError(e, "OAUTH_INVALID_ID_TOKEN")`. */
export function isOAuthError<C extends OAuthErrorCode>(
  error: unknown,
  code?: C,
): error is OAuthError<OAuthErrorDataOf<C>> {
  return error instanceof OAuthError && (code === undefined || error.code === code);
}

const MAX_ERROR_LENGTH = 64;

/**
 * An OAuth `error` value fit to keep in a payload: the RFC 6749 charset
 * (printable ASCII but `"` and `\`), at most 64 characters; anything else
 * becomes "invalid".
 */
export function safeErrorValue(value: unknown): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_ERROR_LENGTH) return "invalid";
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return "invalid";
  }
  return value;
}
