import { v, type ObjectType } from "convex/values";
import type { Doc } from "../_generated/dataModel.js";
import type { DatabaseReader, MutationCtx } from "../_generated/server.js";
import { scheduleSweep } from "../housekeeping.js";
import { checkCodeFormat, hashToken, newCode, newToken, sealCode } from "./challengeSecrets.js";

/**
 * Challenge rows as `challenges.issue` and `sends.issueToSend` write them:
 * the arguments a new challenge takes, the secrets it answers with once, and
 * the reads of the live challenges for a (purpose, identifier).
 */

const MAX_TTL_MS = 24 * 60 * 60 * 1000;

export const vIssueArgs = {
  purpose: v.string(),
  identifier: v.string(),
  ttlMs: v.number(),
  maxAttempts: v.number(),
  code: v.optional(v.object({ alphabet: v.string(), length: v.number() })),
  token: v.optional(v.boolean()),
  binding: v.optional(v.boolean()),
  userId: v.optional(v.string()),
  data: v.optional(v.any()),
  keepOthers: v.optional(v.boolean()),
};
export type IssueArgs = ObjectType<typeof vIssueArgs>;

export const vIssued = {
  challengeId: v.id("challenges"),
  expiresAt: v.number(),
  code: v.optional(v.string()),
  token: v.optional(v.string()),
  binding: v.optional(v.string()),
};

export function checkIssueArgs(args: IssueArgs) {
  if (!(args.ttlMs > 0 && args.ttlMs <= MAX_TTL_MS)) throw new TypeError("ttlMs must be from 1 ms to a day");
  if (!Number.isInteger(args.maxAttempts) || args.maxAttempts < 1) throw new TypeError("maxAttempts must be at least 1");
  if (args.code) checkCodeFormat(args.code.alphabet, args.code.length);
  if (!args.code && !args.token) throw new TypeError("A challenge needs a code, a token or both");
}

/** The live challenges for (purpose, identifier), newest first: at most a few, since a new one replaces them. */
export const liveFor = (ctx: { db: DatabaseReader }, purpose: string, identifier: string) =>
  ctx.db
    .query("challenges")
    .withIndex("purposeAndIdentifier", (q) => q.eq("purpose", purpose).eq("identifier", identifier))
    .order("desc")
    .take(16);

/** Inserts the challenge (replacing `others` unless told to keep them) and returns its secrets. */
export async function insertChallenge(ctx: MutationCtx, args: IssueArgs, others: Doc<"challenges">[], resendAt?: number) {
  const { keepOthers, code: codeShape, token: withToken, binding: withBinding, ttlMs, maxAttempts, ...fields } = args;
  if (!keepOthers) for (const other of others) await ctx.db.delete("challenges", other._id);
  const code = codeShape && newCode(codeShape.alphabet, codeShape.length);
  const token = withToken ? newToken() : undefined;
  const binding = withBinding ? newToken() : undefined;
  const expiresAt = Date.now() + ttlMs;
  const challengeId = await ctx.db.insert("challenges", {
    ...fields,
    ...(code === undefined ? {} : { codeHash: sealCode(args.purpose, args.identifier, code) }),
    ...(token === undefined ? {} : { tokenHash: hashToken(token) }),
    ...(binding === undefined ? {} : { bindingHash: hashToken(binding) }),
    expiresAt,
    attemptsLeft: maxAttempts,
    ...(resendAt === undefined ? {} : { resendAt }),
  });
  await scheduleSweep(ctx);
  return { challengeId, expiresAt, code, token, binding };
}

/** The newest challenge for (purpose, identifier), live or not. */
export const newestFor = (ctx: { db: DatabaseReader }, purpose: string, identifier: string) =>
  ctx.db
    .query("challenges")
    .withIndex("purposeAndIdentifier", (q) => q.eq("purpose", purpose).eq("identifier", identifier))
    .order("desc")
    .first();
