import type { ResolvedConfig } from "../config.js";
import { recordEvent } from "../events.js";
import { liveSessionHelpers } from "../liveSession.js";
import type { MutationCtx, SessionId, UserId, WardenComponent } from "../types.js";

/** The session making the call: which it is, whose, and when its sign-in happened. */
export interface CurrentSession {
  sessionId: SessionId;
  userId: UserId;
  /** When the sign-in that started it happened; refreshing does not move it (SES-7). */
  createdAt: number;
}

/** Sessions as a provider sees them: the caller's own, and ending a user's others. */
export interface SessionStore {
  /** The caller's live session, or null when signed out, revoked, expired or disabled. */
  current(): Promise<CurrentSession | null>;
  /**
   * Ends every session of `userId` but those in `except` (in scheduled
   * batches when there are many), and records `sessionRevoked` with `reason`.
   */
  revokeAll(userId: UserId, options: { except?: SessionId[]; reason: string }): Promise<{ revoked: number }>;
}

export function sessionStore(ctx: MutationCtx, component: WardenComponent, config: ResolvedConfig): SessionStore {
  const warden = { component, config };
  return {
    async current() {
      const session = await liveSessionHelpers(warden).getSession(ctx);
      return session === null ? null : { sessionId: session.sessionId, userId: session.userId, createdAt: session.createdAt };
    },
    async revokeAll(userId, { except = [], reason }) {
      const { revoked } = await ctx.runMutation(component.sessions.revokeForUser, { userId, except });
      await recordEvent(ctx, warden, { type: "sessionRevoked", userId, reason });
      return { revoked };
    },
  };
}
