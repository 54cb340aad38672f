import type { RefreshAnswer } from "../shared/results.js";
import { recordEvent } from "./events.js";
import { getAuthSessionId } from "./identity.js";
import { mintAccessToken } from "./jwt.js";
import { tokens } from "./session.js";
import type { MutationCtx, SessionId, UserId } from "./types.js";
import type { Warden } from "./warden.js";

/** Rotates the refresh token and mints a new access token for the same session. */
export async function refresh(ctx: MutationCtx, warden: Warden, refreshToken: string): Promise<RefreshAnswer> {
  const { component, config } = warden;
  const { inactiveDurationMs, refreshGraceMs: graceMs } = config.session;
  const result = await ctx.runMutation(component.sessions.refresh, { refreshToken, inactiveDurationMs, graceMs });
  if (result.kind === "failed") {
    config.log.info("refresh failed", { reason: result.code });
    if (result.code === "REFRESH_TOKEN_REUSED" && "userId" in result && result.userId !== undefined) {
      const { userId, sessionId } = result;
      await recordEvent(ctx, warden, { type: "sessionRevoked", userId: userId as UserId, sessionId, reason: "reuse" });
    }
    return { kind: "failed", error: { code: result.code } };
  }
  const session = { userId: result.userId as UserId, sessionId: result.sessionId as SessionId, guest: result.guest === true };
  const token = await mintAccessToken(ctx, config, session);
  config.log.debug("refreshed", session);
  return { kind: "signedIn", tokens: tokens(config, token, result.refreshToken) };
}

/**
 * Ends a session at once (SES-5): the one the caller's access token names, and
 * the one `refreshToken` belongs to, so a client whose access token expired
 * can still sign out.
 */
export async function signOut(ctx: MutationCtx, warden: Warden, refreshToken: string | undefined): Promise<null> {
  const { component, config } = warden;
  const sessionId = await getAuthSessionId(ctx);
  const ended = [];
  if (sessionId !== null) ended.push(await ctx.runMutation(component.sessions.revoke, { sessionId }));
  if (refreshToken !== undefined) {
    ended.push(await ctx.runMutation(component.sessions.revokeByRefreshToken, { refreshToken }));
  }
  config.log.debug("signed out", { sessionId, byRefreshToken: refreshToken !== undefined });
  for (const session of ended) {
    if (session === null) continue;
    await recordEvent(ctx, warden, { type: "signOut", userId: session.userId as UserId, sessionId: session.sessionId });
  }
  return null;
}
