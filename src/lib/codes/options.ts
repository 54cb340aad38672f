import { WardenConfigError } from "../configError.js";
import { siteUrlFromEnv } from "../env.js";

/**
 * The options every code provider shares, checked once when `convex/auth.ts`
 * loads: the shape and lifetime of a code (OTP-1, OTP-2), of a link
 * (OTP-7), the attempt budget (OTP-6) and the resend cooldown.
 */
export const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
export const DIGITS = "0123456789";

/** A code the user types. */
export interface CodeOptions {
  /** Characters in the code. Default 8 for email, 6 for SMS. */
  length?: number;
  /**
   * The characters it is drawn from, uniformly: letters and digits, no
   * repeats. Default the ten digits. With the length, it must give at least
   * the guessing odds of 6 digits (OTP-1).
   */
  alphabet?: string;
  /** How long the code works. Default 10 minutes; from 1 minute to 1 hour. */
  lifetimeMs?: number;
}

export interface ResolvedCode {
  alphabet: string;
  length: number;
  lifetimeMs: number;
}

/** Six digits: the weakest code accepted (OTP-1). */
const MIN_CODE_BITS = 6 * Math.log2(10);
/** What the templates accept in a code. */
const CODE_CHARACTER = /^[A-Za-z0-9]$/;

function inRange(option: string, value: number, min: number, max: number, integer = false): number {
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new WardenConfigError(option, `must be ${integer ? "an integer" : "a number"} from ${min} to ${max}`);
  }
  return value;
}

export function resolveCode(where: string, options: CodeOptions, defaultLength: number): ResolvedCode {
  if (typeof options !== "object" || options === null) throw new WardenConfigError(where, "must be an object or false");
  const alphabet = options.alphabet ?? DIGITS;
  const characters = typeof alphabet === "string" ? [...alphabet] : [];
  if (
    characters.length < 2 ||
    new Set(characters).size !== characters.length ||
    !characters.every((character) => CODE_CHARACTER.test(character))
  ) {
    throw new WardenConfigError(`${where}.alphabet`, "must be at least 2 distinct letters or digits");
  }
  const length = inRange(`${where}.length`, options.length ?? defaultLength, 4, 32, true);
  if (length * Math.log2(characters.length) < MIN_CODE_BITS - 1e-9) {
    throw new WardenConfigError(`${where}.length`, "is too short for its alphabet: a code must be at least as hard to guess as 6 digits");
  }
  const lifetimeMs = inRange(`${where}.lifetimeMs`, options.lifetimeMs ?? 10 * MINUTE, MINUTE, HOUR);
  return { alphabet, length, lifetimeMs };
}

/**
 * What the user typed, as the code was drawn: spaces and dashes (a code
 * copied as "1234 5678") dropped, and upper-cased when the alphabet has no
 * lower-case letters.
 */
export function typedCode(code: ResolvedCode, typed: string): string {
  const bare = typed.replace(/[\s-]/g, "");
  return /[a-z]/.test(code.alphabet) ? bare : bare.toUpperCase();
}

/** A sign-in link. */
export interface LinkOptions {
  /**
   * The app's URL, where links land (OTP-7: never a request's headers).
   * Default the `SITE_URL` environment variable; one of them is required.
   */
  siteUrl?: string;
  /** The page on the site the link opens, where the app's client runs. Default "/". */
  path?: string;
  /** How long the link works. Default 1 hour; from 1 minute to 1 day. A message with a code too lives as long as the code. */
  lifetimeMs?: number;
  /**
   * Let a link opened in another browser than the one that asked for it sign
   * that browser in. Default false: such a link fails with
   * LINK_OTHER_BROWSER, and keeps working in the browser that asked. Allowing
   * it means whoever gets the link (a forwarded email, a shared screen) signs
   * in with it.
   */
  allowOtherBrowser?: boolean;
}

export interface ResolvedLink {
  /** Where the link lands, without the parameters it carries. */
  url: string;
  lifetimeMs: number;
  /** Bound to the browser that asked: redeeming needs its verifier. */
  bound: boolean;
}

export function resolveLink(where: string, options: LinkOptions): ResolvedLink {
  if (typeof options !== "object" || options === null) throw new WardenConfigError(where, "must be true, an object or false");
  const siteUrl = options.siteUrl ?? siteUrlFromEnv();
  if (siteUrl === undefined) {
    throw new WardenConfigError(`${where}.siteUrl`, "is required for sign-in links: pass it or set SITE_URL");
  }
  let site: URL;
  try {
    site = new URL(siteUrl);
  } catch {
    throw new WardenConfigError(`${where}.siteUrl`, "must be an absolute http(s) URL");
  }
  if (site.protocol !== "https:" && site.protocol !== "http:") {
    throw new WardenConfigError(`${where}.siteUrl`, "must be an absolute http(s) URL");
  }
  const path = options.path ?? "/";
  if (typeof path !== "string" || !path.startsWith("/") || path.startsWith("//") || /[\\\s?#]/.test(path)) {
    throw new WardenConfigError(`${where}.path`, 'must be a path on the site such as "/" or "/sign-in", without query or fragment');
  }
  if (options.allowOtherBrowser !== undefined && typeof options.allowOtherBrowser !== "boolean") {
    throw new WardenConfigError(`${where}.allowOtherBrowser`, "must be a boolean");
  }
  return {
    url: new URL(path, site.origin).href,
    lifetimeMs: inRange(`${where}.lifetimeMs`, options.lifetimeMs ?? HOUR, MINUTE, DAY),
    bound: options.allowOtherBrowser !== true,
  };
}

/** The budget and pacing of the codes a provider sends. */
export interface PacingOptions {
  /** Wrong codes one code survives (OTP-6). Default 5; from 1 to 10. */
  maxAttempts?: number;
  /**
   * The least time between two sends to one address, what a `codeSent`
   * answer's `resendAfterMs` says. Default 30 s; from 0 (none) to 10 minutes.
   * A send that failed may be retried at once.
   */
  resendCooldownMs?: number;
}

export function resolvePacing(where: string, options: PacingOptions) {
  return {
    maxAttempts: inRange(`${where}.maxAttempts`, options.maxAttempts ?? 5, 1, 10, true),
    resendCooldownMs: inRange(`${where}.resendCooldownMs`, options.resendCooldownMs ?? 30_000, 0, 10 * MINUTE),
  };
}
