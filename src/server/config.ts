import type { AnyDataModel, GenericDataModel, GenericMutationCtx } from "convex/server";
import { createLogger, LOG_LEVELS, type LogLevel, type Logger } from "../lib/log.js";
import { logLevelFromEnv } from "../lib/env.js";
import { WardenConfigError } from "../lib/configError.js";
import { resolveLimits, type RateLimitOptions, type ResolvedLimits } from "./limits.js";
import type { AuthEvent } from "./events.js";
import type { AnyProvider } from "./provider.js";
import type { CustomClaims, SessionId, UserId, UserProfile } from "./types.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** What `callbacks.createOrUpdateUser` is told about the sign-in. */
export interface CreateOrUpdateUserArgs {
  /** The user the signing-in account already belongs to, or null for a new account. */
  existingUserId: UserId | null;
  /** The user already signed in on this client (linking a method, upgrading a guest), or null. */
  signedInUserId: UserId | null;
  /** The client asked to link this sign-in method to `signedInUserId` (`link: true` in its params). */
  link: boolean;
  /** The provider id. */
  provider: string;
  profile: UserProfile;
}

/** What `callbacks.guestConflict` is told: a guest signed in to an account of another user. */
export interface GuestConflictArgs {
  /** The guest signed in on this client. */
  guestUserId: UserId;
  /** The user the account belongs to. */
  userId: UserId;
  /** The provider id. */
  provider: string;
}

/**
 * What happens then: "merge" (the callback has moved the guest's data to
 * `userId`; the guest is deleted and the client signed in as `userId`),
 * "switch" (signed in as `userId`; the guest is left as it is, its session
 * ended) or "refuse" (the sign-in fails with GUEST_UPGRADE_REFUSED and the
 * guest stays signed in).
 */
export type GuestConflictResolution = "merge" | "switch" | "refuse";

/** The options of `convexAuth`. Every field but `providers` has a default. */
export interface ConvexAuthOptions<
  DataModel extends GenericDataModel = AnyDataModel,
  Providers extends readonly AnyProvider[] = readonly AnyProvider[],
> {
  /** The sign-in methods, e.g. `[Password()]`. At least one; ids must be unique. */
  providers: Providers;
  session?: {
    /** Absolute session lifetime, however active. Default 30 days. */
    totalDurationMs?: number;
    /** Idle timeout: a session not refreshed for this long ends. Default 14 days; at most `totalDurationMs`. */
    inactiveDurationMs?: number;
    /**
     * How long after a refresh the replaced refresh tokens still work (for
     * tabs refreshing at once). Reuse after it revokes the session. Default 10 s; at most a minute.
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
      args: { userId: UserId; sessionId: SessionId },
    ) => CustomClaims | Promise<CustomClaims>;
  };
  /** Rate limits on every path; see `RateLimitOptions` for each and its default. */
  rateLimits?: RateLimitOptions;
  /**
   * When a first factor's success must be followed by a second one. Without
   * it, every first factor signs in at once.
   */
  secondFactor?: {
    /** Whether this user, just authorized by `provider`, must also pass a second factor. */
    required: (ctx: GenericMutationCtx<DataModel>, args: { userId: UserId; provider: string }) => boolean | Promise<boolean>;
    /** How long the pending sign-in waits for it. Default 5 minutes; at most 15. */
    pendingLifetimeMs?: number;
    /** Wrong second factors allowed per pending sign-in. Default 5. */
    maxAttempts?: number;
  };
  callbacks?: {
    /**
     * Creates or updates the app's user for a sign-in; returns its id. Runs in
     * the sign-in transaction. Default: insert `profile` into `users` (or patch
     * `existingUserId` with it).
     */
    createOrUpdateUser?: (ctx: GenericMutationCtx<DataModel>, args: CreateOrUpdateUserArgs) => Promise<UserId>;
    /** Runs after a user is created or updated, in the same transaction. */
    afterUserCreatedOrUpdated?: (
      ctx: GenericMutationCtx<DataModel>,
      args: CreateOrUpdateUserArgs & { userId: UserId },
    ) => Promise<void>;
    /**
     * A guest signed in to an account that already belongs to another user.
     * Runs in the sign-in transaction, so it can move the guest's data.
     * Default: "switch".
     */
    guestConflict?: (
      ctx: GenericMutationCtx<DataModel>,
      args: GuestConflictArgs,
    ) => GuestConflictResolution | Promise<GuestConflictResolution>;
    /**
     * Deletes the app's own data of a user `auth.deleteUser` deletes: their
     * document in `users` and whatever else the app keeps for them. Runs in
     * that transaction, after the component's rows are marked for deletion;
     * for more rows than one transaction holds, schedule your own batches
     * from here. Default: delete the `users` document.
     */
    deleteUser?: (ctx: GenericMutationCtx<DataModel>, args: { userId: UserId }) => Promise<void>;
    /**
     * Called for each auth event (sign-in and its failure, lockout, sign-out,
     * revoked sessions, changed credentials, linked accounts, disabled and
     * deleted users), in the event's transaction. Events never carry a
     * secret. A throw is caught and logged, so it cannot undo a counted
     * failure; writes made before it stay. Default: none.
     */
    onEvent?: (ctx: GenericMutationCtx<DataModel>, event: AuthEvent) => void | Promise<void>;
  };
  /** The auth events the component keeps for each user (`auth.listEvents`). */
  events?: {
    /** How long each event is kept. Default 30 days; from an hour to 400 days. */
    retentionMs?: number;
  };
  /**
   * The module of `convex/` that exports these functions, for the steps that
   * call back into them (`signInStep`, `signInAction`). Default "auth".
   */
  functionsModule?: string;
  /**
   * How much to log. Default `WARDEN_LOG_LEVEL` from the environment, else
   * "warn". "debug" traces each sign-in step; secrets are never logged.
   */
  logLevel?: LogLevel;
}

type GenericOptions = ConvexAuthOptions<GenericDataModel>;

export interface ResolvedConfig {
  providers: Map<string, AnyProvider>;
  session: { totalDurationMs: number; inactiveDurationMs: number; refreshGraceMs: number };
  jwt: { durationMs: number; customClaims?: NonNullable<GenericOptions["jwt"]>["customClaims"] };
  limits: ResolvedLimits;
  secondFactor: {
    required: NonNullable<GenericOptions["secondFactor"]>["required"];
    pendingLifetimeMs: number;
    maxAttempts: number;
    factors: string[];
  } | null;
  callbacks: NonNullable<GenericOptions["callbacks"]>;
  events: { retentionMs: number };
  functionsModule: string;
  log: Logger;
}

const MAX_JWT_DURATION_MS = HOUR;
const PROVIDER_ID = /^[A-Za-z0-9_-]{1,64}$/;

function inRange(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER) {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new WardenConfigError(name, `must be a number from ${min} to ${max}`);
  }
  return value;
}

