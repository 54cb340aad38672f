import type { PasswordRejectionReason } from "../../shared/errors.js";

/**
 * What a new password must satisfy: a length, counted in code points after
 * NFKC normalization, and nothing else (no composition rules, no expiry).
 * The byte cap exists only to bound hashing cost.
 */
export interface PasswordPolicy {
  /** Fewest code points. */
  minLength: number;
  /** Most UTF-8 bytes. */
  maxBytes: number;
}

export const DEFAULT_MIN_LENGTH = 8;
export const DEFAULT_MAX_BYTES = 1024;

/** The same normalization at set and verify time (PW-6). */
export const normalizePassword = (password: string) => password.normalize("NFKC");

export function checkPassword(
  normalized: string,
  policy: PasswordPolicy,
): PasswordRejectionReason | null {
  if ([...normalized].length < policy.minLength) return "too_short";
  if (new TextEncoder().encode(normalized).length > policy.maxBytes) return "too_long";
  return null;
}
