import { v } from "convex/values";
import { ID_TOKEN_REASONS, OAUTH_STEPS, UNAVAILABLE_REASONS } from "../../lib/oauth/errors.js";
import { REDIRECT_REFUSAL_REASONS } from "../../lib/redirect.js";

const literals = <T extends string>(values: readonly T[]) => v.union(...values.map((value) => v.literal(value)));

/**
 * Failures of an OAuth or OpenID Connect sign-in. Most end a flow in the
 * browser, away from any function call: the callback route sends the browser
 * back to the app with `?wardenError=<CODE>` and the client reports the code
 * (the flow `redirectFailed`). A code in a URL travels alone, so every detail
 * below is optional: present when a function returns the failure, absent
 * after a redirect. All are returned: whatever the flow consumed stays
 * consumed.
 */
export const oauthErrors = {
  /** The user declined at the provider. */
  OAUTH_ACCESS_DENIED: {},
  /** The provider answered the authorization request with another error; `error` is its OAuth code. */
  OAUTH_PROVIDER_ERROR: { error: v.optional(v.string()) },
  /**
   * The callback does not belong to a flow this browser started: an unknown
   * or already used state (a replayed callback), or a state without this
   * browser's flow cookie (a callback from another browser).
   */
  OAUTH_STATE_MISMATCH: {},
  /** The flow was started too long ago: start the sign-in again. */
  OAUTH_FLOW_EXPIRED: {},
  /** The provider refused the authorization code: used, expired, or bound to another verifier. */
  OAUTH_CODE_REJECTED: {},
  /** The provider refused the app's client credentials: a configuration problem. */
  OAUTH_CLIENT_REJECTED: {},
  /** A provider response was not what the protocol allows; `step` says which. */
  OAUTH_INVALID_RESPONSE: { step: v.optional(literals(OAUTH_STEPS)), error: v.optional(v.string()) },
  /** The ID token failed validation; `reason` says which check (OA-3). */
  OAUTH_INVALID_ID_TOKEN: { reason: v.optional(literals(ID_TOKEN_REASONS)) },
  /** The provider could not be reached in time or answered with a server error. */
  OAUTH_PROVIDER_UNAVAILABLE: {
    step: v.optional(literals(OAUTH_STEPS)),
    reason: v.optional(literals(UNAVAILABLE_REASONS)),
    status: v.optional(v.number()),
  },
  /** The provider has no verified email for the user and the provider requires one. */
  OAUTH_EMAIL_UNVERIFIED: {},
  /** The issuer's discovery document names another issuer than the configured one. */
  OAUTH_DISCOVERY_MISMATCH: { expected: v.optional(v.string()), received: v.optional(v.string()) },
  /**
   * A user with this email exists and the sign-in may not join it: the
   * provider is not trusted for email linking, or did not verify the email.
   * Sign in the way that user does, then link this provider (OA-4).
   */
  OAUTH_ACCOUNT_NOT_LINKED: {},
  /** Linking failed: this provider account already belongs to another user. */
  OAUTH_ACCOUNT_IN_USE: {},
  /** `redirectTo` is neither a path of the site nor an allowed origin (OA-5); `reason` says why. */
  REDIRECT_NOT_ALLOWED: { reason: v.optional(literals(REDIRECT_REFUSAL_REASONS)) },
};