const positive = (name: string, value: number, max?: number) => inRange(name, value, Number.MIN_VALUE, max);

function checkProvider(provider: AnyProvider) {
  if (!PROVIDER_ID.test(provider.id)) {
    throw new WardenConfigError("providers", `has an id that is not 1-64 letters, digits, "-" or "_": "${provider.id}"`);
  }
  if (provider.factor === "second") {
    const fields = provider.params.kind === "object" ? provider.params.fields : undefined;
    if (fields?.pendingToken?.kind !== "string") {
      throw new WardenConfigError("providers", `"${provider.id}" is a second factor: its params need pendingToken: v.string()`);
    }
  }
}

function providerMap(providers: readonly AnyProvider[]) {
  if (!Array.isArray(providers) || providers.length === 0) {
    throw new WardenConfigError("providers", "must list at least one sign-in method");
  }
  const map = new Map<string, AnyProvider>();
  for (const provider of providers) {
    checkProvider(provider);
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

function sessionOptions(session: NonNullable<GenericOptions["session"]>) {
  const totalDurationMs = positive("session.totalDurationMs", session.totalDurationMs ?? 30 * DAY);
  const inactiveDurationMs = positive("session.inactiveDurationMs", session.inactiveDurationMs ?? 14 * DAY);
  if (inactiveDurationMs > totalDurationMs) {
    throw new WardenConfigError("session.inactiveDurationMs", "may not exceed session.totalDurationMs");
  }
  const refreshGraceMs = positive("session.refreshGraceMs", session.refreshGraceMs ?? 10_000, MINUTE);
  return { totalDurationMs, inactiveDurationMs, refreshGraceMs };
}

function secondFactorOptions(options: GenericOptions["secondFactor"], providers: Map<string, AnyProvider>) {
  const factors = [...providers.values()].filter((provider) => provider.factor === "second").map(({ id }) => id);
  if (options === undefined) return null;
  if (factors.length === 0) {
    throw new WardenConfigError("secondFactor", "needs at least one provider with factor: \"second\"");
  }
  return {
    required: options.required,
    pendingLifetimeMs: positive("secondFactor.pendingLifetimeMs", options.pendingLifetimeMs ?? 5 * MINUTE, 15 * MINUTE),
    maxAttempts: inRange("secondFactor.maxAttempts", options.maxAttempts ?? 5, 1, 20),
    factors,
  };
}

/** Checks the options once, fills in defaults; bad options throw a `WardenConfigError`. */
export function resolveConfig<DataModel extends GenericDataModel>(
  options: ConvexAuthOptions<DataModel, readonly AnyProvider[]>,
): ResolvedConfig {
  // The callbacks only ever receive this app's ctx; widen them to the generic one.
  const generic = options as unknown as GenericOptions;
  const providers = providerMap(generic.providers);
  const functionsModule = generic.functionsModule ?? "auth";
  if (!/^[A-Za-z0-9_./]+$/.test(functionsModule)) {
    throw new WardenConfigError("functionsModule", "must be a module path such as \"auth\"");
  }
  return {
    providers,
    session: sessionOptions(generic.session ?? {}),
    jwt: {
      durationMs: positive("jwt.durationMs", generic.jwt?.durationMs ?? 10 * MINUTE, MAX_JWT_DURATION_MS),
      customClaims: generic.jwt?.customClaims,
    },
    limits: resolveLimits(generic.rateLimits),
    secondFactor: secondFactorOptions(generic.secondFactor, providers),
    callbacks: generic.callbacks ?? {},
    events: { retentionMs: inRange("events.retentionMs", generic.events?.retentionMs ?? 30 * DAY, HOUR, 400 * DAY) },
    functionsModule,
    log: createLogger(logLevel(generic.logLevel)),
  };
}
