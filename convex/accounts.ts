import { v } from "convex/values";
import { mutation, query } from "./_generated/server.js";

/** What the app-side flows see of an account. Internal to the app's server code. */
export const vAccount = v.object({
  accountId: v.id("accounts"),
  userId: v.string(),
  secret: v.optional(v.string()),
});

/** The account for (provider, providerAccountId), or null. */
export const get = query({
  args: { provider: v.string(), providerAccountId: v.string() },
  returns: v.union(vAccount, v.null()),
  handler: async (ctx, args) => {
    const account = await ctx.db
      .query("accounts")
      .withIndex("providerAndAccountId", (q) =>
        q
          .eq("provider", args.provider)
          .eq("providerAccountId", args.providerAccountId),
      )
      .unique();
    if (account === null) return null;
    return {
      accountId: account._id,
      userId: account.userId,
      secret: account.secret,
    };
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
    v.object({ kind: v.literal("created"), accountId: v.id("accounts") }),
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
    return { kind: "created" as const, accountId };
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
export const listForUser = query({
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
