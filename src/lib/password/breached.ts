import { sha1 } from "@oslojs/crypto/sha1";
import { encodeHexUpperCase } from "@oslojs/encoding";

/**
 * The optional breached-password check (PW-7), against the Pwned Passwords
 * range API with k-anonymity: the password's SHA-1 is computed here, only its
 * first 5 hex characters are sent (`GET {baseUrl}/range/{prefix}`, with
 * `Add-Padding: true` so the answer's size says nothing either), and the other
 * 35 are looked for in the answer locally.
 *
 * It needs the network, so it runs where `fetch` does: a Convex action, not a
 * mutation. When the service cannot answer, the configured `onUnavailable`
 * decides, and the result says so: nothing is decided silently.
 */
export interface PwnedPasswordCheckOptions {
  /**
   * What a password is when the service cannot answer (timeout, network
   * error, a status other than 200, a body that is not the range format):
   * `"allow"` accepts it (fail open), `"reject"` refuses it (fail closed).
   * Required: there is no default.
   */
  onUnavailable: "allow" | "reject";
  /** The `fetch` to call. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Milliseconds to wait for the whole answer. Default 3000; 1 to 60000. */
  timeoutMs?: number;
  /** The API's origin, or a proxy's URL. Default "https://api.pwnedpasswords.com". */
  baseUrl?: string;
  /** The `User-Agent` header sent. Default "convex-warden". */
  userAgent?: string;
}

/** Why the service could not answer. */
export type BreachCheckFailure = "timeout" | "network" | "http_status" | "malformed";

export type BreachCheckResult =
  /** Not in the corpus. */
  | { status: "clean" }
  /** In the corpus, seen `count` times. */
  | { status: "breached"; count: number }
  /** No answer; `policy` is the configured `onUnavailable`, to be applied. */
  | { status: "unavailable"; failure: BreachCheckFailure; httpStatus?: number; policy: "allow" | "reject" };

/** Checks one password (normalized as it will be stored). */
export type BreachChecker = (password: string) => Promise<BreachCheckResult>;

export const PWNED_PASSWORDS_URL = "https://api.pwnedpasswords.com";
export const DEFAULT_BREACH_TIMEOUT_MS = 3000;

const utf8 = new TextEncoder();
const RANGE_LINE = /^([0-9A-F]{35}):(\d{1,12})$/;

export function pwnedPasswordCheck(options: PwnedPasswordCheckOptions): BreachChecker {
  const { onUnavailable } = options;
  if (onUnavailable !== "allow" && onUnavailable !== "reject") {
    throw new TypeError('pwnedPasswordCheck: onUnavailable must be "allow" or "reject"');
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_BREACH_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 60_000) {
    throw new TypeError("pwnedPasswordCheck: timeoutMs must be an integer from 1 to 60000");
  }
  const base = rangeBase(options.baseUrl ?? PWNED_PASSWORDS_URL);
  const fetchRange = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const headers = { "Add-Padding": "true", "User-Agent": options.userAgent ?? "convex-warden" };

  return async (password) => {
    const hash = encodeHexUpperCase(sha1(utf8.encode(password)));
    const prefix = hash.slice(0, 5);
    const answer = await withTimeout(timeoutMs, (signal) => fetchBody(fetchRange, `${base}/range/${prefix}`, headers, signal));
    if ("failure" in answer) return { status: "unavailable", ...answer, policy: onUnavailable };
    const count = countInRange(answer.body, hash.slice(5));
    if (count === null) return { status: "unavailable", failure: "malformed", policy: onUnavailable };
    return count > 0 ? { status: "breached", count } : { status: "clean" };
  };
}

function rangeBase(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError("pwnedPasswordCheck: baseUrl must be an absolute http(s) URL");
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.search !== "" || url.hash !== "") {
    throw new TypeError("pwnedPasswordCheck: baseUrl must be an http(s) URL without query or fragment");
  }
  return url.href.replace(/\/+$/, "");
}

type Fetched = { body: string } | { failure: BreachCheckFailure; httpStatus?: number };

async function fetchBody(
  fetchRange: typeof fetch,
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<Fetched> {
  let response: Response;
  try {
    response = await fetchRange(url, { method: "GET", headers, signal });
  } catch {
    return { failure: "network" };
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    return { failure: "http_status", httpStatus: response.status };
  }
  try {
    return { body: await response.text() };
  } catch {
    return { failure: "network" };
  }
}

/**
 * Runs `task` with a signal that aborts after `ms`, and answers `timeout`
 * then even if `task` ignores its signal (an injected fetch may).
 */
async function withTimeout(ms: number, task: (signal: AbortSignal) => Promise<Fetched>): Promise<Fetched> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<Fetched>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ failure: "timeout" });
    }, ms);
  });
  try {
    return await Promise.race([task(controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The count of `suffix` in a range body (`SUFFIX:COUNT` lines), 0 when it is
 * absent or only a padding entry (count 0); null when the body is not in that
 * format. An empty body is malformed: with padding, every range has entries.
 */
export function countInRange(body: string, suffix: string): number | null {
  let found = 0;
  let lines = 0;
  for (const line of body.split("\n")) {
    const trimmed = line.endsWith("\r") ? line.slice(0, -1) : line;
    if (trimmed === "") continue;
    const match = RANGE_LINE.exec(trimmed);
    if (match === null) return null;
    lines++;
    if (match[1] === suffix) found = Number(match[2]);
  }
  return lines === 0 ? null : found;
}
