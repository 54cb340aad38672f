import type {
  GenericDataModel,
  GenericMutationCtx,
  GenericQueryCtx,
} from "convex/server";
import type { GenericId, JSONValue, Value } from "convex/values";
import type { ComponentApi } from "../../convex/_generated/component.js";
import type { WardenErrorData } from "../shared/errors.js";
import type { Logger } from "../lib/log.js";

/** The mounted component, as `components.warden` in the app's `_generated/api`. */
export type WardenComponent = ComponentApi;

export type UserId = GenericId<"users">;

/** The parameters a client passes to `signIn(provider, params)`. */
export type SignInParams = Record<string, Value | undefined>;

/** What a provider knows about the person signing in. */
export interface UserProfile {
  email?: string;
  name?: string;
  image?: string;
  phone?: string;
  [field: string]: Value | undefined;
}

/** A provider's verdict on one sign-in attempt. */
export type AuthorizeResult =
  | { kind: "authorized"; userId: string }
  | { kind: "failed"; error: WardenErrorData };

/** Counts failed attempts per key (RL-1), as configured in `rateLimits`. */
export interface AttemptLimiter {
  /** `remaining` is how many failures are left before the key is locked. */
  check(key: string): Promise<{ ok: true; remaining: number } | { ok: false; retryAfterMs: number }>;
  fail(key: string): Promise<void>;
  reset(key: string): Promise<void>;
  /** The configured maximum, for deciding whether a reset is needed. */
  readonly max: number;
}

export interface StoredAccount {
  accountId: string;
  userId: string;
  secret?: string;
}

/** The account store, keyed by (provider, providerAccountId). */
export interface Accounts {
  get(provider: string, providerAccountId: string): Promise<StoredAccount | null>;
  /** Throws `ACCOUNT_EXISTS` (rolling back the transaction) if the identifier is taken. */
  create(account: { userId: string; provider: string; providerAccountId: string; secret?: string }): Promise<void>;
  setSecret(accountId: string, secret: string): Promise<void>;
}

/** What a provider's flow may use, all inside the sign-in mutation's transaction. */
export interface FlowContext {
  ctx: GenericMutationCtx<GenericDataModel>;
  accounts: Accounts;
  attempts: AttemptLimiter;
  /** Creates the user through the app's callbacks; returns its id. */
  createUser(provider: string, profile: UserProfile): Promise<string>;
  log: Logger;
}

/** A sign-in method decided entirely within one mutation (passwords, custom credentials). */
export interface CredentialsProvider {
  readonly id: string;
  readonly type: "credentials";
  authorize(flow: FlowContext, params: SignInParams): Promise<AuthorizeResult>;
}

/** Every kind of provider `convexAuth` accepts. More kinds join this union. */
export type AuthProvider = CredentialsProvider;

export type QueryCtxWithAuth = Pick<GenericQueryCtx<GenericDataModel>, "auth">;

export type CustomClaims = Record<string, JSONValue>;
