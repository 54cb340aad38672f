import type { LimitRule, LimitStatus as RuleStatus } from "../../../convex/limits.js";
import { limitRules, type LimitName, type ResolvedLimits } from "../limits.js";
import type { MutationCtx, RequestInfo, WardenComponent } from "../types.js";

/**
 * A limit's answer. When allowed, `counted` says whether the key already has
 * a count in its current window (so a success has something to reset), and
 * `remaining`, for a per-key window, how many more it allows after this call
 * (0: the next one will be refused).
 */
export type LimitStatus = { ok: true; counted: boolean; remaining?: number } | { ok: false; retryAfterMs: number };

export function limitStatus(rules: LimitRule[], answer: RuleStatus, consumed: number): LimitStatus {
  if (!answer.ok) return { ok: false, retryAfterMs: answer.retryAfterMs };
  const first = rules[0];
  // Without a count to read (a bucket), assume one: a needless reset costs a read, a missed one a lockout.
  const counted = answer.remaining === undefined || first === undefined ? true : answer.remaining < first.rate;
  return answer.remaining === undefined ? { ok: true, counted } : { ok: true, counted, remaining: answer.remaining - consumed };
}

/**
 * Rate limits by name, as configured in `rateLimits`: each name covers its
 * rules (an account's and its client IP's), checked and counted together.
 * Counts are returned, never thrown, so they commit with the step.
 */
export interface LimitStore {
  /** Whether one more is allowed now. Reads only. */
  check(name: LimitName, key?: string): Promise<LimitStatus>;
  /** Counts one, if every rule allows it; otherwise counts nothing. */
  consume(name: LimitName, key?: string): Promise<LimitStatus>;
  /** Clears the per-account count (not the IP's), after a success. */
  reset(name: LimitName, key?: string): Promise<void>;
}

/** A limit's rules for this request: the named limit's, for `key` and the client's IP. */
export type RulesFor = (name: LimitName, key?: string, accountOnly?: boolean) => LimitRule[];

export const rulesFor =
  (limits: ResolvedLimits, request: RequestInfo): RulesFor =>
  (name, key, accountOnly = false) =>
    limitRules(limits, name, key, request.ip, accountOnly);

export function limitStore(ctx: MutationCtx, component: WardenComponent, rules: RulesFor): LimitStore {
  const unlimited: LimitStatus = { ok: true, counted: false };
  return {
    async check(name, key) {
      const list = rules(name, key);
      return list.length ? limitStatus(list, await ctx.runQuery(component.limits.check, { rules: list }), 0) : unlimited;
    },
    async consume(name, key) {
      const list = rules(name, key);
      return list.length ? limitStatus(list, await ctx.runMutation(component.limits.consume, { rules: list }), 1) : unlimited;
    },
    async reset(name, key) {
      const list = rules(name, key, true);
      if (list.length) await ctx.runMutation(component.limits.reset, { rules: list });
    },
  };
}
