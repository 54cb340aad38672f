import { v } from "convex/values";

/**
 * Failures of the sign-in frame itself, whatever the provider. Each entry is
 * a code and the validators of its payload (besides `code` and `message`).
 */
export const coreErrors = {
  /** The call itself was malformed: `field` names the parameter. Thrown. */
  INVALID_ARGUMENT: { field: v.optional(v.string()) },
  /** `signIn` named a provider the app did not configure. Thrown. */
  PROVIDER_NOT_FOUND: {},
  /** The provider does not support the requested flow or step. Thrown. */
  UNSUPPORTED_FLOW: {},
  /** Too many attempts or sends: try again after `retryAfterMs`. Returned. */
  RATE_LIMITED: { retryAfterMs: v.number() },
  /** The function needs a signed-in user and there is none. Thrown. */
  NOT_SIGNED_IN: {},
  /** The app's convex-warden configuration is wrong (a programmer error). Thrown. */
  INVALID_CONFIG: { reason: v.optional(v.string()) },
};
