import { v } from "convex/values";
import { mutation, query, type DatabaseReader, type QueryCtx } from "./_generated/server.js";
import { scheduleSweep } from "./housekeeping.js";
import { checkRules, consumeRules, vLimitRule, vLimitStatus } from "./limits.js";
import { disabledMarker } from "./lib/userRows.js";

/** Whether an account's user is disabled (or being deleted): answered with the account, saving the frame a call. */
const vDisabled = v.optional(v.object({ deleting: v.boolean() }));

async function disabledOf(db: DatabaseReader, userId: string) {
  const marker = await disabledMarker(db, userId);
  return marker === null ? {} : { disabled: { deleting: marker.deleting === true } };
}

/** What the app-side flows see of an account. Internal to the app's server code. */
export const vAccount = v.object({
  accountId: v.id("accounts"),
  userId: v.string(),
  secret: v.optional(v.string()),
  disabled: vDisabled,
});

const vAccountKey = { provider: v.string(), providerAccountId: v.string() };

/** The account for (provider, providerAccountId) as `get` answers it, for other modules' functions. */
export async function findAccount(ctx: QueryCtx, args: { provider: string; providerAccountId: string }) {
  const account = await ctx.db
    .query("accounts")
    .withIndex("providerAndAccountId", (q) => q.eq("provider", args.provider).eq("providerAccountId", args.providerAccountId))
    .unique();
  if (account === null) return null;
  return {
    accountId: account._id,
    userId: account.userId,
    secret: account.secret,
    ...(await disabledOf(ctx.db, account.userId)),
  };
}

/** The account for (provider, providerAccountId), or null. */
export const get = query({
  args: vAccountKey,
  returns: v.union(vAccount, v.null()),
  handler: findAccount,
});

/**
 * A sign-in's first read, in one call: whether the limit `rules` (the
 * account's failed sign-ins and its client IP's) allow one more attempt,
 * and if they do, the account. Over the limit nothing else is read.
 */
export const getUnderLimit = query({
  args: { ...vAccountKey, rules: v.array(vLimitRule) },
  returns: v.object({ limit: vLimitStatus, account: v.union(vAccount, v.null()) }),
  handler: async (ctx, { rules, ...key }) => {
    const limit = await checkRules(ctx, rules);
    return { limit, account: limit.ok ? await findAccount(ctx, key) : null };
  },
});

/**
 * A sign-up's first write, in one call: counts the attempt against the
 * sign-up limit `rules` (app-wide and the client IP's), and if they allow
 * it, reads the account the sign-up would take. Over the limit nothing is
 * counted and nothing else is read.
 */
export const getCounted = mutation({
  args: { ...vAccountKey, rules: v.array(vLimitRule) },
  returns: v.object({ limit: vLimitStatus, account: v.union(vAccount, v.null()) }),
  handler: async (ctx, { rules, ...key }) => {
    const limit = await consumeRules(ctx, rules);
    return { limit, account: limit.ok ? await findAccount(ctx, key) : null };
  },
});

/**
 * Creates an account, unless (provider, providerAccountId) is taken: then
 * nothing is written and the existing owner is reported.
 */
export const create = mutation({
  args: {
    userId: v.string(),
    provider: v.string(),
    providerAccountId: v.string(),
    secret: v.optional(v.string()),
  },
  returns: v.union(
    v.object({ kind: v.literal("created"), accountId: v.id("accounts"), disabled: vDisabled }),
    v.object({ kind: v.literal("exists"), userId: v.string() }),
  ),
  handler: async (ctx, args) => {
    const existing = await ctx.db
      .query("accounts")
      .withIndex("providerAndAccountId", (q) =>
        q
          .eq("provider", args.provider)
          .eq("providerAccountId", args.providerAccountId),
      )
      .unique();
    if (existing !== null) {
      return { kind: "exists" as const, userId: existing.userId };
    }
    const accountId = await ctx.db.insert("accounts", args);
    // Every user starts with an account (or as a guest): their rows will need sweeping.
    await scheduleSweep(ctx);
    // A new account may join an existing user (linking), who may be disabled.
    return { kind: "created" as const, accountId, ...(await disabledOf(ctx.db, args.userId)) };
  },
});

