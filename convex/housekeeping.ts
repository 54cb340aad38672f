import { v } from "convex/values";
import { components, internal } from "./_generated/api.js";
import { internalMutation, type MutationCtx } from "./_generated/server.js";

/**
 * Deletes what attackers and time leave behind, so storage stays
 * proportional to live users whatever is sent: expired challenges, and rate
 * counters whose windows are over (a counter for every unknown email a spray
 * tried). A write that leaves such rows schedules a sweep if none is due; a
 * sweep runs at most once an interval, in bounded batches.
 */
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;
const BATCH = 256;
const DAY = 24 * 60 * 60 * 1000;

async function state(ctx: MutationCtx) {
  return ctx.db.query("housekeeping").first();
}

/**
 * Makes sure a sweep is scheduled. `limitPeriodMs` is the longest rate-limit
 * period just used: counters are kept at least two of those (and a day), so a
 * fixed window's row, never older than its window while live, is only
 * deleted once stale. A token bucket's row can outlive that while in use; its
 * deletion refills the bucket, at most once a day per key.
 * Writes only when nothing is scheduled or the horizon grows.
 */
export async function scheduleSweep(ctx: MutationCtx, limitPeriodMs = 0) {
  const now = Date.now();
  const current = await state(ctx);
  const limitHorizonMs = Math.max(current?.limitHorizonMs ?? DAY, 2 * limitPeriodMs);
  const due = current?.sweepScheduledFor;
  // Scheduled, and not so overdue that the scheduled run must have been lost.
  const pending = due !== undefined && due > now - SWEEP_INTERVAL_MS;
  if (pending && limitHorizonMs === current?.limitHorizonMs) return;
  const sweepScheduledFor = pending ? due : now + SWEEP_INTERVAL_MS;
  if (!pending) await ctx.scheduler.runAt(sweepScheduledFor, internal.housekeeping.sweep, {});
  const next = { sweepScheduledFor, limitHorizonMs };
  if (current === null) await ctx.db.insert("housekeeping", next);
  else await ctx.db.patch("housekeeping", current._id, next);
}

/** One sweep: a batch of expired challenges (more batches follow at once), then stale counters. */
export const sweep = internalMutation({
  args: {},
  returns: v.null(),
  handler: async (ctx) => {
    const now = Date.now();
    const expired = await ctx.db
      .query("challenges")
      .withIndex("expiresAt", (q) => q.lt("expiresAt", now))
      .take(BATCH);
    for (const challenge of expired) await ctx.db.delete("challenges", challenge._id);
    if (expired.length === BATCH) {
      await ctx.scheduler.runAfter(0, internal.housekeeping.sweep, {});
      return null;
    }
    const current = await state(ctx);
    // The limiter deletes its rows created before this, in batches of its own.
    await ctx.runMutation(components.rateLimiter.lib.clearAll, { before: now - (current?.limitHorizonMs ?? DAY) });
    if (current !== null) await ctx.db.patch("housekeeping", current._id, { sweepScheduledFor: undefined });
    return null;
  },
});
