import { v } from "convex/values";

/** Why a message could not be sent: the provider refused it, or could not take it now. */
export const UNDELIVERED_REASONS = ["rejected", "unavailable"] as const;
export type UndeliveredReason = (typeof UNDELIVERED_REASONS)[number];

/**
 * Failures of sign-in by one-time code or link, sent by email or SMS
 * (`Email`, `Phone`). All returned.
 */
export const codeErrors = {
  /**
   * The last code or link for this address could not be sent: offer to send
   * another. `reason` says whether the provider refused the message or could
   * not take it now; `retryAfterMs`, when the provider said how long to wait.
   */
  DELIVERY_FAILED: {
    reason: v.union(...UNDELIVERED_REASONS.map((reason) => v.literal(reason))),
    retryAfterMs: v.optional(v.number()),
  },
  /**
   * A sign-in link was opened in another browser than the one that asked for
   * it. The link still works in the browser that asked, until it expires.
   */
  LINK_OTHER_BROWSER: {},
  /** The phone number is not one an account can use (E.164: "+" and 8 to 15 digits). */
  INVALID_PHONE: {},
};
