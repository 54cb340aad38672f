import { ConvexError } from "convex/values";

/**
 * Every failure convex-warden reports, by stable code. UIs switch on the code
 * (and translate it); messages may change between versions, codes do not.
 */
export const ERROR_CODES = [
  /** The call itself was malformed: a missing or mistyped parameter. */
  "INVALID_ARGUMENT",
  /** `signIn` named a provider the app did not configure. */
  "PROVIDER_NOT_FOUND",
  /** The provider does not support the requested flow. */
  "UNSUPPORTED_FLOW",
  /** Wrong password or unknown account: deliberately indistinguishable. */
  "INVALID_CREDENTIALS",
  /** Sign-up for an identifier that already has an account. */
  "ACCOUNT_EXISTS",
  /** The email address is not one an account can use. */
  "INVALID_EMAIL",
  /** The new password was rejected; `reason` says why. */
  "PASSWORD_REJECTED",
  /** Too many attempts; `retryAfterMs` says when to try again. */
  "RATE_LIMITED",
  /** The refresh token is malformed, unknown or already replaced. */
  "INVALID_REFRESH_TOKEN",
  /** A spent refresh token was presented again; the session was revoked. */
  "REFRESH_TOKEN_REUSED",
  /** The session reached its idle timeout or absolute lifetime, or was revoked. */
  "SESSION_EXPIRED",
  /** The function needs a signed-in user and there is none. */
  "NOT_SIGNED_IN",
  /** The app's convex-warden configuration is wrong (a programmer error). */
  "INVALID_CONFIG",
] as const;

export type WardenErrorCode = (typeof ERROR_CODES)[number];

/** Why a new password was rejected (`PASSWORD_REJECTED`). */
export const PASSWORD_REJECTION_REASONS = ["too_short", "too_long"] as const;
export type PasswordRejectionReason =
  (typeof PASSWORD_REJECTION_REASONS)[number];

/** The payload of every convex-warden failure, thrown or returned. */
export type WardenErrorData = {
  code: WardenErrorCode;
  /** Milliseconds until a rate-limited call may succeed. */
  retryAfterMs?: number;
  /** A finer-grained reason, e.g. for `PASSWORD_REJECTED`. */
  reason?: string;
  /** A human-readable explanation for developers; never shown as-is to users. */
  message?: string;
};

/** A `ConvexError` whose data is a convex-warden failure. */
export type WardenError = ConvexError<WardenErrorData>;

export function wardenError(data: WardenErrorData): WardenError {
  return new ConvexError(data);
}

/** Type guard: is `error` a convex-warden failure, with a stable `code`? */
export function isWardenError(error: unknown): error is WardenError {
  if (!(error instanceof ConvexError)) return false;
  const data: unknown = error.data;
  return (
    typeof data === "object" &&
    data !== null &&
    "code" in data &&
    (ERROR_CODES as readonly unknown[]).includes(data.code)
  );
}
