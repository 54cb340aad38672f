import { v, type Infer } from "convex/values";
import type { Doc } from "./_generated/dataModel.js";
import { mutation, query, type DatabaseReader, type MutationCtx } from "./_generated/server.js";
import { findAccount, vAccount } from "./accounts.js";
import { checkToCount, consumeRules, countChecked, forgetRule, vLimitRule, vLimitStatus, type LimitRule } from "./limits.js";
import { checkIssueArgs, insertChallenge, liveFor, newestFor, vIssueArgs, vIssued } from "./lib/challengeRows.js";
import {
  checkCodeFormat,
  codeMatches,
  hashToken,
  MAX_PRESENTED_LENGTH,
  newCode,
  newToken,
  sealCode,
  tokenMatches,
} from "./lib/challengeSecrets.js";

/**
 * The challenge store: every short-lived secret between two steps of a
 * sign-in. See the `challenges` table. A failure that must be counted (a
 * wrong code) is returned, so the decremented budget commits.
 */

const vChallenge = v.object({
  challengeId: v.id("challenges"),
  identifier: v.string(),
  userId: v.optional(v.string()),
  data: v.optional(v.any()),
});

const vFailure = v.union(
  v.object({ kind: v.literal("failed"), code: v.literal("INVALID_CODE"), attemptsLeft: v.optional(v.number()) }),
  v.object({ kind: v.literal("failed"), code: v.literal("CODE_EXPIRED") }),
);

export const vChallengeResult = v.union(v.object({ kind: v.literal("ok"), challenge: vChallenge }), vFailure);
export type ChallengeResult = Infer<typeof vChallengeResult>;

const invalid = (attemptsLeft?: number) =>
  ({ kind: "failed" as const, code: "INVALID_CODE" as const, ...(attemptsLeft === undefined ? {} : { attemptsLeft }) });
const expired = { kind: "failed" as const, code: "CODE_EXPIRED" as const };

const found = (challenge: Doc<"challenges">) => ({
  kind: "ok" as const,
  challenge: {
    challengeId: challenge._id,
    identifier: challenge.identifier,
    ...(challenge.userId === undefined ? {} : { userId: challenge.userId }),
    ...(challenge.data === undefined ? {} : { data: challenge.data }),
  },
});

/**
 * Issues a challenge and returns its secrets, the only time they exist in
 * plaintext: a `code` to type, a `token` for a link or a state parameter, a
 * `binding` for the browser that must also present it. By default the new
 * challenge replaces any other for the same purpose and identifier, so only
 * the latest code works.
 */
export const issue = mutation({
  args: vIssueArgs,
  returns: v.object(vIssued),
  handler: async (ctx, args) => {
    checkIssueArgs(args);
    return insertChallenge(ctx, args, args.keepOthers ? [] : await liveFor(ctx, args.purpose, args.identifier));
  },
});

async function discardFor(ctx: MutationCtx, purpose: string, identifier: string) {
  for (const other of await liveFor(ctx, purpose, identifier)) await ctx.db.delete("challenges", other._id);
}

/** A wrong attempt: one fewer left, and at zero the challenge is gone (OTP-6). */
async function spendAttempt(ctx: MutationCtx, challenge: Doc<"challenges">) {
  const attemptsLeft = challenge.attemptsLeft - 1;
  if (attemptsLeft <= 0) await ctx.db.delete("challenges", challenge._id);
  else await ctx.db.patch("challenges", challenge._id, { attemptsLeft });
  return invalid(attemptsLeft);
}

const vUndelivered = v.object({ reason: v.string(), retryAfterMs: v.optional(v.number()), at: v.number() });

const vCodeResult = v.union(
  v.object({
    kind: v.literal("ok"),
    challenge: vChallenge,
    account: v.optional(v.union(vAccount, v.null())),
    signUp: v.optional(vLimitStatus),
  }),
  v.object({
    kind: v.literal("failed"),
    code: v.literal("INVALID_CODE"),
    attemptsLeft: v.optional(v.number()),
    undelivered: v.optional(vUndelivered),
  }),
  v.object({ kind: v.literal("failed"), code: v.literal("CODE_EXPIRED") }),
  v.object({ kind: v.literal("failed"), code: v.literal("RATE_LIMITED"), retryAfterMs: v.number() }),
);
type CodeResult = Infer<typeof vCodeResult>;

