import { v } from "convex/values";
import { mutation } from "./_generated/server.js";
import { consumeRules, vLimitRule } from "./limits.js";
import { checkIssueArgs, insertChallenge, liveFor, vIssueArgs, vIssued } from "./lib/challengeRows.js";

/**
 * Challenges whose secret goes out in a message (a code, a link): issued
 * only when the resend cooldown and the send limits allow it, and marked
 * when the message could not be sent. Checking and redeeming them is the
 * challenge store's (`challenges.ts`).
 */

/**
 * `issue`, for a challenge its caller sends in a message, in one call: held
 * to the resend cooldown of the challenge it replaces (none before that
 * one's `resendAt`) and counted against the send limit `rules` (the
 * destination's and the client IP's, RL-3). Refused by either, nothing is
 * counted or issued: `retryAfterMs` says when to ask again.
 */
export const issueToSend = mutation({
  args: { ...vIssueArgs, rules: v.array(vLimitRule), resendCooldownMs: v.number() },
  returns: v.union(
    v.object({ kind: v.literal("issued"), ...vIssued }),
    v.object({ kind: v.literal("refused"), retryAfterMs: v.number() }),
  ),
  handler: async (ctx, { rules, resendCooldownMs, ...args }) => {
    checkIssueArgs(args);
    const now = Date.now();
    const others = await liveFor(ctx, args.purpose, args.identifier);
    const previous = others[0];
    if (previous !== undefined && previous.expiresAt > now && (previous.resendAt ?? 0) > now) {
      return { kind: "refused" as const, retryAfterMs: Math.ceil(previous.resendAt! - now) };
    }
    const limit = await consumeRules(ctx, rules);
    if (!limit.ok) return { kind: "refused" as const, retryAfterMs: limit.retryAfterMs };
    const issued = await insertChallenge(ctx, args, others, resendCooldownMs > 0 ? now + resendCooldownMs : undefined);
    return { kind: "issued" as const, ...issued };
  },
});

/**
 * Records that a live challenge's message could not be sent: the next wrong
 * code reports it (so the client offers to send another), and another may be
 * sent at once, or after `retryAfterMs` when the adapter said so. Does
 * nothing when it is gone.
 */
export const markUndelivered = mutation({
  args: { challengeId: v.id("challenges"), reason: v.string(), retryAfterMs: v.optional(v.number()) },
  returns: v.null(),
  handler: async (ctx, { challengeId, reason, retryAfterMs }) => {
    if ((await ctx.db.get("challenges", challengeId)) === null) return null;
    const at = Date.now();
    const undelivered = { reason, at, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    await ctx.db.patch("challenges", challengeId, { undelivered, resendAt: at + (retryAfterMs ?? 0) });
    return null;
  },
});
