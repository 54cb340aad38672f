/**
 * Where a browser may be sent after sign-in (OA-5): a path on the app's own
 * origin, or an origin the app lists exactly (a preview deployment, a native
 * app's custom scheme). Every decision is made on what the WHATWG URL parser
 * makes of the target, the same parser the browser will use, and the URL
 * returned is the parser's serialization, so what was checked is what is
 * visited.
 */

export const REDIRECT_REFUSAL_REASONS = [
  /** Not a string, or empty. */
  "empty",
  /** Longer than 2048 characters. */
  "too_long",
  /** Control characters, a backslash, or leading/trailing spaces: never in an honest target. */
  "invalid_character",
  /** Neither a path starting with `/` nor an absolute URL (e.g. `%2F%2Fevil.com`, `evil.com`). */
  "relative",
  /** `javascript:`, `data:` and other schemes that are not navigation to an app. */
  "forbidden_scheme",
  /** The URL holds a user name or password (`https://app.com@evil.com` parses as evil.com's). */
  "credentials",
  /** The origin is neither the site's nor listed. */
  "origin_not_allowed",
  /** The path starts with `//` or an encoded slash, which a later hop could read as another host. */
  "ambiguous_path",
] as const;
export type RedirectRefusalReason = (typeof REDIRECT_REFUSAL_REASONS)[number];

/** The code of a refused redirect target, for the project's error union. */
export const REDIRECT_NOT_ALLOWED = "REDIRECT_NOT_ALLOWED";

export type RedirectCheck =
  | { ok: true; url: string }
  | { ok: false; code: typeof REDIRECT_NOT_ALLOWED; reason: RedirectRefusalReason };

export interface RedirectTargetOptions {
  /** The app's URL (`SITE_URL`); paths resolve against its origin. Required, http(s). */
  siteUrl: string;
  /**
   * Further origins accepted exactly as listed: `https://app-git-fix.vercel.app`,
   * `myapp://callback`. No wildcards. Default: none.
   */
  allowedOrigins?: readonly string[];
}

export const MAX_REDIRECT_LENGTH = 2048;

const NEVER_NAVIGABLE = new Set(["javascript:", "data:", "vbscript:", "blob:", "about:", "filesystem:"]);
const OTHER_SPECIAL = new Set(["ftp:", "ws:", "wss:", "file:"]);

const refuse = (reason: RedirectRefusalReason): RedirectCheck => ({ ok: false, code: REDIRECT_NOT_ALLOWED, reason });

function parse(value: string, base?: string): URL | null {
  try {
    return new URL(value, base);
  } catch {
    return null;
  }
}

/** What makes two URLs "the same origin" here; null for schemes never accepted. */
function originKey(url: URL): string | null {
  if (url.protocol === "http:" || url.protocol === "https:") return url.origin;
  if (NEVER_NAVIGABLE.has(url.protocol) || OTHER_SPECIAL.has(url.protocol)) return null;
  // Custom schemes have an opaque origin; scheme and authority identify the app.
  return `${url.protocol}//${url.host}`;
}

function allowedKeys(options: RedirectTargetOptions): Set<string> {
  const site = parse(options.siteUrl);
  if (site === null || (site.protocol !== "http:" && site.protocol !== "https:")) {
    throw new TypeError("convex-warden: siteUrl must be an absolute http(s) URL");
  }
  const keys = new Set([site.origin]);
  for (const entry of options.allowedOrigins ?? []) {
    const url = parse(entry);
    const key = url === null ? null : originKey(url);
    const bare = url !== null && url.username === "" && url.password === "" && url.search === "" && url.hash === "";
    if (key === null || !bare || (url.pathname !== "" && url.pathname !== "/")) {
      throw new TypeError(`convex-warden: allowed origin "${entry}" must be an origin (scheme and host), no path`);
    }
    keys.add(key);
  }
  return keys;
}

function hasInvalidCharacter(target: string): boolean {
  if (target.charCodeAt(0) === 0x20 || target.charCodeAt(target.length - 1) === 0x20) return true;
  for (let i = 0; i < target.length; i++) {
    const c = target.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x5c) return true;
  }
  return false;
}

function isAmbiguousPath(url: URL): boolean {
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  const path = url.pathname.toLowerCase();
  return path.startsWith("//") || path.startsWith("/%2f") || path.startsWith("/%5c");
}

/** The absolute URL to send the browser to, or why not. Bad options are a `TypeError`. */
export function checkRedirectTarget(target: unknown, options: RedirectTargetOptions): RedirectCheck {
  const allowed = allowedKeys(options);
  if (typeof target !== "string" || target === "") return refuse("empty");
  if (target.length > MAX_REDIRECT_LENGTH) return refuse("too_long");
  if (hasInvalidCharacter(target)) return refuse("invalid_character");
  const url = target.startsWith("/") ? parse(target, options.siteUrl) : parse(target);
  if (url === null) return refuse("relative");
  if (url.username !== "" || url.password !== "") return refuse("credentials");
  const key = originKey(url);
  if (key === null) return refuse("forbidden_scheme");
  if (!allowed.has(key)) return refuse("origin_not_allowed");
  if (isAmbiguousPath(url)) return refuse("ambiguous_path");
  return { ok: true, url: url.href };
}
