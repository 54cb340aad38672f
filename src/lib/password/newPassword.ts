import type { BreachChecker, BreachCheckResult } from "./breached.js";
import { isCommonPassword } from "./blocklist.js";
import { hasCodePoints, normalizeBounded } from "./measure.js";
import type { NewPasswordRejection } from "./rejections.js";

/**
 * What a new password (sign-up, reset, change) must satisfy, checked in this
 * order, cheapest first, each refusal with a reason from
 * NEW_PASSWORD_REJECTIONS:
 * 1. `too_long`: over `maxBytes` UTF-8 bytes as given (before NFKC runs, so
 *    a huge input costs nothing), then once normalized (PW-4, PW-6);
 * 2. `too_short`: under `minLength` code points after NFKC (PW-3);
 * 3. `common`: on the blocklist (PW-7);
 * 4. `breached` or `breach_check_unavailable`: the optional breach check,
 *    only for passwords that passed the rest (PW-7).
 * No composition rules, no expiry (PW-5).
 */
export interface NewPasswordPolicyOptions {
  /**
   * Fewest code points, after NFKC. Default 8; 15 is recommended when the
   * password is the only factor. An integer from 1 to 256.
   */
  minLength?: number;
  /**
   * Most UTF-8 bytes, as given and after NFKC. It exists only to bound the
   * cost of hashing. Default 1024; an integer from 256 (64 characters of
   * 4 bytes each always fit) to 4096.
   */
  maxBytes?: number;
  /**
   * Recognizes common passwords (given the normalized password), or `false`
   * for no blocklist. Default `isCommonPassword`, the bundled list.
   */
  isCommon?: ((password: string) => boolean | Promise<boolean>) | false;
  /**
   * The breached-password check, e.g. `pwnedPasswordCheck({ onUnavailable:
   * "reject" })`. Default none. It needs the network: with one set, `check`
   * runs in an action; `checkOffline` skips it.
   */
  breachCheck?: BreachChecker;
}

export type NewPasswordCheck =
  /** Acceptable; `normalized` is what to hash. `breach` is null when no check ran. */
  | { ok: true; normalized: string; breach: BreachCheckResult | null }
  /** Refused; `breach` is set when the breach check decided it. */
  | { ok: false; reason: NewPasswordRejection; breach?: BreachCheckResult };

export interface NewPasswordPolicy {
  readonly minLength: number;
  readonly maxBytes: number;
  /** Every configured rule, the breach check included. */
  check(password: string): Promise<NewPasswordCheck>;
  /** Every rule but the breach check: no network, so it fits a mutation. */
  checkOffline(password: string): Promise<NewPasswordCheck>;
}

export const DEFAULT_NEW_PASSWORD_MIN_LENGTH = 8;
export const DEFAULT_NEW_PASSWORD_MAX_BYTES = 1024;

export function newPasswordPolicy(options: NewPasswordPolicyOptions = {}): NewPasswordPolicy {
  const minLength = options.minLength ?? DEFAULT_NEW_PASSWORD_MIN_LENGTH;
  const maxBytes = options.maxBytes ?? DEFAULT_NEW_PASSWORD_MAX_BYTES;
  if (!Number.isInteger(minLength) || minLength < 1 || minLength > 256) {
    throw new TypeError("newPasswordPolicy: minLength must be an integer from 1 to 256");
  }
  if (!Number.isInteger(maxBytes) || maxBytes < 256 || maxBytes > 4096) {
    throw new TypeError("newPasswordPolicy: maxBytes must be an integer from 256 to 4096");
  }
  const isCommon = options.isCommon ?? isCommonPassword;
  const { breachCheck } = options;

  async function checkOffline(password: string): Promise<NewPasswordCheck> {
    const measured = checkPasswordLength(password, { minLength, maxBytes });
    if (!measured.ok) return measured;
    if (isCommon !== false && (await isCommon(measured.normalized))) return { ok: false, reason: "common" };
    return { ok: true, normalized: measured.normalized, breach: null };
  }

  async function check(password: string): Promise<NewPasswordCheck> {
    const offline = await checkOffline(password);
    if (!offline.ok || breachCheck === undefined) return offline;
    const breach = await breachCheck(offline.normalized);
    if (breach.status === "breached") return { ok: false, reason: "breached", breach };
    if (breach.status === "unavailable" && breach.policy === "reject") {
      return { ok: false, reason: "breach_check_unavailable", breach };
    }
    return { ok: true, normalized: offline.normalized, breach };
  }

  return { minLength, maxBytes, check, checkOffline };
}

export type LengthCheck =
  | { ok: true; normalized: string }
  | { ok: false; reason: "too_short" | "too_long" };

/**
 * The length rules alone: the byte cap on the raw input, NFKC, the byte cap
 * again, then the minimum in code points. Options are not validated here.
 */
export function checkPasswordLength(
  password: string,
  limits: { minLength: number; maxBytes: number },
): LengthCheck {
  const normalized = normalizeBounded(password, limits.maxBytes);
  if (normalized === null) return { ok: false, reason: "too_long" };
  if (!hasCodePoints(normalized, limits.minLength)) return { ok: false, reason: "too_short" };
  return { ok: true, normalized };
}
