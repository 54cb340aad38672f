import { v } from "convex/values";
import { vErrorCode } from "../src/shared/results.js";
import type { Doc } from "./_generated/dataModel.js";
import { mutation, query } from "./_generated/server.js";
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
      refresh: { currentHash: await hashSecret(secret), rotatedAt: now, chainKey },
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
    const parsed = parseRefreshToken(args.refreshToken);
    const sessionId = parsed && ctx.db.normalizeId("sessions", parsed.sessionId);
    const session = sessionId ? await ctx.db.get(sessionId) : null;
    if (parsed === null || session === null) return failed("INVALID_REFRESH_TOKEN");
    const now = Date.now();
    if (!isLive(session, args.inactiveDurationMs, now)) {
      await ctx.db.delete(session._id);
      return failed("SESSION_EXPIRED");
    }
    const { refresh } = session;
    const presented = await hashSecret(parsed.secret);
    const successor = async () => {
      const secret = await nextSecret(refresh.chainKey, parsed.secret);
      return {
        kind: "refreshed" as const,
        sessionId: session._id,
        userId: session.userId,
        refreshToken: formatRefreshToken(session._id, secret),
        secretHash: await hashSecret(secret),
      };
    };
    if (timingSafeEqual(presented, refresh.currentHash)) {
      const { secretHash, ...result } = await successor();
      await ctx.db.patch(session._id, {
        lastUsedAt: now,
        refresh: { ...refresh, currentHash: secretHash, previousHash: presented, rotatedAt: now },
      });
      return result;
    }
    if (refresh.previousHash !== undefined && timingSafeEqual(presented, refresh.previousHash)) {
      if (now - refresh.rotatedAt <= args.graceMs) {
        const { secretHash: _, ...result } = await successor();
        return result;
      }
      await ctx.db.delete(session._id);
      return failed("REFRESH_TOKEN_REUSED");
    }
    return failed("INVALID_REFRESH_TOKEN");
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
