import { PASSWORD_REJECTION_REASONS } from "../../shared/errors.js";

/**
 * Every reason a new password can be refused (`PASSWORD_REJECTED`'s
 * `reason`), in one list: today's reasons plus the blocklist's and the
 * breach check's. UIs switch on these; they never change meaning.
 */
export const NEW_PASSWORD_REJECTIONS = [
  /**
   * `too_short`: fewer code points than the minimum, after NFKC.
   * `too_long`: more UTF-8 bytes than the cap, as given or after NFKC.
   */
  ...PASSWORD_REJECTION_REASONS,
  /** On the common-password blocklist, or a trailing variant of an entry. */
  "common",
  /** Found in the breached-password corpus. */
  "breached",
  /** The breach check could not answer and the policy fails closed. */
  "breach_check_unavailable",
] as const;

export type NewPasswordRejection = (typeof NEW_PASSWORD_REJECTIONS)[number];
