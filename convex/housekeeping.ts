import { v } from "convex/values";
import { components, internal } from "./_generated/api.js";
import { internalMutation, type MutationCtx } from "./_generated/server.js";

/**
 * Deletes what attackers and time leave behind, so storage stays
 * proportional to live users whatever is sent: expired challenges, sessions
 * and events, and rate counters whose windows are over (a counter for every
 * unknown email a spray tried). A write that leaves such rows schedules a
 * sweep if none is due soon; a sweep runs in bounded batches, then schedules
 * the next one for when something will have expired, and stops (deleting its
 * own state) once nothing is left.
 */
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;
const BATCH = 256;
const DAY = 24 * 60 * 60 * 1000;

async function state(ctx: MutationCtx) {
  return ctx.db.query("housekeeping").first();
}

async function plan(ctx: MutationCtx, at: number, fields: { limitHorizonMs: number; limitsUsedAt?: number }) {
  await ctx.scheduler.runAt(at, internal.housekeeping.sweep, { at });
  return { sweepScheduledFor: at, ...fields };
}

/**
 * Makes sure a sweep is scheduled within an interval. `limitPeriodMs` is the
 * longest rate-limit period just used: counters are kept at least two of
 * those (and a day), so a fixed window's row, never older than its window
 * while live, is only deleted once stale. A token bucket's row can outlive
 * that while in use; its deletion refills the bucket, at most once a day per
 * key. Writes at most once an interval (or when the horizon grows).
 */
export async function scheduleSweep(ctx: MutationCtx, limitPeriodMs = 0) {
  const now = Date.now();
  const current = await state(ctx);
  const limitHorizonMs = Math.max(current?.limitHorizonMs ?? DAY, 2 * limitPeriodMs);
  const usedRecently = current?.limitsUsedAt !== undefined && current.limitsUsedAt > now - SWEEP_INTERVAL_MS;
  const limitsUsedAt = limitPeriodMs > 0 && !usedRecently ? now : current?.limitsUsedAt;
  const due = current?.sweepScheduledFor;
  // Due within an interval, and not so overdue that the scheduled run must have been lost.
  const soon = due !== undefined && due > now - SWEEP_INTERVAL_MS && due <= now + SWEEP_INTERVAL_MS;
  const unchanged = limitHorizonMs === current?.limitHorizonMs && limitsUsedAt === current?.limitsUsedAt;
  if (soon && unchanged) return;
  const fields = { limitHorizonMs, ...(limitsUsedAt === undefined ? {} : { limitsUsedAt }) };
  const next = soon ? { sweepScheduledFor: due, ...fields } : await plan(ctx, now + SWEEP_INTERVAL_MS, fields);
  if (current === null) await ctx.db.insert("housekeeping", next);
  else await ctx.db.patch("housekeeping", current._id, next);
}

/** Deletes one batch of expired rows of each table; true if a table had more. */
async function deleteExpired(ctx: MutationCtx, now: number) {
  const challenges = await ctx.db.query("challenges").withIndex("expiresAt", (q) => q.lt("expiresAt", now)).take(BATCH);
  const sessions = await ctx.db.query("sessions").withIndex("endsAt", (q) => q.gte("endsAt", 0).lt("endsAt", now)).take(BATCH);
  const events = await ctx.db.query("events").withIndex("expiresAt", (q) => q.lt("expiresAt", now)).take(BATCH);
  for (const row of challenges) await ctx.db.delete("challenges", row._id);
  for (const row of sessions) await ctx.db.delete("sessions", row._id);
  for (const row of events) await ctx.db.delete("events", row._id);
  return [challenges, sessions, events].some((batch) => batch.length === BATCH);
}

/** When the next row will have expired, or null when nothing is left to sweep. */
async function nextExpiry(ctx: MutationCtx, now: number, limitsUntil: number | null) {
  const challenge = await ctx.db.query("challenges").withIndex("expiresAt").first();
  const session = await ctx.db.query("sessions").withIndex("endsAt", (q) => q.gte("endsAt", 0)).first();
  const event = await ctx.db.query("events").withIndex("expiresAt").first();
  const times = [challenge?.expiresAt, session?.endsAt, event?.expiresAt, limitsUntil !== null && limitsUntil > now ? limitsUntil : undefined];
  const pending = times.filter((time): time is number => time !== undefined);
  return pending.length === 0 ? null : Math.min(...pending);
}

/**
 * One sweep: a batch of each expired kind (more batches follow at once),
 * then stale counters, then the next sweep. `at` names the planned run: a
 * run replaced by an earlier plan finds another `at` in the state and stops.
 */
export const sweep = internalMutation({
  args: { at: v.optional(v.number()) },
  returns: v.null(),
  handler: async (ctx, { at }) => {
    const current = await state(ctx);
    if (at !== undefined && current?.sweepScheduledFor !== at) return null;
    const now = Date.now();
    if (await deleteExpired(ctx, now)) {
      await ctx.scheduler.runAfter(0, internal.housekeeping.sweep, { at });
      return null;
    }
    const limitHorizonMs = current?.limitHorizonMs ?? DAY;
    // The limiter deletes its rows created before this, in batches of its own.
    await ctx.runMutation(components.rateLimiter.lib.clearAll, { before: now - limitHorizonMs });
    // Counters may have been created up to an interval after `limitsUsedAt` without it moving.
    const limitsUntil = current?.limitsUsedAt === undefined ? null : current.limitsUsedAt + SWEEP_INTERVAL_MS + limitHorizonMs;
    const next = await nextExpiry(ctx, now, limitsUntil);
    if (next === null) {
      if (current !== null) await ctx.db.delete("housekeeping", current._id);
      return null;
    }
    const fields = { limitHorizonMs, ...(current?.limitsUsedAt === undefined ? {} : { limitsUsedAt: current.limitsUsedAt }) };
    const planned = await plan(ctx, Math.max(now + SWEEP_INTERVAL_MS, next), fields);
    if (current === null) await ctx.db.insert("housekeeping", planned);
    else await ctx.db.patch("housekeeping", current._id, planned);
    return null;
  },
});
