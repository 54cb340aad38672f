import type { DocumentByName, GenericDataModel } from "convex/server";
import type { Value } from "convex/values";
import { argon2idHasher } from "../lib/password/argon2id.js";
import type { PasswordHasher } from "../lib/password/hasher.js";
import { check } from "../lib/validate.js";
import { wardenError } from "../shared/errors/index.js";
import { recordEvent } from "./events.js";
import type { AnyProvider, StepOutcome } from "./provider.js";
import { liveSessionHelpers } from "./liveSession.js";
import { mutationStep, providerFor, requestInfo } from "./steps.js";
import { bindStores, type Stores } from "./stores/index.js";
import type { MutationCtx, UserId, UserProfile } from "./types.js";
import type { Warden } from "./warden.js";

/**
 * Accounts with a secret the app checks itself (a PIN, a token from another
 * system), under the names v1 users know: `createAccount`,
 * `retrieveAccount`, `modifyAccountCredentials`, and `signInViaProvider` to
 * run a provider's step from the app's own mutation. Secrets are stored only
 * hashed, with the provider's hasher (argon2id by default).
 */

/** An account found or created, and its user's document (null if the app deleted it). */
export interface RetrievedAccount<DataModel extends GenericDataModel = GenericDataModel> {
  account: { accountId: string; userId: UserId; provider: string; providerAccountId: string };
  user: DocumentByName<DataModel, "users"> | null;
}

/** The account helpers of one provider, as `ConvexCredentials`' `authorize` gets them. */
export interface CredentialAccounts {
  /**
   * The account `id`, if it exists and, when `secret` is given, its stored
   * secret matches. Null otherwise; an unknown account still pays for a hash
   * (EN-1).
   */
  retrieve(args: { id: string; secret?: string }): Promise<RetrievedAccount | null>;
  /**
   * Creates the account `id` (with `secret` hashed, if given) and its user
   * from `profile` (joining the signed-in user, as sign-ups do). Throws
   * `ACCOUNT_EXISTS` if `id` is taken.
   */
  create(args: { id: string; secret?: string; profile: UserProfile }): Promise<RetrievedAccount>;
  /** Replaces the account's secret. Throws `ACCOUNT_NOT_FOUND` for an unknown `id`. */
  modifyCredentials(args: { id: string; secret: string }): Promise<void>;
}

const defaultHasher = argon2idHasher();

/** The hasher a provider declares (`Password`, `ConvexCredentials`), else argon2id. */
export const hasherOf = (provider: AnyProvider | undefined): PasswordHasher =>
  (provider as { hasher?: PasswordHasher } | undefined)?.hasher ?? defaultHasher;

export function credentialAccounts(
  ctx: MutationCtx,
  stores: Pick<Stores, "accounts" | "users">,
  provider: string,
  hasher: PasswordHasher,
  onChanged: (userId: UserId) => Promise<void>,
): CredentialAccounts {
  const found = async (account: { accountId: string; userId: UserId }, id: string): Promise<RetrievedAccount> => ({
    account: { accountId: account.accountId, userId: account.userId, provider, providerAccountId: id },
    user: await ctx.db.get(account.userId),
  });
  return {
    async retrieve({ id, secret }) {
      const account = await stores.accounts.get(provider, id);
      if (secret !== undefined) {
        const stored = account?.secret;
        const matches = stored === undefined ? (await hasher.hash(secret), false) : await hasher.verify(stored, secret);
        if (!matches) return null;
      }
      return account === null ? null : found(account, id);
    },
    async create({ id, secret, profile }) {
      if ((await stores.accounts.get(provider, id)) !== null) throw wardenError({ code: "ACCOUNT_EXISTS" });
      const hashed = secret === undefined ? {} : { secret: await hasher.hash(secret) };
      const userId = await stores.users.createOrUpdate({ provider, profile, existingUserId: null });
      const created = await stores.accounts.create({ userId, provider, providerAccountId: id, ...hashed });
      if (created.kind === "exists") throw new TypeError("convex-warden: account created twice in one transaction");
      return found({ accountId: created.accountId, userId }, id);
    },
    async modifyCredentials({ id, secret }) {
      const account = await stores.accounts.get(provider, id);
      if (account === null) throw wardenError({ code: "ACCOUNT_NOT_FOUND" });
      await stores.accounts.setSecret(account.accountId, await hasher.hash(secret));
      await onChanged(account.userId);
    },
  };
}

/** The helpers for `provider`, bound to the app's mutation `ctx`. */
async function helpersFor(ctx: MutationCtx, warden: Warden, provider: string) {
  const stores = bindStores(["accounts", "users"], {
    ctx,
    component: warden.component,
    config: warden.config,
    request: await requestInfo(ctx),
    signedInUserId: await liveSessionHelpers(warden).getUserId(ctx),
    link: false, // the app's own code creates accounts for the user it names, not the caller
  });
  return credentialAccounts(ctx, stores, provider, hasherOf(warden.config.providers.get(provider)), (userId) =>
    recordEvent(ctx, warden, { type: "credentialsChanged", userId, provider }),
  );
}

/** v1's `createAccount`: a new account for `provider`, and its user. Throws `ACCOUNT_EXISTS` if taken. */
export async function createAccount(
  ctx: MutationCtx,
  warden: Warden,
  args: { provider: string; account: { id: string; secret?: string }; profile: UserProfile },
) {
  return (await helpersFor(ctx, warden, args.provider)).create({ ...args.account, profile: args.profile });
}

/** v1's `retrieveAccount`: the account, if it exists and `secret` (when given) matches; else null. */
export async function retrieveAccount(ctx: MutationCtx, warden: Warden, args: { provider: string; account: { id: string; secret?: string } }) {
  return (await helpersFor(ctx, warden, args.provider)).retrieve(args.account);
}

/** v1's `modifyAccountCredentials`: replaces the account's secret (hashed). Records `credentialsChanged`. */
export async function modifyAccountCredentials(
  ctx: MutationCtx,
  warden: Warden,
  args: { provider: string; account: { id: string; secret: string } },
) {
  await (await helpersFor(ctx, warden, args.provider)).modifyCredentials(args.account);
}

/**
 * v1's `signInViaProvider`: runs a provider's sign-in step in the caller's
 * transaction (a configured provider by id, or a provider object clients
 * cannot reach) and returns what it decided; no session is started. E.g. a
 * "confirm your password" check before a sensitive change. Its counted
 * failures commit only if the caller returns rather than throws.
 */
export async function signInViaProvider(
  ctx: MutationCtx,
  warden: Warden,
  provider: string | AnyProvider,
  params: Record<string, Value | undefined>,
): Promise<StepOutcome> {
  const chosen = typeof provider === "string" ? providerFor(warden, provider) : provider;
  const checked = check(chosen.params, params);
  if (!checked.ok) throw wardenError({ code: "INVALID_ARGUMENT", field: checked.field });
  return chosen.signIn(await mutationStep(ctx, warden, chosen, null), checked.value, params);
}
