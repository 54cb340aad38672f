import { WardenConfigError } from "../lib/configError.js";
import type { LimitRule } from "../../convex/limits.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A limit as the app configures it: at most `max` in `windowMs`. */
export interface LimitOption {
  max?: number;
  windowMs?: number;
}

/** The `rateLimits` option of `convexAuth`. Per-IP limits apply where the runtime gives the client's IP. */
export interface RateLimitOptions {
  /** Failed sign-ins per account and provider (RL-1). Default 10 per hour; `max` at most 100. A success clears it. */
  failedSignIns?: LimitOption;
  /** Failed sign-ins from one client IP, across accounts (credential stuffing). Default 100 per hour; `false` for none. */
  failedSignInsPerIp?: LimitOption | false;
  /** New accounts app-wide, spread over 10 shards so sign-ups never contend (RL-3). Default 1000 per 10 minutes; `false` for none. */
  signUps?: LimitOption | false;
  /** Sign-up attempts from one client IP. Default 20 per hour; `false` for none. */
  signUpsPerIp?: LimitOption | false;
  /**
   * One-time codes and links sent to one address or phone, whatever the
   * provider or purpose (RL-3): a token bucket, `max` at once, refilled at
   * `max` per `windowMs`. Default 10 per hour; `false` for none.
   */
  codeSends?: LimitOption | false;
  /** Codes and links sent at the request of one client IP, across addresses (mail bombing, SMS pumping). Default 30 per hour; `false` for none. */
  codeSendsPerIp?: LimitOption | false;
}

/** The limits providers refer to by name, e.g. `stores.limits.consume("failedSignIns", key)`. */
export type LimitName = "failedSignIns" | "signUps" | "codeSends";

interface Shape {
  max: number;
  windowMs: number;
}

export interface ResolvedLimits {
  failedSignIns: Shape;
  failedSignInsPerIp: Shape | null;
  signUps: Shape | null;
  signUpsPerIp: Shape | null;
  codeSends: Shape | null;
  codeSendsPerIp: Shape | null;
}

const MAX_FAILED_SIGN_INS = 100;
/** Shorter windows would let an attacker guess at nearly full speed. */
const MIN_WINDOW_MS = MINUTE;
const SIGN_UP_SHARDS = 10;

function shape(name: string, option: LimitOption | undefined, defaults: Shape, maxAllowed = Number.MAX_SAFE_INTEGER): Shape {
  const max = option?.max ?? defaults.max;
  const windowMs = option?.windowMs ?? defaults.windowMs;
  if (!Number.isInteger(max) || max < 1 || max > maxAllowed) {
    throw new WardenConfigError(`rateLimits.${name}.max`, `must be an integer from 1 to ${maxAllowed}`);
  }
  if (!Number.isFinite(windowMs) || windowMs < MIN_WINDOW_MS) {
    throw new WardenConfigError(`rateLimits.${name}.windowMs`, `must be at least ${MIN_WINDOW_MS} (a minute)`);
  }
  return { max, windowMs };
}

const optional = (name: string, option: LimitOption | false | undefined, defaults: Shape) =>
  option === false ? null : shape(name, option, defaults);

export function resolveLimits(options: RateLimitOptions = {}): ResolvedLimits {
  return {
    failedSignIns: shape("failedSignIns", options.failedSignIns, { max: 10, windowMs: HOUR }, MAX_FAILED_SIGN_INS),
    failedSignInsPerIp: optional("failedSignInsPerIp", options.failedSignInsPerIp, { max: 100, windowMs: HOUR }),
    signUps: optional("signUps", options.signUps, { max: 1000, windowMs: 10 * MINUTE }),
    signUpsPerIp: optional("signUpsPerIp", options.signUpsPerIp, { max: 20, windowMs: HOUR }),
    codeSends: optional("codeSends", options.codeSends, { max: 10, windowMs: HOUR }),
    codeSendsPerIp: optional("codeSendsPerIp", options.codeSendsPerIp, { max: 30, windowMs: HOUR }),
  };
}

const window = (name: string, key: string, { max, windowMs }: Shape): LimitRule => ({
  name,
  key,
  kind: "fixed window",
  rate: max,
  periodMs: windowMs,
});

/** Sends, per destination or client IP (RL-3): bursts of up to `max`, refilled at `max` per `windowMs`. */
const bucket = (name: string, key: string, { max, windowMs }: Shape): LimitRule => ({
  name,
  key,
  kind: "token bucket",
  rate: max,
  periodMs: windowMs,
  capacity: max,
});

/**
 * The rules a named limit stands for, for `key` and the client's IP. With
 * `accountOnly`, only the per-account rule: what a success resets.
 */
export function limitRules(
  limits: ResolvedLimits,
  name: LimitName,
  key: string | undefined,
  ip: string | null,
  accountOnly = false,
): LimitRule[] {
  const rules: LimitRule[] = [];
  if (name === "codeSends") {
    if (key === undefined) throw new TypeError("The codeSends limit counts per destination: pass its key");
    if (limits.codeSends) rules.push(bucket("codeSends", key, limits.codeSends));
    if (!accountOnly && ip !== null && limits.codeSendsPerIp) rules.push(bucket("codeSendsPerIp", ip, limits.codeSendsPerIp));
  } else if (name === "failedSignIns") {
    if (key === undefined) throw new TypeError("The failedSignIns limit counts per account: pass its key");
    rules.push(window("failedSignIns", key, limits.failedSignIns));
    if (!accountOnly && ip !== null && limits.failedSignInsPerIp) {
      rules.push(window("failedSignInsPerIp", ip, limits.failedSignInsPerIp));
    }
  } else {
    if (limits.signUps && !accountOnly) {
      const { max, windowMs } = limits.signUps;
      rules.push({ name: "signUps", kind: "token bucket", rate: max, periodMs: windowMs, capacity: max, shards: SIGN_UP_SHARDS });
    }
    if (!accountOnly && ip !== null && limits.signUpsPerIp) rules.push(window("signUpsPerIp", ip, limits.signUpsPerIp));
  }
  return rules;
}
