import { calculateRateLimit } from "@convex-dev/rate-limiter";
import { v, type Infer } from "convex/values";
import { components } from "./_generated/api.js";
import { mutation, query, type MutationCtx, type QueryCtx } from "./_generated/server.js";
import { scheduleSweep } from "./housekeeping.js";

/**
 * Rate limits, on `@convex-dev/rate-limiter` mounted inside this component.
 * The app passes each rule in full (name, key, shape): the component reads
 * no configuration of its own. A call checks or consumes several rules at
 * once (an account's limit and its client IP's), all or none.
 *
 * A fixed window starts at the key's first count and ends `periodMs` later,
 * so a lockout always lifts on its own (RL-5). A count after the window ended
 * starts a new counter row rather than reusing the old one: every row is then
 * younger than its window, a row older than the longest window is stale by
 * construction, and housekeeping can delete by age without ever resetting a
 * live counter.
 */
export const vLimitRule = v.object({
  /** The limit's name, e.g. "failedSignIns"; one counter per (name, key). */
  name: v.string(),
  /** What is counted: an account, an address, an IP. None for an app-wide limit. */
  key: v.optional(v.string()),
  /** "fixed window": `rate` per window of `periodMs`. "token bucket": `rate` per `periodMs`, refilling smoothly. */
  kind: v.union(v.literal("fixed window"), v.literal("token bucket")),
  rate: v.number(),
  periodMs: v.number(),
  /** A bucket's burst size; default `rate`. */
  capacity: v.optional(v.number()),
  /** Spreads an app-wide limit over this many rows, so concurrent callers rarely touch the same one. */
  shards: v.optional(v.number()),
});
export type LimitRule = Infer<typeof vLimitRule>;

export const vLimitStatus = v.union(
  /**
   * `remaining`: how many the first rule allowed before this call, when it is
   * a fixed window (its `rate` when nothing was counted in the window yet).
   */
  v.object({ ok: v.literal(true), remaining: v.optional(v.number()) }),
  v.object({ ok: v.literal(false), retryAfterMs: v.number(), name: v.string() }),
);
export type LimitStatus = Infer<typeof vLimitStatus>;

function limiterArgs(rule: LimitRule, now: number) {
  const { name, key, kind, rate, periodMs: period, capacity, shards } = rule;
  // `start` only shapes a new row: its window begins now, at its first count.
  if (kind === "fixed window") return { name, key, config: { kind, rate, period, capacity, start: now } };
  return { name, key, config: { kind, rate, period, capacity, shards } };
}

export interface Evaluation {
  remaining: number | undefined;
  retryAfterMs: number | null;
  /** A fixed window's row whose window is over: replaced, not reused, by the next count. */
  stale: boolean;
}

async function evaluate(ctx: Pick<QueryCtx, "runQuery">, rule: LimitRule, count: number, now: number): Promise<Evaluation> {
  const args = limiterArgs(rule, now);
  if (rule.kind === "fixed window") {
    // One unsharded row: read it and compute, which also tells how much is left.
    const row = await ctx.runQuery(components.rateLimiter.lib.getValue, args);
    const exists = row.ts > 0;
    const stale = exists && row.ts + rule.periodMs <= now;
    const { value, retryAfter } = calculateRateLimit(exists && !stale ? row : null, args.config, now, count);
    return { remaining: Math.floor(value + count), retryAfterMs: value < 0 ? Math.ceil(retryAfter ?? 0) : null, stale };
  }
  const status = await ctx.runQuery(components.rateLimiter.lib.checkRateLimit, { ...args, count });
  return { remaining: undefined, retryAfterMs: status.ok ? null : Math.ceil(status.retryAfter), stale: false };
}

/** Evaluates the rules in order; the first refusal wins. */
async function evaluateAll(ctx: Pick<QueryCtx, "runQuery">, rules: LimitRule[], count: number, now: number) {
  const evaluations: Evaluation[] = [];
  for (const [index, rule] of rules.entries()) {
    const evaluation = await evaluate(ctx, rule, count, now);
    if (evaluation.retryAfterMs !== null) {
      return { status: { ok: false as const, retryAfterMs: evaluation.retryAfterMs, name: rule.name }, evaluations };
    }
    evaluations[index] = evaluation;
  }
  const remaining = evaluations[0]?.remaining;
  return { status: remaining === undefined ? { ok: true as const } : { ok: true as const, remaining }, evaluations };
}

/** Whether every rule would allow `count` more now; for other modules' functions that check a limit first. */
export async function checkRules(ctx: Pick<QueryCtx, "runQuery">, rules: LimitRule[], count = 1): Promise<LimitStatus> {
  return (await evaluateAll(ctx, rules, count, Date.now())).status;
}

