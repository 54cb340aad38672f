import type { GenericDataModel, GenericQueryCtx } from "convex/server";
import type { Warden } from "./warden.js";
import { getWardenIdentity } from "./identity.js";
import type { SessionId, UserId } from "./types.js";

type ReadCtx = Pick<GenericQueryCtx<GenericDataModel>, "auth" | "runQuery">;

/**
 * Helpers that check the caller's session row, not just the token: a sign-out
 * or revocation takes effect at once, before the token expires (SES-5).
 */
export function liveSessionHelpers({ component, config }: Warden) {
  /** The caller's live session, or null if signed out, revoked or expired. */
  const getSession = async (ctx: ReadCtx) => {
    const identity = await getWardenIdentity(ctx);
    if (identity === null) return null;
    const session = await ctx.runQuery(component.sessions.get, {
      sessionId: identity.sid,
      inactiveDurationMs: config.session.inactiveDurationMs,
    });
    if (session === null) return null;
    return { ...session, sessionId: session.sessionId as SessionId, userId: session.userId as UserId };
  };
  /** The caller's user id if their session is live, else null. */
  const getUserId = async (ctx: ReadCtx) => {
    const session = await getSession(ctx);
    return session === null ? null : session.userId;
  };
  return { getSession, getUserId };
}