/** The ways a user signs in: provider and identifier, never the stored credential. At most 100. */
export const listForUser = query({
  args: { userId: v.string() },
  returns: v.array(v.object({ accountId: v.id("accounts"), provider: v.string(), providerAccountId: v.string() })),
  handler: async (ctx, { userId }) => {
    const accounts = await ctx.db
      .query("accounts")
      .withIndex("userId", (q) => q.eq("userId", userId))
      .take(100);
    return accounts.map(({ _id, provider, providerAccountId }) => ({ accountId: _id, provider, providerAccountId }));
  },
});

/**
 * Removes one of a user's accounts, unless it is their last: a user always
 * keeps a way to sign in. An account of another user is not found.
 */
export const unlink = mutation({
  args: { userId: v.string(), provider: v.string(), providerAccountId: v.string() },
  returns: v.union(v.literal("unlinked"), v.literal("notFound"), v.literal("lastAccount")),
  handler: async (ctx, { userId, provider, providerAccountId }) => {
    const account = await ctx.db
      .query("accounts")
      .withIndex("providerAndAccountId", (q) => q.eq("provider", provider).eq("providerAccountId", providerAccountId))
      .unique();
    if (account === null || account.userId !== userId) return "notFound" as const;
    const others = await ctx.db
      .query("accounts")
      .withIndex("userId", (q) => q.eq("userId", userId))
      .take(2);
    if (others.length < 2) return "lastAccount" as const;
    await ctx.db.delete("accounts", account._id);
    return "unlinked" as const;
  },
});

/** Replaces an account's stored credential, e.g. to upgrade its hash. */
export const setSecret = mutation({
  args: { accountId: v.id("accounts"), secret: v.string() },
  returns: v.null(),
  handler: async (ctx, args) => {
    await ctx.db.patch("accounts", args.accountId, { secret: args.secret });
    return null;
  },
});

/**
 * A user's accounts with one provider, newest first, with their stored
 * secrets: for the app's server code only (e.g. reading the provider tokens
 * an OAuth provider keeps sealed on its account).
 */
export const secretsForUser = query({
  args: { userId: v.string(), provider: v.string() },
  returns: v.array(
    v.object({ accountId: v.id("accounts"), providerAccountId: v.string(), secret: v.optional(v.string()) }),
  ),
  handler: async (ctx, args) => {
    const accounts = await ctx.db
      .query("accounts")
      .withIndex("userId", (q) => q.eq("userId", args.userId))
      .order("desc")
      .take(64);
    return accounts
      .filter((account) => account.provider === args.provider)
      .map(({ _id, providerAccountId, secret }) => ({ accountId: _id, providerAccountId, secret }));
  },
});

/**
 * Moves an account to a new identifier within its provider (an email
 * address change), unless the new one is taken: then nothing is written and
 * its owner is reported. The credential and the user stay.
 */
export const rename = mutation({
  args: { accountId: v.id("accounts"), providerAccountId: v.string() },
  returns: v.union(
    v.object({ kind: v.literal("renamed") }),
    v.object({ kind: v.literal("exists"), userId: v.string() }),
    v.object({ kind: v.literal("notFound") }),
  ),
  handler: async (ctx, { accountId, providerAccountId }) => {
    const account = await ctx.db.get("accounts", accountId);
    if (account === null) return { kind: "notFound" as const };
    const taken = await ctx.db
      .query("accounts")
      .withIndex("providerAndAccountId", (q) => q.eq("provider", account.provider).eq("providerAccountId", providerAccountId))
      .unique();
    if (taken !== null) return { kind: "exists" as const, userId: taken.userId };
    await ctx.db.patch("accounts", accountId, { providerAccountId });
    return { kind: "renamed" as const };
  },
});
