import { v } from "convex/values";

/**
 * Why a new password was rejected (`PASSWORD_REJECTED`'s `reason`). UIs
 * switch on these; they never change meaning.
 */
export const PASSWORD_REJECTION_REASONS = [
  /** Fewer code points than the minimum, after NFKC. */
  "too_short",
  /** More UTF-8 bytes than the cap, as typed or after NFKC. */
  "too_long",
  /** On the common-password blocklist, or a trailing variant of an entry. */
  "common",
  /** Found in the breached-password corpus. */
  "breached",
  /** The breach check could not answer and the policy fails closed. */
  "breach_check_unavailable",
  /**
   * The app checks new passwords against breaches, and this one came without
   * a clearance from that check (or with one that expired, was used, or was
   * for another password): run the check, then send the password again.
   */
  "breach_check_required",
] as const;
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
  /**
   * A sensitive change (password, email address) needs the current password,
   * or a sign-in more recent than the app's window (SES-7). Returned.
   */
  REAUTHENTICATION_REQUIRED: {},
  /** The new email address already belongs to an account. Returned, so the attempt is counted. */
  EMAIL_IN_USE: {},
};
