import { v } from "convex/values";
import { mutation, query, type DatabaseReader } from "./_generated/server.js";

/**
 * Fixed-window failure counters. A key is limited once `max` failures fall in
 * one window; the window ends `windowMs` after its first failure, so a lockout
 * always lifts on its own. Success deletes the counter.
 */
const vLimit = { key: v.string(), max: v.number(), windowMs: v.number() };

export const vLimitStatus = v.union(
  v.object({ ok: v.literal(true), remaining: v.number() }),
  v.object({ ok: v.literal(false), retryAfterMs: v.number() }),
);

interface Limit {
  key: string;
  max: number;
  windowMs: number;
}

async function load(db: DatabaseReader, key: string) {
  return db
    .query("rateLimits")
    .withIndex("key", (q) => q.eq("key", key))
    .unique();
}

function status(
  counter: { count: number; windowStartsAt: number } | null,
  limit: Limit,
  now: number,
) {
  const windowEndsAt = (counter?.windowStartsAt ?? 0) + limit.windowMs;
  const count = counter !== null && now < windowEndsAt ? counter.count : 0;
  if (count >= limit.max) {
    return { ok: false as const, retryAfterMs: windowEndsAt - now };
  }
  return { ok: true as const, remaining: limit.max - count };
}

/** Whether `key` may try again now. Reads one row, writes nothing. */
export const check = query({
  args: vLimit,
  returns: vLimitStatus,
  handler: async (ctx, limit) =>
    status(await load(ctx.db, limit.key), limit, Date.now()),
});

/** Counts one failure against `key` and returns the status after it. */
export const recordFailure = mutation({
  args: vLimit,
  returns: vLimitStatus,
  handler: async (ctx, limit) => {
    const now = Date.now();
    const counter = await load(ctx.db, limit.key);
    if (counter === null) {
      const fresh = { key: limit.key, count: 1, windowStartsAt: now };
      await ctx.db.insert("rateLimits", fresh);
      return status(fresh, limit, now);
    }
    const expired = now >= counter.windowStartsAt + limit.windowMs;
    const next = expired
      ? { count: 1, windowStartsAt: now }
      : { count: counter.count + 1, windowStartsAt: counter.windowStartsAt };
    await ctx.db.patch(counter._id, next);
    return status(next, limit, now);
  },
});

/** Clears `key`'s failures (after a success). Writes only if there were any. */
export const reset = mutation({
  args: { key: v.string() },
  returns: v.null(),
  handler: async (ctx, { key }) => {
    const counter = await load(ctx.db, key);
    if (counter !== null) await ctx.db.delete(counter._id);
    return null;
  },
});
