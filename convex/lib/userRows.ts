import type { Id } from "../_generated/dataModel.js";
import type { DatabaseReader, MutationCtx } from "../_generated/server.js";

/**
 * What the component holds for one user, found by their id: used to revoke
 * their sessions, disable them and delete them, always in bounded batches so
 * a user with thousands of rows never exceeds a transaction's limits.
 */

/** Rows one transaction deletes at most; the rest go to a scheduled continuation. */
export const BATCH = 256;

/**
 * Sessions one transaction ends at most. Large, because a refresh reads only
 * its own session row: ending a user's sessions (sign-out everywhere,
 * disable, delete) is only immediate for those deleted in the caller's
 * transaction. Session rows are small, so thousands fit in one; the rest of
 * a user with more live sessions than this end in a batch scheduled at once.
 */
export const SESSION_BATCH = 4096;

/** The user's disabled (or being-deleted) marker, if any: one indexed read. */
export async function disabledMarker(db: DatabaseReader, userId: string) {
  return db
    .query("disabledUsers")
    .withIndex("userId", (q) => q.eq("userId", userId))
    .first();
}

/**
 * Deletes up to `budget` of the user's sessions, keeping those in `except`.
 * Returns how many it deleted and whether any (other than `except`) remain.
 */
export async function deleteSessions(ctx: MutationCtx, userId: string, except: readonly string[], budget = SESSION_BATCH) {
  const keep = new Set(except);
  let deleted = 0;
  // `except` rows are read but kept: read a few more than the budget so they cannot starve it.
  const rows = await ctx.db
    .query("sessions")
    .withIndex("userId", (q) => q.eq("userId", userId))
    .take(budget + keep.size + 1);
  for (const row of rows) {
    if (keep.has(row._id)) continue;
    if (deleted === budget) return { deleted, more: true };
    await ctx.db.delete("sessions", row._id);
    deleted++;
  }
  return { deleted, more: false };
}

export const asSessionId = (db: DatabaseReader, id: string): Id<"sessions"> | null => db.normalizeId("sessions", id);
