import type {
  AnyDataModel,
  GenericDataModel,
  GenericMutationCtx,
} from "convex/server";
import type { GenericId } from "convex/values";
import { createLogger, LOG_LEVELS, type LogLevel, type Logger } from "../lib/log.js";
import { logLevelFromEnv } from "../lib/env.js";
import { WardenConfigError } from "../lib/configError.js";
import type { AuthProvider, CustomClaims, UserProfile } from "./types.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The options of `convexAuth`. Every field but `providers` has a default. */
export interface ConvexAuthOptions<DataModel extends GenericDataModel = AnyDataModel> {
  /** The sign-in methods, e.g. `[Password()]`. Ids must be unique. */
  providers: AuthProvider[];
  session?: {
    /** Absolute session lifetime, however active. Default 30 days. */
    totalDurationMs?: number;
    /** Idle timeout: a session not refreshed for this long ends. Default 14 days. */
    inactiveDurationMs?: number;
    /**
     * How long after a refresh the replaced refresh token still works (for
     * tabs refreshing at once). Reuse after it revokes the session. Default 10 s.
     */
    refreshGraceMs?: number;
  };
  jwt?: {
    /** Access token lifetime. Default 10 minutes; at most 1 hour. */
    durationMs?: number;
    /**
     * Extra claims for each access token. `iss`, `sub`, `aud`, `sid`, `iat`,
     * `exp`, `nbf`, `jti` and names starting with `convex` or `cvx` are reserved.
     */
    customClaims?: (
      ctx: GenericMutationCtx<DataModel>,
      args: { userId: GenericId<"users">; sessionId: string },
    ) => CustomClaims | Promise<CustomClaims>;
  };
  rateLimits?: {
    /**
     * Failed sign-in attempts per account and provider (RL-1). Default 10 per
     * hour; `max` may not exceed 100. A success clears the count.
     */
    failedSignIns?: { max?: number; windowMs?: number };
  };
  callbacks?: {
    /**
     * Creates or updates the app's user for a sign-in; returns its id. Runs in
     * the sign-in transaction. Default: insert `profile` into `users`.
     */
    createOrUpdateUser?: (
      ctx: GenericMutationCtx<DataModel>,
      args: { existingUserId: GenericId<"users"> | null; provider: string; profile: UserProfile },
    ) => Promise<GenericId<"users">>;
    /** Runs after a user is created or updated, in the same transaction. */
    afterUserCreatedOrUpdated?: (
      ctx: GenericMutationCtx<DataModel>,
      args: {
        userId: GenericId<"users">;
        existingUserId: GenericId<"users"> | null;
        provider: string;
        profile: UserProfile;
      },
    ) => Promise<void>;
  };
  /**
   * How much to log. Default `WARDEN_LOG_LEVEL` from the environment, else
   * "warn". "debug" traces each sign-in step; secrets are never logged.
   */
  logLevel?: LogLevel;
}

export interface ResolvedConfig {
  providers: Map<string, AuthProvider>;
  session: { totalDurationMs: number; inactiveDurationMs: number; refreshGraceMs: number };
  jwt: {
    durationMs: number;
    customClaims?: (
      ctx: GenericMutationCtx<GenericDataModel>,
      args: { userId: GenericId<"users">; sessionId: string },
    ) => CustomClaims | Promise<CustomClaims>;
  };
  failedSignIns: { max: number; windowMs: number };
  callbacks: NonNullable<ConvexAuthOptions<GenericDataModel>["callbacks"]>;
  log: Logger;
}

const MAX_JWT_DURATION_MS = HOUR;
const MAX_FAILED_SIGN_INS = 100;
/** Shorter failure windows would let an attacker guess at nearly full speed. */
const MIN_FAILURE_WINDOW_MS = MINUTE;

function inRange(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER) {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new WardenConfigError(name, `must be a number from ${min} to ${max}`);
  }
  return value;
}

const positive = (name: string, value: number, max?: number) => inRange(name, value, Number.MIN_VALUE, max);

function providerMap(providers: AuthProvider[]) {
  if (!Array.isArray(providers) || providers.length === 0) {
    throw new WardenConfigError("providers", "must list at least one sign-in method");
  }
  const map = new Map<string, AuthProvider>();
  for (const provider of providers) {
    if (map.has(provider.id)) {
      throw new WardenConfigError("providers", `has two providers with the id "${provider.id}"`);
    }
    map.set(provider.id, provider);
  }
  return map;
}

function logLevel(option: LogLevel | undefined): LogLevel {
  const level = option ?? logLevelFromEnv() ?? "warn";
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new WardenConfigError("logLevel", `must be one of ${LOG_LEVELS.join(", ")}`);
  }
  return level as LogLevel;
}

function sessionOptions(session: NonNullable<ConvexAuthOptions["session"]>) {
  const totalDurationMs = positive("session.totalDurationMs", session.totalDurationMs ?? 30 * DAY);
  const inactiveDurationMs = positive("session.inactiveDurationMs", session.inactiveDurationMs ?? 14 * DAY);
  if (inactiveDurationMs > totalDurationMs) {
    throw new WardenConfigError("session.inactiveDurationMs", "may not exceed session.totalDurationMs");
  }
  const refreshGraceMs = positive("session.refreshGraceMs", session.refreshGraceMs ?? 10_000, MINUTE);
  return { totalDurationMs, inactiveDurationMs, refreshGraceMs };
}

/** Checks the options once, fills in defaults; bad options throw a `WardenConfigError`. */
export function resolveConfig<DataModel extends GenericDataModel>(
  options: ConvexAuthOptions<DataModel>,
): ResolvedConfig {
  const session = options.session ?? {};
  const failed = options.rateLimits?.failedSignIns ?? {};
  // The callbacks only ever receive this app's ctx; widen them to the generic one.
  const generic = options as unknown as ConvexAuthOptions<GenericDataModel>;
  return {
    providers: providerMap(options.providers),
    session: sessionOptions(session),
    jwt: {
      durationMs: positive("jwt.durationMs", options.jwt?.durationMs ?? 10 * MINUTE, MAX_JWT_DURATION_MS),
      customClaims: generic.jwt?.customClaims,
    },
    failedSignIns: {
      max: inRange("rateLimits.failedSignIns.max", failed.max ?? 10, 1, MAX_FAILED_SIGN_INS),
      windowMs: inRange("rateLimits.failedSignIns.windowMs", failed.windowMs ?? HOUR, MIN_FAILURE_WINDOW_MS),
    },
    callbacks: generic.callbacks ?? {},
    log: createLogger(logLevel(options.logLevel)),
  };
}
