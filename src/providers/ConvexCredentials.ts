import type { GenericDataModel, GenericMutationCtx } from "convex/server";
import type { GenericValidator, Infer } from "convex/values";
import { argon2idHasher } from "../lib/password/argon2id.js";
import type { PasswordHasher } from "../lib/password/hasher.js";
import { accountLimitKey } from "../lib/limitKeys.js";
import { credentialAccounts, type CredentialAccounts } from "../server/accountHelpers.js";
import { defineProvider, type AuthProvider, type MutationStep, type StepOutcome } from "../server/provider.js";
import type { RequestInfo, SignInParams, UserId } from "../server/types.js";

export type { CredentialAccounts, RetrievedAccount } from "../server/accountHelpers.js";

/** What `authorize` gets besides the params: the transaction, and this provider's accounts. */
export interface CredentialsStep<DataModel extends GenericDataModel = GenericDataModel> {
  /** The sign-in's transaction: read and write the app's own tables. */
  readonly ctx: GenericMutationCtx<DataModel>;
  /** What `identifier` returned for these params. */
  readonly identifier: string;
  /** This provider's accounts: `retrieve`, `create`, `modifyCredentials` (secrets hashed). */
  readonly accounts: CredentialAccounts;
  readonly request: RequestInfo;
  /** The user already signed in on this client, if any. */
  readonly signedInUserId: UserId | null;
  /** The client's params as sent, unvalidated. */
  readonly rawParams: SignInParams;
}

/** Options of the `ConvexCredentials` provider. */
export interface ConvexCredentialsOptions<
  Id extends string,
  Params extends GenericValidator,
  DataModel extends GenericDataModel = GenericDataModel,
> {
  /** The provider id clients pass to `signIn`. Default "credentials". */
  id?: Id;
  /** The params clients send, e.g. `v.object({ username: v.string(), pin: v.string() })`. Checked before `authorize`. */
  params: Params;
  /**
   * The account an attempt is for (a username, a device id, the subject a
   * token claims), normalized: failures are limited per identifier and
   * provider, and per client IP, exactly like passwords (RL-1).
   */
  identifier: (params: Infer<Params>) => string;
  /**
   * Checks the credentials; returns the user to sign in, or null when they
   * are wrong (the failure is counted). Return rather than throw for a wrong
   * credential: a throw rolls the whole attempt back, its count included.
   */
  authorize: (params: Infer<Params>, step: CredentialsStep<DataModel>) => Promise<{ userId: UserId } | null>;
  /** How `step.accounts` hashes secrets. Default argon2id at m=19 MiB, t=2, p=1. */
  hasher?: PasswordHasher;
}

type Stored = "accounts" | "limits" | "users";

/**
 * Custom credentials, checked by the app's own `authorize`: a PIN, a token
 * from another system, anything. Rate-limited like passwords; the app's
 * accounts (with hashed secrets) through `step.accounts`.
 */
export function ConvexCredentials<
  const Id extends string = "credentials",
  Params extends GenericValidator = GenericValidator,
  DataModel extends GenericDataModel = GenericDataModel,
>(
  options: ConvexCredentialsOptions<Id, Params, DataModel>,
): AuthProvider<NoInfer<Id>, Params, Stored> & { readonly hasher: PasswordHasher } {
  const id = (options.id ?? "credentials") as Id;
  if (typeof options.authorize !== "function" || typeof options.identifier !== "function") {
    throw new TypeError("ConvexCredentials needs authorize and identifier functions");
  }
  const hasher = options.hasher ?? argon2idHasher();

  async function signIn(step: MutationStep<Stored>, params: Infer<Params>, rawParams: SignInParams): Promise<StepOutcome> {
    const { stores, ctx } = step;
    const identifier = String(options.identifier(params)).slice(0, 256);
    const key = accountLimitKey(id, identifier);
    const limit = await stores.limits.check("failedSignIns", key);
    if (!limit.ok) return { kind: "failed", error: { code: "RATE_LIMITED", retryAfterMs: limit.retryAfterMs } };
    const accounts = credentialAccounts(ctx, stores, id, hasher, async (userId) => {
      // Providers see no component: the changed credential is logged; apps use auth.modifyAccountCredentials for the event.
      step.log.info("credentials changed", { provider: id, userId });
    });
    const authorized = await options.authorize(params, {
      ctx: ctx as unknown as GenericMutationCtx<DataModel>,
      identifier,
      accounts,
      request: step.request,
      signedInUserId: step.signedInUserId,
      rawParams,
    });
    if (authorized === null) {
      const counted = await stores.limits.consume("failedSignIns", key);
      const account = await stores.accounts.get(id, identifier);
      const lockedOut = counted.ok && counted.remaining === 0;
      return { kind: "failed", error: { code: "INVALID_CREDENTIALS" }, ...(account ? { userId: account.userId } : {}), lockedOut };
    }
    if (limit.counted) await stores.limits.reset("failedSignIns", key);
    return { kind: "authorized", userId: authorized.userId };
  }

  return {
    ...defineProvider({ id, params: options.params, stores: ["accounts", "limits", "users"], signIn }),
    hasher,
  };
}
