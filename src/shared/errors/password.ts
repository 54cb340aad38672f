import { v } from "convex/values";

/** Why a new password was rejected (`PASSWORD_REJECTED`). */
export const PASSWORD_REJECTION_REASONS = ["too_short", "too_long"] as const;
export type PasswordRejectionReason = (typeof PASSWORD_REJECTION_REASONS)[number];

export const vPasswordRejectionReason = v.union(
  ...PASSWORD_REJECTION_REASONS.map((reason) => v.literal(reason)),
);

/** Failures of the `Password` provider. */
export const passwordErrors = {
  /** The email address is not one an account can use. Returned. */
  INVALID_EMAIL: {},
  /** The new password was refused; `reason` says why. Returned. */
  PASSWORD_REJECTED: { reason: vPasswordRejectionReason },
};
