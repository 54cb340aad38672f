import type { DocumentByName, GenericDataModel, GenericQueryCtx } from "convex/server";
import { wardenError } from "../shared/errors/index.js";
import type { Warden } from "./warden.js";
import { getWardenIdentity, GUEST_CLAIM } from "./identity.js";
import type { SessionId, UserId } from "./types.js";

type ReadCtx = Pick<GenericQueryCtx<GenericDataModel>, "auth" | "runQuery">;

/** A query's or mutation's ctx, whatever the app's data model: it reads the caller's user document. */
export type RequireUserCtx = ReadCtx & { db: { get(id: UserId): Promise<unknown> } };

/** How a helper checks the caller. */
export interface UserCheck {
  /**
   * true (the default): the caller's session row must be live, so a
   * sign-out, a revoked session or a disabled user is refused at once, before
   * the token expires (SES-5); one read. false: the verified token is enough
   * (no read; a revoked token passes until it expires, 10 minutes by default).
   */
  live?: boolean;
}

/** Who `requireUser` accepts. */
export interface RequireUserOptions extends UserCheck {
  /** Whether guests (anonymous users) pass; if not, they get `GUEST_NOT_ALLOWED`. Default true. */
  allowGuests?: boolean;
}

/**
 * Helpers that check the caller's session row, not just the token: a sign-out
 * or revocation takes effect at once, before the token expires (SES-5).
 */
export function liveSessionHelpers({ component, config }: Warden) {
  /** The caller's live session, or null if signed out, revoked, expired or disabled. */
  const getSession = async (ctx: ReadCtx) => {
    const identity = await getWardenIdentity(ctx);
    if (identity === null) return null;
    const session = await ctx.runQuery(component.sessions.get, {
      sessionId: identity.sid,
      inactiveDurationMs: config.session.inactiveDurationMs,
    });
    if (session === null) return null;
    const guest = identity[GUEST_CLAIM] === true;
    return { ...session, sessionId: session.sessionId as SessionId, userId: session.userId as UserId, guest };
  };
  /** The caller's user id if their session is live (or, with `live: false`, their token is valid), else null. */
  const getUserId = async (ctx: ReadCtx, { live = true }: UserCheck = {}): Promise<UserId | null> => {
    if (!live) {
      const identity = await getWardenIdentity(ctx);
      return identity === null ? null : (identity.subject as UserId);
    }
    const session = await getSession(ctx);
    return session === null ? null : session.userId;
  };
  /**
   * The caller's user document. Throws `NOT_SIGNED_IN` without a (live)
   * session or when the user document is gone, `GUEST_NOT_ALLOWED` for a
   * guest when `allowGuests` is false.
   */
  const requireUser = async <DataModel extends GenericDataModel = GenericDataModel>(
    ctx: RequireUserCtx,
    { live = true, allowGuests = true }: RequireUserOptions = {},
  ): Promise<DocumentByName<DataModel, "users">> => {
    const identity = await getWardenIdentity(ctx);
    if (identity === null) throw wardenError({ code: "NOT_SIGNED_IN" });
    if (!allowGuests && identity[GUEST_CLAIM] === true) throw wardenError({ code: "GUEST_NOT_ALLOWED" });
    if (live && (await getSession(ctx)) === null) throw wardenError({ code: "NOT_SIGNED_IN" });
    const user = await ctx.db.get(identity.subject as UserId);
    if (user === null) throw wardenError({ code: "NOT_SIGNED_IN" });
    return user as DocumentByName<DataModel, "users">;
  };
  return { getSession, getUserId, requireUser };
}
