import { v } from "convex/values";
import { mutation } from "./_generated/server.js";

/**
 * Accounts brought in from another system in batches (the `@convex-dev/auth`
 * importer). Writes only rows whose (provider, providerAccountId) is free, so
 * a batch can be run again, whole or in part, and changes nothing the second
 * time.
 */

/** More rows than this in one call is a caller's mistake: a batch is one transaction. */
export const MAX_IMPORT_BATCH = 1000;

const vImported = v.object({
  userId: v.string(),
  provider: v.string(),
  providerAccountId: v.string(),
  /** A hashed credential as the other system stored it (its format is the hasher's business). */
  secret: v.optional(v.string()),
});

/**
 * For each row, in order: `created`; `present` when the identifier already
 * belongs to the same user (an earlier run); `taken` when it belongs to
 * another user, which is left as it is. One index read per row, and one write
 * per created row. Rows later in the batch see the ones created before them.
 */
export const insertMany = mutation({
  args: { accounts: v.array(vImported) },
  returns: v.array(v.union(v.literal("created"), v.literal("present"), v.literal("taken"))),
  handler: async (ctx, { accounts }) => {
    if (accounts.length > MAX_IMPORT_BATCH) {
      throw new TypeError(`accountImport.insertMany: at most ${MAX_IMPORT_BATCH} accounts a call`);
    }
    const outcomes: ("created" | "present" | "taken")[] = [];
    for (const account of accounts) {
      const existing = await ctx.db
        .query("accounts")
        .withIndex("providerAndAccountId", (q) =>
          q.eq("provider", account.provider).eq("providerAccountId", account.providerAccountId),
        )
        .unique();
      if (existing === null) {
        await ctx.db.insert("accounts", account);
        outcomes.push("created");
      } else {
        outcomes.push(existing.userId === account.userId ? "present" : "taken");
      }
    }
    return outcomes;
  },
});
