import type { MutationCtx, UserId, WardenComponent } from "../types.js";
import { noteStatus } from "../userStatus.js";
import { limitStatus, type LimitStatus, type RulesFor } from "./limits.js";

/** An account as providers see it: who owns it and its stored credential. */
export interface StoredAccount {
  accountId: string;
  userId: UserId;
  /** A hashed credential (PHC string), for providers that keep one. */
  secret?: string;
}

/** Accounts keyed by (provider, providerAccountId): one row per way a user signs in. */
export interface AccountStore {
  get(provider: string, providerAccountId: string): Promise<StoredAccount | null>;
  /**
   * A sign-in's first read in one call: whether the account's failed
   * sign-ins (and its client IP's) allow one more attempt, as
   * `limits.check("failedSignIns", key)` answers, and if so the account.
   */
  getUnderLimit(
    provider: string,
    providerAccountId: string,
    limit: { name: "failedSignIns"; key: string },
  ): Promise<{ limit: LimitStatus; account: StoredAccount | null }>;
  /**
   * A sign-up's first call: counts it against the sign-up limits, as
   * `limits.consume("signUps")` does, and if they allow it reads the account.
   */
  getCounted(
    provider: string,
    providerAccountId: string,
    limit: { name: "signUps" },
  ): Promise<{ limit: LimitStatus; account: StoredAccount | null }>;
  /** Creates the account unless the identifier is taken; then nothing is written. */
  create(account: {
    userId: UserId;
    provider: string;
    providerAccountId: string;
    secret?: string;
  }): Promise<{ kind: "created"; accountId: string } | { kind: "exists"; userId: UserId }>;
  setSecret(accountId: string, secret: string): Promise<void>;
  /** A user's accounts with one provider, newest first, with their identifiers and stored credentials. */
  forUser(userId: UserId, provider: string): Promise<(StoredAccount & { providerAccountId: string })[]>;
  /** Moves an account to a new identifier (a changed email address), unless that one is taken. */
  rename(accountId: string, providerAccountId: string): Promise<{ kind: "renamed" | "notFound" } | { kind: "exists"; userId: UserId }>;
}

/** Told of each account created, e.g. to record a linked account's event. */
export type AccountCreated = (account: { userId: UserId; provider: string }) => Promise<void>;

type Found = { accountId: string; userId: string; secret?: string; disabled?: { deleting: boolean } } | null;

export function accountStore(ctx: MutationCtx, component: WardenComponent, rules: RulesFor, onCreated?: AccountCreated): AccountStore {
  /** The account as providers see it; whether its user is disabled is noted for the frame. */
  const seen = (found: Found): StoredAccount | null => {
    if (found === null) return null;
    const { disabled, ...account } = found;
    noteStatus(ctx, account.userId, disabled ?? null);
    return { ...account, userId: account.userId as UserId };
  };
  return {
    async get(provider, providerAccountId) {
      return seen(await ctx.runQuery(component.accounts.get, { provider, providerAccountId }));
    },
    async getUnderLimit(provider, providerAccountId, { name, key }) {
      const list = rules(name, key);
      const answer = await ctx.runQuery(component.accounts.getUnderLimit, { provider, providerAccountId, rules: list });
      return { limit: limitStatus(list, answer.limit, 0), account: seen(answer.account) };
    },
    async getCounted(provider, providerAccountId, { name }) {
      const list = rules(name);
      const answer = await ctx.runMutation(component.accounts.getCounted, { provider, providerAccountId, rules: list });
      return { limit: limitStatus(list, answer.limit, 1), account: seen(answer.account) };
    },
    async create(account) {
      const result = await ctx.runMutation(component.accounts.create, account);
      if (result.kind === "exists") return { kind: "exists", userId: result.userId as UserId };
      noteStatus(ctx, account.userId, result.disabled ?? null);
      await onCreated?.(account);
      return { kind: "created", accountId: result.accountId };
    },
    async setSecret(accountId, secret) {
      await ctx.runMutation(component.accounts.setSecret, { accountId, secret });
    },
    async forUser(userId, provider) {
      const accounts = await ctx.runQuery(component.accounts.secretsForUser, { userId, provider });
      return accounts.map((account) => ({ ...account, userId }));
    },
    async rename(accountId, providerAccountId) {
      const result = await ctx.runMutation(component.accounts.rename, { accountId, providerAccountId });
      return result.kind === "exists" ? { kind: "exists", userId: result.userId as UserId } : result;
    },
  };
}
