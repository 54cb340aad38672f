import type { PasswordRejectionReason } from "../../shared/errors/index.js";

/**
 * What a new password must satisfy: a length, counted in code points after
 * NFKC normalization, and nothing else (no composition rules, no expiry).
 * The byte cap exists only to bound hashing cost, and applies to the raw
 * input before normalization too: NFKC can expand a character eighteenfold
 * (U+FDFA), so an uncapped input would make `normalize` itself the cost.
 */
export interface PasswordPolicy {
  /** Fewest code points. */
  minLength: number;
  /** Most UTF-8 bytes, before and after normalization. */
  maxBytes: number;
}

export const DEFAULT_MIN_LENGTH = 8;
export const DEFAULT_MAX_BYTES = 1024;

/** The UTF-8 length of `text`, counted without encoding it; stops counting past `limit`. */
export function utf8Length(text: string, limit = Infinity): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= limit; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4; // a surrogate pair: one astral code point
      i++;
    } else bytes += 3; // the rest of the BMP, and lone surrogates (encoded as U+FFFD)
  }
  return bytes;
}

/** The number of code points in `text`, without building an array of them. */
export function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) i++;
    count++;
  }
  return count;
}

const isLowSurrogate = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

/**
 * The password as it is hashed: NFKC-normalized, the same at set and verify
 * time (PW-6). Null when the raw input, or its normalized form, is over the
 * byte cap: nothing that long is normalized, let alone hashed.
 */
export function normalizePassword(raw: string, maxBytes = DEFAULT_MAX_BYTES): string | null {
  if (utf8Length(raw, maxBytes) > maxBytes) return null;
  const normalized = raw.normalize("NFKC");
  return utf8Length(normalized, maxBytes) > maxBytes ? null : normalized;
}

/** Checks a new, already normalized password against the policy. */
export function checkPassword(normalized: string, policy: PasswordPolicy): PasswordRejectionReason | null {
  if (utf8Length(normalized, policy.maxBytes) > policy.maxBytes) return "too_long";
  if (codePointLength(normalized) < policy.minLength) return "too_short";
  return null;
}
