import { v } from "convex/values";
import { components, internal } from "./_generated/api.js";
import { internalMutation, mutation, query, type MutationCtx } from "./_generated/server.js";
import { accountLimitKey } from "../src/lib/limitKeys.js";
import { BATCH, deleteSessions, disabledMarker } from "./lib/userRows.js";

/**
 * Users as the component knows them: by id, through their accounts,
 * sessions, challenges and events. Disabling one ends their sessions and
 * refuses their sign-ins and refreshes; deleting one removes everything the
 * component holds for them, in bounded batches.
 */

/** Whether the user is disabled (or being deleted). One indexed read. */
export const status = query({
  args: { userId: v.string() },
  returns: v.union(
    v.null(),
    v.object({ disabledAt: v.number(), reason: v.optional(v.string()), deleting: v.boolean() }),
  ),
  handler: async (ctx, { userId }) => {
    const marker = await disabledMarker(ctx.db, userId);
    if (marker === null) return null;
    const { disabledAt, reason, deleting } = marker;
    return { disabledAt, ...(reason === undefined ? {} : { reason }), deleting: deleting === true };
  },
});

/**
 * Disables a user: refused at sign-in from now on, and every session ends
 * in this transaction (beyond `SESSION_BATCH` of them, the rest in a batch
 * scheduled at once), so no refresh succeeds after it. Idempotent.
 */
export const disable = mutation({
  args: { userId: v.string(), reason: v.optional(v.string()) },
  returns: v.object({ changed: v.boolean(), revoked: v.number() }),
  handler: async (ctx, { userId, reason }) => {
    const marker = await disabledMarker(ctx.db, userId);
    if (marker === null) {
      await ctx.db.insert("disabledUsers", {
        userId,
        disabledAt: Date.now(),
        ...(reason === undefined ? {} : { reason: reason.slice(0, 256) }),
      });
    }
    const { deleted, more } = await deleteSessions(ctx, userId, []);
    if (more) await ctx.scheduler.runAfter(0, internal.sessions.revokeRemaining, { userId, except: [] });
    return { changed: marker === null, revoked: deleted };
  },
});

/** Lets a disabled user sign in again. A user being deleted stays refused. */
export const enable = mutation({
  args: { userId: v.string() },
  returns: v.boolean(),
  handler: async (ctx, { userId }) => {
    const marker = await disabledMarker(ctx.db, userId);
    if (marker === null || marker.deleting) return false;
    await ctx.db.delete("disabledUsers", marker._id);
    return true;
  },
});

/** Deletes up to `budget` rows of a table found by a `userId` index. */
async function deleteByUser(
  ctx: MutationCtx,
  table: "challenges" | "events",
  userId: string,
  budget: number,
) {
  const rows = await ctx.db
    .query(table)
    .withIndex("userId", (q) => q.eq("userId", userId))
    .take(budget + 1);
  for (const row of rows.slice(0, budget)) await ctx.db.delete(table, row._id);
  return { deleted: Math.min(rows.length, budget), more: rows.length > budget };
}

/** Deletes the user's accounts and their failed-sign-in counters. */
async function deleteAccounts(ctx: MutationCtx, userId: string, budget: number) {
  const rows = await ctx.db
    .query("accounts")
    .withIndex("userId", (q) => q.eq("userId", userId))
    .take(budget + 1);
  for (const account of rows.slice(0, budget)) {
    const key = accountLimitKey(account.provider, account.providerAccountId);
    await ctx.runMutation(components.rateLimiter.lib.resetRateLimit, { name: "failedSignIns", key });
    await ctx.db.delete("accounts", account._id);
  }
  return { deleted: Math.min(rows.length, budget), more: rows.length > budget };
}

/** One batch of a deletion; true when nothing of the user is left. */
async function deleteBatch(ctx: MutationCtx, userId: string): Promise<boolean> {
  // Sessions first and in a batch of their own, so they end at once (a refresh reads no marker).
  const sessions = await deleteSessions(ctx, userId, []);
  if (sessions.more) return false;
  // Accounts cost two writes each (the row and its counter), hence the half budget.
  const steps = [
    (budget: number) => deleteAccounts(ctx, userId, Math.floor(budget / 2)),
    (budget: number) => deleteByUser(ctx, "challenges", userId, budget),
    (budget: number) => deleteByUser(ctx, "events", userId, budget),
  ];
  let budget = BATCH;
  for (const step of steps) {
    if (budget < 2) return false;
    const { deleted, more } = await step(budget);
    if (more) return false;
    budget -= deleted;
  }
  const marker = await disabledMarker(ctx.db, userId);
  if (marker !== null) await ctx.db.delete("disabledUsers", marker._id);
  return true;
}

/**
 * Deletes everything the component holds for a user: accounts (and their
 * failed-sign-in counters), sessions, challenges and events. The user is
 * marked first, so while later batches run no remaining account signs in.
 * Returns whether it all fit in this transaction.
 */
export const deleteAll = mutation({
  args: { userId: v.string() },
  returns: v.object({ done: v.boolean() }),
  handler: async (ctx, { userId }) => {
    const marker = await disabledMarker(ctx.db, userId);
    if (marker === null) await ctx.db.insert("disabledUsers", { userId, disabledAt: Date.now(), deleting: true });
    else await ctx.db.patch("disabledUsers", marker._id, { deleting: true });
    const done = await deleteBatch(ctx, userId);
    if (!done) await ctx.scheduler.runAfter(0, internal.users.deleteRemaining, { userId });
    return { done };
  },
});

/** The next batch of `deleteAll`. */
export const deleteRemaining = internalMutation({
  args: { userId: v.string() },
  returns: v.null(),
  handler: async (ctx, { userId }) => {
    if (!(await deleteBatch(ctx, userId))) await ctx.scheduler.runAfter(0, internal.users.deleteRemaining, { userId });
    return null;
  },
});
