import type { GenericDataModel, GenericQueryCtx } from "convex/server";
import { wardenError } from "../shared/errors/index.js";
import { recordEvent } from "./events.js";
import { getWardenIdentity } from "./identity.js";
import { liveSessionHelpers } from "./liveSession.js";
import type { MutationCtx, SessionId, UserId } from "./types.js";
import type { Warden } from "./warden.js";

type ReadCtx = Pick<GenericQueryCtx<GenericDataModel>, "auth" | "runQuery">;

/**
 * The signed-in user's sessions (SES-6): list them, end one, all others or
 * all. Each needs a live session; ending one of another user's sessions
 * ends nothing. Server side, `invalidateSessions` signs any user out.
 */

/** A session as its user sees it in a list of their devices. */
export interface SessionInfo {
  sessionId: SessionId;
  /** When it started (the sign-in). */
  createdAt: number;
  /** The last sign-in or refresh. */
  lastUsedAt: number;
  /** When it ends unless refreshed first. */
  expiresAt: number;
  /** A coarse device label from the user agent, e.g. "Safari on iOS", or null. */
  device: string | null;
  /** The client's network at sign-in ("203.0.113.0/24"), or null. */
  network: string | null;
  guest: boolean;
  /** Whether this is the session making the call. */
  current: boolean;
}

async function caller(ctx: ReadCtx, warden: Warden) {
  const session = await liveSessionHelpers(warden).getSession(ctx);
  if (session === null) throw wardenError({ code: "NOT_SIGNED_IN" });
  return session;
}

/** The caller's live sessions, newest first (at most `limit`, default 50, at most 100). */
export async function listSessions(ctx: ReadCtx, warden: Warden, options: { limit?: number } = {}): Promise<SessionInfo[]> {
  const { userId, sessionId } = await caller(ctx, warden);
  const rows = await ctx.runQuery(warden.component.sessions.listForUser, {
    userId,
    inactiveDurationMs: warden.config.session.inactiveDurationMs,
    ...options,
  });
  return rows.map((row) => ({ ...row, sessionId: row.sessionId as SessionId, current: row.sessionId === sessionId }));
}

/** Ends one of the caller's sessions (their current one signs them out). False if it is not theirs or already over. */
export async function revokeSession(ctx: MutationCtx, warden: Warden, sessionId: SessionId): Promise<boolean> {
  const { userId } = await caller(ctx, warden);
  const revoked = await ctx.runMutation(warden.component.sessions.revoke, { sessionId, userId });
  if (revoked !== null) await recordEvent(ctx, warden, { type: "sessionRevoked", userId, sessionId, reason: "one" });
  return revoked !== null;
}

async function revokeAll(ctx: MutationCtx, warden: Warden, userId: UserId, except: SessionId[], reason: string) {
  const { revoked, more } = await ctx.runMutation(warden.component.sessions.revokeForUser, { userId, except });
  await recordEvent(ctx, warden, { type: "sessionRevoked", userId, reason });
  return { revoked, more };
}

/** Ends every session of the caller but the current one. Returns how many ended now (more may follow in batches). */
export async function revokeOtherSessions(ctx: MutationCtx, warden: Warden) {
  const { userId, sessionId } = await caller(ctx, warden);
  return revokeAll(ctx, warden, userId, [sessionId], "others");
}

/** Ends every session of the caller, the current one included: signed out everywhere. */
export async function revokeAllSessions(ctx: MutationCtx, warden: Warden) {
  const { userId } = await caller(ctx, warden);
  return revokeAll(ctx, warden, userId, [], "all");
}

/**
 * Signs a user out everywhere, from the app's own function (an admin
 * action, a password change): every session but those in `except` ends now,
 * or in scheduled batches when there are many. v1's `invalidateSessions`.
 */
export async function invalidateSessions(
  ctx: MutationCtx,
  warden: Warden,
  args: { userId: UserId; except?: SessionId[] },
) {
  return revokeAll(ctx, warden, args.userId, args.except ?? [], "server");
}

/** The caller's session id, from the token (for `except: [current]`). */
export async function currentSessionId(ctx: ReadCtx): Promise<SessionId | null> {
  const identity = await getWardenIdentity(ctx);
  return identity === null ? null : (identity.sid as SessionId);
}