/**
 * Checks a typed code for (purpose, identifier) and consumes it when right
 * and in time (OTP-3): a second check of the same code finds nothing. A wrong
 * code spends an attempt, and says why when its message could not be sent
 * (`undelivered`); a right code past its expiry is CODE_EXPIRED.
 *
 * The rest of a code step, in the same call. `failures`, the failed-attempt
 * limit (the account's rule first, then its client IP's, RL-1): over it,
 * RATE_LIMITED and the code is not looked at; a wrong code counts one; a
 * success clears the account's rule. `account`: on success, the account
 * (provider, identifier) signs in, or when there is none, the sign-up is
 * counted against `signUps` (RL-3) and `signUp` says whether it may go on.
 */
export const verifyCode = mutation({
  args: {
    purpose: v.string(),
    identifier: v.string(),
    code: v.string(),
    failures: v.optional(v.array(vLimitRule)),
    account: v.optional(v.object({ provider: v.string(), signUps: v.array(vLimitRule) })),
  },
  returns: vCodeResult,
  handler: async (ctx, { purpose, identifier, code, failures = [], account }): Promise<CodeResult> => {
    const { status, checked } = await checkToCount(ctx, failures);
    if (!status.ok) return { kind: "failed" as const, code: "RATE_LIMITED" as const, retryAfterMs: status.retryAfterMs };
    const challenge = await newestFor(ctx, purpose, identifier);
    if (challenge === null || challenge.codeHash === undefined || !codeMatches(challenge.codeHash, purpose, identifier, code)) {
      const spent = challenge === null || challenge.codeHash === undefined ? invalid() : await spendAttempt(ctx, challenge);
      await countChecked(ctx, checked);
      const live = challenge?.undelivered !== undefined && spent.attemptsLeft !== 0;
      return live ? { ...spent, undelivered: challenge.undelivered! } : spent;
    }
    await ctx.db.delete("challenges", challenge._id);
    if (Date.now() >= challenge.expiresAt) return expired;
    await clearFailures(ctx, failures, status.remaining);
    if (account === undefined) return found(challenge);
    const existing = await findAccount(ctx, { provider: account.provider, providerAccountId: challenge.identifier });
    if (existing !== null) return { ...found(challenge), account: existing };
    return { ...found(challenge), account: null, signUp: await consumeRules(ctx, account.signUps) };
  },
});

/** After a success: the account's failures (the first rule) are cleared, if it had any. */
async function clearFailures(ctx: MutationCtx, rules: LimitRule[], remaining: number | undefined) {
  const first = rules[0];
  if (first !== undefined && (remaining === undefined || remaining < first.rate)) await forgetRule(ctx, first);
}

async function findByToken(ctx: { db: DatabaseReader }, purpose: string, token: string) {
  if (token.length === 0 || token.length > MAX_PRESENTED_LENGTH) return null;
  const challenge = await ctx.db
    .query("challenges")
    .withIndex("tokenHash", (q) => q.eq("tokenHash", hashToken(token)))
    .unique();
  // A token issued for another purpose is not this one's (OTP-4), and stays untouched.
  return challenge !== null && challenge.purpose === purpose ? challenge : null;
}

/**
 * Redeems a token (a link, a state, a hand-off code) and consumes it. When the
 * challenge was issued with a binding, the same binding must come with it: a
 * token presented without its browser's binding is burnt, since someone saw it
 * who should not have.
 */
export const redeem = mutation({
  args: { purpose: v.string(), token: v.string(), binding: v.optional(v.string()), identifier: v.optional(v.string()) },
  returns: vChallengeResult,
  handler: async (ctx, args) => {
    const challenge = await findByToken(ctx, args.purpose, args.token);
    if (challenge === null) return invalid();
    if (args.identifier !== undefined && args.identifier !== challenge.identifier) return invalid();
    await ctx.db.delete("challenges", challenge._id);
    const bound = challenge.bindingHash === undefined || tokenMatches(challenge.bindingHash, args.binding ?? "");
    if (!bound) return invalid(0);
    return Date.now() < challenge.expiresAt ? found(challenge) : expired;
  },
});