/** Whether every rule would allow `count` more now. Reads only: one row per rule. */
export const check = query({
  args: { rules: v.array(vLimitRule), count: v.optional(v.number()) },
  returns: vLimitStatus,
  handler: (ctx, { rules, count = 1 }) => checkRules(ctx, rules, count),
});

/** Clears a rule's count (an account's failures after a success). */
export async function forgetRule(ctx: MutationCtx, rule: LimitRule) {
  await ctx.runMutation(components.rateLimiter.lib.resetRateLimit, { name: rule.name, key: rule.key });
}

/**
 * Counts `count` against every rule if all allow it; otherwise counts nothing
 * and says which refused. A sharded bucket picks its shards at random when it
 * counts, so it is counted first and its own answer decides; the other rules,
 * already checked in this transaction, then cannot refuse. Hence at most one
 * sharded bucket per call.
 */
export const consume = mutation({
  args: { rules: v.array(vLimitRule), count: v.optional(v.number()) },
  returns: vLimitStatus,
  handler: (ctx, { rules, count = 1 }) => consumeRules(ctx, rules, count),
});

/** `consume`, for other modules' functions that count an attempt first. */
export async function consumeRules(ctx: MutationCtx, rules: LimitRule[], count = 1): Promise<LimitStatus> {
  if (rules.length === 0) return { ok: true };
  const buckets = rules.filter((rule) => rule.kind === "token bucket");
  if (buckets.filter((rule) => (rule.shards ?? 1) > 1).length > 1) {
    throw new TypeError("limits.consume: at most one sharded token bucket per call");
  }
  // The bucket whose own count decides: the sharded one, else any; the others are checked first.
  const deciding = buckets.find((rule) => (rule.shards ?? 1) > 1) ?? buckets[0];
  const now = Date.now();
  const checked = rules.filter((rule) => rule !== deciding);
  const { status, evaluations } = await evaluateAll(ctx, checked, count, now);
  if (!status.ok) return status;
  for (const bucket of [deciding, ...checked.filter((rule) => rule.kind === "token bucket")]) {
    if (bucket === undefined) continue;
    const counted = await ctx.runMutation(components.rateLimiter.lib.rateLimit, { ...limiterArgs(bucket, now), count });
    if (!counted.ok) return { ok: false as const, retryAfterMs: Math.ceil(counted.retryAfter), name: bucket.name };
  }
  await countWindows(ctx, { rules: checked, evaluations, now }, count, Math.max(...rules.map((rule) => rule.periodMs)));
  return rules[0] === deciding ? { ok: true } : status;
}

/** Fixed windows checked in this transaction, with what the check read: `countChecked` needs no second read. */
export interface CheckedRules {
  rules: LimitRule[];
  evaluations: Evaluation[];
  now: number;
}

/**
 * Checks fixed-window rules for a step that may count them later in the
 * same transaction (a wrong code): `status` as `checkRules` answers it, and
 * what `countChecked` then counts without reading the rows again.
 */
export async function checkToCount(
  ctx: MutationCtx,
  rules: LimitRule[],
): Promise<{ status: LimitStatus; checked: CheckedRules }> {
  if (rules.some((rule) => rule.kind !== "fixed window")) throw new TypeError("limits: only fixed windows are checked to count");
  const now = Date.now();
  const { status, evaluations } = await evaluateAll(ctx, rules, 1, now);
  return { status, checked: { rules, evaluations, now } };
}

/** Counts one against rules `checkToCount` allowed. */
export async function countChecked(ctx: MutationCtx, checked: CheckedRules): Promise<void> {
  if (checked.rules.length === 0) return;
  await countWindows(ctx, checked, 1, Math.max(...checked.rules.map((rule) => rule.periodMs)));
}

/** Counts the fixed windows, then makes sure housekeeping will sweep counters as old as `periodMs`. */
async function countWindows(ctx: MutationCtx, { rules, evaluations, now }: CheckedRules, count: number, periodMs: number) {
  for (const [index, rule] of rules.entries()) {
    if (rule.kind !== "fixed window") continue;
    if (evaluations[index]?.stale) await forgetRule(ctx, rule);
    await ctx.runMutation(components.rateLimiter.lib.rateLimit, { ...limiterArgs(rule, now), count });
  }
  await scheduleSweep(ctx, periodMs);
}

/** Clears the rules' counts, e.g. an account's failures after a success. */
export const reset = mutation({
  args: { rules: v.array(vLimitRule) },
  returns: v.null(),
  handler: async (ctx, { rules }) => {
    for (const rule of rules) await forgetRule(ctx, rule);
    return null;
  },
});
