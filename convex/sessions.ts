import { v } from "convex/values";
import { internal } from "./_generated/api.js";
import type { Doc } from "./_generated/dataModel.js";
import { internalMutation, mutation, query, type DatabaseReader } from "./_generated/server.js";
import { insertEvent } from "./events.js";
import { scheduleSweep } from "./housekeeping.js";
import { deleteSessions, disabledMarker } from "./lib/userRows.js";
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

/** When a session ends unless refreshed: its absolute end, or the idle timeout after its last use. */
const endOf = (expiresAt: number, lastUsedAt: number, inactiveDurationMs: number | undefined) =>
  inactiveDurationMs === undefined ? expiresAt : Math.min(expiresAt, lastUsedAt + inactiveDurationMs);

/**
 * Starts a session for `userId` and returns its first refresh token. A
 * guest's first session makes sure housekeeping is scheduled (a guest has no
 * account, whose creation would); other sign-ins read nothing shared.
 */
export const create = mutation({
  args: {
    userId: v.string(),
    totalDurationMs: v.number(),
    /** The idle timeout, so housekeeping knows when an unrefreshed session is over. */
    inactiveDurationMs: v.optional(v.number()),
    guest: v.optional(v.boolean()),
    /** A coarse device label and network, shown in the user's session list. */
    device: v.optional(v.string()),
    network: v.optional(v.string()),
    /** The sign-in event to record with the session (it names the new session), in this same call. */
    event: v.optional(v.object({ retentionMs: v.number(), provider: v.optional(v.string()) })),
  },
  returns: v.object({ sessionId: v.id("sessions"), refreshToken: v.string() }),
  handler: async (ctx, { userId, totalDurationMs, inactiveDurationMs, guest, device, network, event }) => {
    const now = Date.now();
    const { chainKey, secret } = newChain();
    const expiresAt = now + totalDurationMs;
    const sessionId = await ctx.db.insert("sessions", {
      userId,
      expiresAt,
      lastUsedAt: now,
      refresh: { generation: 0, currentHash: hashSecret(secret), chainKey, spentAt: [] },
      endsAt: endOf(expiresAt, now, inactiveDurationMs),
      ...(guest ? { guest: true } : {}),
      ...(device === undefined ? {} : { device: device.slice(0, 64) }),
      ...(network === undefined ? {} : { network: network.slice(0, 64) }),
    });
    if (guest) await scheduleSweep(ctx);
    if (event) await insertEvent(ctx, { userId, type: "signIn", sessionId, device, network, ...event });
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
      guest: v.optional(v.boolean()),
    }),
    v.object({
      kind: v.literal("failed"),
      code: v.union(v.literal("INVALID_REFRESH_TOKEN"), v.literal("REFRESH_TOKEN_REUSED"), v.literal("SESSION_EXPIRED")),
      /** The session's user, when a genuine token ended it (reuse): for its event. Never for a forged token. */
      userId: v.optional(v.string()),
      sessionId: v.optional(v.string()),
    }),
  ),
  handler: async (ctx, args) => {
    const found = await findByRefreshToken(ctx.db, args.refreshToken);
    if (found === null) return failed("INVALID_REFRESH_TOKEN");
    const { session, position } = found;
    const { refresh } = session;
    const now = Date.now();
    // Disabling a user deletes their sessions (SES-6), so the row alone answers: no marker read here.
    if (!isLive(session, args.inactiveDurationMs, now)) {
      await ctx.db.delete("sessions", session._id);
      return failed("SESSION_EXPIRED");
    }
    const reply = (generation: number, secret: Uint8Array) => ({
      kind: "refreshed" as const,
      sessionId: session._id,
      userId: session.userId,
      refreshToken: formatRefreshToken(session._id, generation, secret),
      ...(session.guest ? { guest: true } : {}),
    });
    if (position.kind === "spent") {
      if (withinGrace(refresh.spentAt, position.distance, args.graceMs, now)) {
        return reply(refresh.generation, position.current);
      }
      await ctx.db.delete("sessions", session._id);
      return { ...failed("REFRESH_TOKEN_REUSED"), userId: session.userId, sessionId: session._id };
    }
    const next = nextSecret(refresh.chainKey, position.secret);
    const generation = refresh.generation + 1;
    await ctx.db.patch("sessions", session._id, {
      lastUsedAt: now,
      endsAt: endOf(session.expiresAt, now, args.inactiveDurationMs),
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
      /** When it started: the sign-in that created it (a refresh does not). */
      createdAt: v.number(),
      expiresAt: v.number(),
      lastUsedAt: v.number(),
    }),
    v.null(),
  ),
  handler: async (ctx, args) => {
    const sessionId = ctx.db.normalizeId("sessions", args.sessionId);
    const session = sessionId && (await ctx.db.get("sessions", sessionId));
    if (!session || !isLive(session, args.inactiveDurationMs, Date.now())) return null;
    if ((await disabledMarker(ctx.db, session.userId)) !== null) return null;
    const { userId, expiresAt, lastUsedAt } = session;
    return { sessionId: session._id, userId, createdAt: session._creationTime, expiresAt, lastUsedAt };
  },
});

