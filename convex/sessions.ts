import { v } from "convex/values";
import type { Doc } from "./_generated/dataModel.js";
import { mutation, query, type DatabaseReader } from "./_generated/server.js";
import {
  formatRefreshToken,
  hashSecret,
  locate,
  newChain,
  nextSecret,
  parseRefreshToken,
} from "./lib/refreshToken.js";

/** Replacements remembered for the grace window: tabs racing more often than this sign out. */
const MAX_REMEMBERED_SPENT = 8;

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
      refresh: { generation: 0, currentHash: hashSecret(secret), chainKey, spentAt: [] },
    });
    return { sessionId, refreshToken: formatRefreshToken(sessionId, 0, secret) };
  },
});

const vRefreshArgs = {
  refreshToken: v.string(),
  /** The idle timeout: the session ends this long after its last use. */
  inactiveDurationMs: v.number(),
  /** How long a replaced secret still yields the current one. */
  graceMs: v.number(),
};

const failed = (code: "INVALID_REFRESH_TOKEN" | "REFRESH_TOKEN_REUSED" | "SESSION_EXPIRED") =>
  ({ kind: "failed" as const, code });

/**
 * The session a refresh token names and where the token stands in its chain.
 * Null when the token is malformed, its session is gone, or its secret is not
 * one of the session's: the secret is checked before anything else about the
 * session, so a forged token learns nothing, not even whether it is live.
 */
async function findByRefreshToken(db: DatabaseReader, refreshToken: string) {
  const parsed = parseRefreshToken(refreshToken);
  const sessionId = parsed && db.normalizeId("sessions", parsed.sessionId);
  const session = sessionId ? await db.get("sessions", sessionId) : null;
  if (parsed === null || session === null) return null;
  const position = locate(session.refresh, parsed);
  return position.kind === "foreign" ? null : { session, position };
}

const isLive = (session: Doc<"sessions">, inactiveDurationMs: number, now: number) =>
  now < session.expiresAt && now < session.lastUsedAt + inactiveDurationMs;

/** Whether the secret `distance` generations back was replaced within the grace window. */
function withinGrace(spentAt: readonly number[], distance: number, graceMs: number, now: number) {
  const replacedAt = spentAt[distance - 1];
  return replacedAt !== undefined && now - replacedAt <= graceMs;
}

/**
 * `spentAt` after the current generation is replaced now: newest first, and a
 * prefix, so `spentAt[d - 1]` stays the replacement of the secret `d` back.
 */
function rememberReplacement(spentAt: readonly number[], graceMs: number, now: number) {
  const recent = [now, ...spentAt];
  const outside = recent.findIndex((at) => now - at > graceMs);
  return recent.slice(0, Math.min(outside === -1 ? recent.length : outside, MAX_REMEMBERED_SPENT));
}

/**
 * Exchanges a refresh token for its successor. One read; one write when the
 * current secret is rotated, none when a tab presents a secret replaced
 * within the grace window (it gets the current one, so racing tabs converge).
 * A genuine earlier secret presented after the window means two holders: the
 * session is revoked. A forged token writes nothing.
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
    v.object({
      kind: v.literal("failed"),
      code: v.union(v.literal("INVALID_REFRESH_TOKEN"), v.literal("REFRESH_TOKEN_REUSED"), v.literal("SESSION_EXPIRED")),
    }),
  ),
  handler: async (ctx, args) => {
    const found = await findByRefreshToken(ctx.db, args.refreshToken);
    if (found === null) return failed("INVALID_REFRESH_TOKEN");
    const { session, position } = found;
    const { refresh } = session;
    const now = Date.now();
    if (!isLive(session, args.inactiveDurationMs, now)) {
      await ctx.db.delete("sessions", session._id);
      return failed("SESSION_EXPIRED");
    }
    const reply = (generation: number, secret: Uint8Array) => ({
      kind: "refreshed" as const,
      sessionId: session._id,
      userId: session.userId,
      refreshToken: formatRefreshToken(session._id, generation, secret),
    });
    if (position.kind === "spent") {
      if (withinGrace(refresh.spentAt, position.distance, args.graceMs, now)) {
        return reply(refresh.generation, position.current);
      }
      await ctx.db.delete("sessions", session._id);
      return failed("REFRESH_TOKEN_REUSED");
    }
    const next = nextSecret(refresh.chainKey, position.secret);
    const generation = refresh.generation + 1;
    await ctx.db.patch("sessions", session._id, {
      lastUsedAt: now,
      refresh: {
        generation,
        currentHash: hashSecret(next),
        chainKey: refresh.chainKey,
        spentAt: rememberReplacement(refresh.spentAt, args.graceMs, now),
      },
    });
    return reply(generation, next);
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
    const session = sessionId && (await ctx.db.get("sessions", sessionId));
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
    const session = sessionId && (await ctx.db.get("sessions", sessionId));
    if (session) await ctx.db.delete("sessions", session._id);
    return null;
  },
});

/**
 * Ends the session a refresh token belongs to, if the token holds one of its
 * secrets: possession is the proof, so a client whose access token expired
 * can still sign out. A forged token ends nothing. Idempotent.
 */
export const revokeByRefreshToken = mutation({
  args: { refreshToken: v.string() },
  returns: v.null(),
  handler: async (ctx, { refreshToken }) => {
    const found = await findByRefreshToken(ctx.db, refreshToken);
    if (found !== null) await ctx.db.delete("sessions", found.session._id);
    return null;
  },
});
