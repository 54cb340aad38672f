import type { Tokens } from "../shared/results.js";
import type { ResolvedConfig } from "./config.js";
import { getAuthSessionId } from "./identity.js";
import { mintAccessToken } from "./jwt.js";
import type { MutationCtx, SessionId, UserId } from "./types.js";
import type { Warden } from "./warden.js";

/**
 * Starts a session for a user a provider authorized: ends the session this
 * client had (SES-8: every authentication gets a new one), creates the row
 * with its first refresh token, and mints the first access token.
 */
export async function startSession(ctx: MutationCtx, { component, config }: Warden, userId: UserId) {
  const previous = await getAuthSessionId(ctx);
  if (previous !== null) await ctx.runMutation(component.sessions.revoke, { sessionId: previous });
  const created = await ctx.runMutation(component.sessions.create, {
    userId,
    totalDurationMs: config.session.totalDurationMs,
  });
  const sessionId = created.sessionId as SessionId;
  const token = await mintAccessToken(ctx, config, { userId, sessionId });
  config.log.debug("session started", { userId, sessionId });
  return { kind: "signedIn" as const, tokens: tokens(config, token, created.refreshToken) };
}

export function tokens(config: ResolvedConfig, token: string, refreshToken: string): Tokens {
  // signJwt counts whole seconds; report the lifetime the token really has.
  const expiresInMs = Math.floor(config.jwt.durationMs / 1000) * 1000;
  return { token, refreshToken, expiresInMs };
}