/**
 * Looks a token up without consuming it, for a step that must check more
 * before it settles the challenge (a second factor): `settle` then consumes it
 * or spends an attempt.
 */
export const peek = query({
  args: { purpose: v.string(), token: v.string() },
  returns: v.union(v.object({ kind: v.literal("ok"), challenge: vChallenge, attemptsLeft: v.number() }), vFailure),
  handler: async (ctx, { purpose, token }) => {
    const challenge = await findByToken(ctx, purpose, token);
    if (challenge === null) return invalid();
    if (Date.now() >= challenge.expiresAt) return expired;
    return { ...found(challenge), attemptsLeft: challenge.attemptsLeft };
  },
});

/** Consumes a peeked challenge (`succeeded`) or spends one of its attempts. */
export const settle = mutation({
  args: { challengeId: v.id("challenges"), succeeded: v.boolean() },
  returns: v.null(),
  handler: async (ctx, { challengeId, succeeded }) => {
    const challenge = await ctx.db.get("challenges", challengeId);
    if (challenge === null) return null;
    if (succeeded) await ctx.db.delete("challenges", challengeId);
    else await spendAttempt(ctx, challenge);
    return null;
  },
});

/** Removes every challenge for (purpose, identifier), e.g. once the flow it served is done. */
export const discard = mutation({
  args: { purpose: v.string(), identifier: v.string() },
  returns: v.null(),
  handler: async (ctx, { purpose, identifier }) => {
    await discardFor(ctx, purpose, identifier);
    return null;
  },
});

/**
 * The newest challenge for (purpose, identifier), without its secrets: when
 * it was issued, how long it lives, the attempts it has left and its data.
 * For a step that must know whether one is under way (a resend too soon, a
 * send that failed) before any secret is presented. Null when there is none.
 */
export const lookup = query({
  args: { purpose: v.string(), identifier: v.string() },
  returns: v.union(
    v.null(),
    v.object({
      challengeId: v.id("challenges"),
      createdAt: v.number(),
      expiresAt: v.number(),
      attemptsLeft: v.number(),
      data: v.optional(v.any()),
    }),
  ),
  handler: async (ctx, { purpose, identifier }) => {
    const challenge = await ctx.db
      .query("challenges")
      .withIndex("purposeAndIdentifier", (q) => q.eq("purpose", purpose).eq("identifier", identifier))
      .order("desc")
      .first();
    if (challenge === null) return null;
    const { _id: challengeId, _creationTime: createdAt, expiresAt, attemptsLeft, data } = challenge;
    return { challengeId, createdAt, expiresAt, attemptsLeft, ...(data === undefined ? {} : { data }) };
  },
});

/**
 * Draws new secrets for a live challenge and returns them, the only time they
 * exist in plaintext: a new `code` from the alphabet given, a new `token`.
 * The old ones stop working; purpose, identifier, expiry, attempts left and
 * binding stay. For a step that must not carry a secret in its arguments: a
 * send scheduled from a mutation gets the challenge's id, and the action
 * that sends asks for the secrets it sends (scheduled arguments are stored).
 * Null when the challenge is gone (consumed, replaced) or expired.
 */
export const rekey = mutation({
  args: {
    challengeId: v.id("challenges"),
    code: v.optional(v.object({ alphabet: v.string(), length: v.number() })),
    token: v.optional(v.boolean()),
  },
  returns: v.union(
    v.null(),
    v.object({ expiresAt: v.number(), code: v.optional(v.string()), token: v.optional(v.string()) }),
  ),
  handler: async (ctx, args) => {
    if (args.code) checkCodeFormat(args.code.alphabet, args.code.length);
    if (!args.code && !args.token) throw new TypeError("Rekeying needs a code, a token or both");
    const challenge = await ctx.db.get("challenges", args.challengeId);
    if (challenge === null || Date.now() >= challenge.expiresAt) return null;
    const code = args.code && newCode(args.code.alphabet, args.code.length);
    const token = args.token ? newToken() : undefined;
    await ctx.db.patch("challenges", challenge._id, {
      ...(code === undefined ? {} : { codeHash: sealCode(challenge.purpose, challenge.identifier, code) }),
      ...(token === undefined ? {} : { tokenHash: hashToken(token) }),
    });
    return { expiresAt: challenge.expiresAt, code, token };
  },
});