/** Whose session was ended, if one was. */
const vRevoked = v.union(v.null(), v.object({ userId: v.string(), sessionId: v.string() }));

/** Ends a session at once; with `userId`, only if it is that user's. Idempotent. */
export const revoke = mutation({
  args: { sessionId: v.string(), userId: v.optional(v.string()) },
  returns: vRevoked,
  handler: async (ctx, args) => {
    const sessionId = ctx.db.normalizeId("sessions", args.sessionId);
    const session = sessionId && (await ctx.db.get("sessions", sessionId));
    if (!session || (args.userId !== undefined && session.userId !== args.userId)) return null;
    await ctx.db.delete("sessions", session._id);
    return { userId: session.userId, sessionId: session._id };
  },
});

/**
 * A user's live sessions, newest first, at most `limit` (default 50, at
 * most 100): when each started and was last used, its device and network.
 * Nothing secret: no refresh token hash, chain key or generation.
 */
export const listForUser = query({
  args: { userId: v.string(), inactiveDurationMs: v.number(), limit: v.optional(v.number()) },
  returns: v.array(
    v.object({
      sessionId: v.string(),
      createdAt: v.number(),
      lastUsedAt: v.number(),
      /** When it ends unless refreshed first. */
      expiresAt: v.number(),
      guest: v.boolean(),
      device: v.union(v.string(), v.null()),
      network: v.union(v.string(), v.null()),
    }),
  ),
  handler: async (ctx, { userId, inactiveDurationMs, limit = 50 }) => {
    const now = Date.now();
    const rows = await ctx.db
      .query("sessions")
      .withIndex("userId", (q) => q.eq("userId", userId))
      .order("desc")
      .take(Number.isFinite(limit) ? Math.max(1, Math.min(100, Math.floor(limit))) : 50);
    return rows
      .filter((row) => isLive(row, inactiveDurationMs, now))
      .map((row) => ({
        sessionId: row._id,
        createdAt: row._creationTime,
        lastUsedAt: row.lastUsedAt,
        expiresAt: endOf(row.expiresAt, row.lastUsedAt, inactiveDurationMs),
        guest: row.guest === true,
        device: row.device ?? null,
        network: row.network ?? null,
      }));
  },
});

/**
 * Ends every session of a user but those in `except` (SES-6): one batch now,
 * the rest in scheduled batches. Returns how many ended in this transaction.
 */
export const revokeForUser = mutation({
  args: { userId: v.string(), except: v.optional(v.array(v.string())) },
  returns: v.object({ revoked: v.number(), more: v.boolean() }),
  handler: async (ctx, { userId, except = [] }) => {
    const { deleted, more } = await deleteSessions(ctx, userId, except);
    if (more) await ctx.scheduler.runAfter(0, internal.sessions.revokeRemaining, { userId, except });
    return { revoked: deleted, more };
  },
});

/** The next batch of `revokeForUser`. */
export const revokeRemaining = internalMutation({
  args: { userId: v.string(), except: v.array(v.string()) },
  returns: v.null(),
  handler: async (ctx, { userId, except }) => {
    const { more } = await deleteSessions(ctx, userId, except);
    if (more) await ctx.scheduler.runAfter(0, internal.sessions.revokeRemaining, { userId, except });
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
  returns: vRevoked,
  handler: async (ctx, { refreshToken }) => {
    const found = await findByRefreshToken(ctx.db, refreshToken);
    if (found === null) return null;
    await ctx.db.delete("sessions", found.session._id);
    return { userId: found.session.userId, sessionId: found.session._id };
  },
});
