import { v } from "convex/values";
import { vErrorCode } from "../src/shared/results.js";
import type { Doc } from "./_generated/dataModel.js";
import { mutation, query, type DatabaseReader } from "./_generated/server.js";
import {
  formatRefreshToken,
  hashSecret,
  newChain,
  nextSecret,
  parseRefreshToken,
} from "./lib/refreshToken.js";
import { timingSafeEqual } from "../src/lib/crypto.js";

/** Starts a session for `userId` and returns its first refresh token. */
export const create = mutation({
  args: { userId: v.string(), totalDurationMs: v.number() },
  returns: v.object({ sessionId: v.id("sessions"), refreshToken: v.string() }),
  handler: async (ctx, { userId, totalDurationMs }) => {
    const now = Date.now();
    const { chainKey, secret } = newChain();
    const sessionId = await ctx.db.insert("sessions", {
      userId,
      expiresAt: now + totalDurationMs,
      lastUsedAt: now,
      refresh: { currentHash: hashSecret(secret), rotatedAt: now, chainKey },
    });
    return { sessionId, refreshToken: formatRefreshToken(sessionId, secret) };
  },
});

const vRefreshArgs = {
  refreshToken: v.string(),
  /** The idle timeout: the session ends this long after its last use. */
  inactiveDurationMs: v.number(),
  /** How long the secret just replaced still yields its successor. */
  graceMs: v.number(),
};

const failed = (code: "INVALID_REFRESH_TOKEN" | "REFRESH_TOKEN_REUSED" | "SESSION_EXPIRED") =>
  ({ kind: "failed" as const, code });

/**
 * The session a refresh token names, and which of its secrets the token
 * holds: the current one, the one it replaced, or neither. Null when the
 * token is malformed or its session is gone.
 */
async function findByRefreshToken(db: DatabaseReader, refreshToken: string) {
  const parsed = parseRefreshToken(refreshToken);
  const sessionId = parsed && db.normalizeId("sessions", parsed.sessionId);
  const session = sessionId ? await db.get(sessionId) : null;
  if (parsed === null || session === null) return null;
  const presented = hashSecret(parsed.secret);
  const { currentHash, previousHash } = session.refresh;
  const match = timingSafeEqual(presented, currentHash)
    ? ("current" as const)
    : previousHash !== undefined && timingSafeEqual(presented, previousHash)
      ? ("previous" as const)
      : ("none" as const);
  return { session, secret: parsed.secret, presented, match };
}

const isLive = (session: Doc<"sessions">, inactiveDurationMs: number, now: number) =>
  now < session.expiresAt && now < session.lastUsedAt + inactiveDurationMs;

/**
 * Exchanges a refresh token for its successor. One read; one write when the
 * current secret is rotated, none when a concurrent tab presents the secret
 * that was just replaced (it gets the same successor). A replaced secret
 * presented after the grace window means two holders: the session is revoked.
 */
export const refresh = mutation({
  args: vRefreshArgs,
  returns: v.union(
    v.object({
      kind: v.literal("refreshed"),
      sessionId: v.id("sessions"),
      userId: v.string(),
      refreshToken: v.string(),
    }),
    v.object({ kind: v.literal("failed"), code: vErrorCode }),
  ),
  handler: async (ctx, args) => {
    const found = await findByRefreshToken(ctx.db, args.refreshToken);
    if (found === null) return failed("INVALID_REFRESH_TOKEN");
    const { session, secret, presented, match } = found;
    const now = Date.now();
    if (!isLive(session, args.inactiveDurationMs, now)) {
      await ctx.db.delete(session._id);
      return failed("SESSION_EXPIRED");
    }
    const { refresh } = session;
    if (match === "none") return failed("INVALID_REFRESH_TOKEN");
    if (match === "previous" && now - refresh.rotatedAt > args.graceMs) {
      await ctx.db.delete(session._id);
      return failed("REFRESH_TOKEN_REUSED");
    }
    const next = nextSecret(refresh.chainKey, secret);
    if (match === "current") {
      await ctx.db.patch(session._id, {
        lastUsedAt: now,
        refresh: { ...refresh, currentHash: hashSecret(next), previousHash: presented, rotatedAt: now },
      });
    }
    // Within the grace window the replaced secret yields the same successor, unwritten.
    return {
      kind: "refreshed" as const,
      sessionId: session._id,
      userId: session.userId,
      refreshToken: formatRefreshToken(session._id, next),
    };
  },
});

/** The session if it is live now, else null. For immediate-revocation checks. */
export const get = query({
  args: { sessionId: v.string(), inactiveDurationMs: v.number() },
  returns: v.union(
    v.object({
      sessionId: v.id("sessions"),
      userId: v.string(),
      expiresAt: v.number(),
      lastUsedAt: v.number(),
    }),
    v.null(),
  ),
  handler: async (ctx, args) => {
    const sessionId = ctx.db.normalizeId("sessions", args.sessionId);
    const session = sessionId && (await ctx.db.get(sessionId));
    if (!session || !isLive(session, args.inactiveDurationMs, Date.now())) return null;
    const { userId, expiresAt, lastUsedAt } = session;
    return { sessionId: session._id, userId, expiresAt, lastUsedAt };
  },
});

/** Ends a session at once. Idempotent. */
export const revoke = mutation({
  args: { sessionId: v.string() },
  returns: v.null(),
  handler: async (ctx, args) => {
    const sessionId = ctx.db.normalizeId("sessions", args.sessionId);
    const session = sessionId && (await ctx.db.get(sessionId));
    if (session) await ctx.db.delete(session._id);
    return null;
  },
});

/**
 * Ends the session a refresh token belongs to, if the token holds its current
 * or just-replaced secret: possession is the proof, so a client whose access
 * token expired can still sign out. Idempotent.
 */
export const revokeByRefreshToken = mutation({
  args: { refreshToken: v.string() },
  returns: v.null(),
  handler: async (ctx, { refreshToken }) => {
    const found = await findByRefreshToken(ctx.db, refreshToken);
    if (found !== null && found.match !== "none") await ctx.db.delete(found.session._id);
    return null;
  },
});
