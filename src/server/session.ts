import type { Tokens } from "../shared/results.js";
import type { ResolvedConfig } from "./config.js";
import { announceEvent, clientInfo } from "./events.js";
import { getAuthSessionId } from "./identity.js";
import { mintAccessToken } from "./jwt.js";
import { requestInfo } from "./steps.js";
import type { MutationCtx, SessionId, UserId } from "./types.js";
import type { Warden } from "./warden.js";

/** Whether the user is a guest: their document says `isAnonymous`. */
export async function isGuestUser(ctx: MutationCtx, userId: UserId): Promise<boolean> {
  const user = await ctx.db.get(userId);
  return user !== null && user.isAnonymous === true;
}

/**
 * Starts a session for a user a provider authorized: ends the session this
 * client had (SES-8: every authentication gets a new one), creates the row
 * with its first refresh token (and the client's device and network, for the
 * user's session list), mints the first access token (with the guest claim
 * for a guest, JWT-3) and records the sign-in.
 */
export async function startSession(ctx: MutationCtx, warden: Warden, userId: UserId, provider?: string) {
  const { component, config } = warden;
  const previous = await getAuthSessionId(ctx);
  if (previous !== null) await ctx.runMutation(component.sessions.revoke, { sessionId: previous });
  const guest = await isGuestUser(ctx, userId);
  const client = clientInfo(await requestInfo(ctx));
  // The sign-in event is stored with the session, in the same component call.
  const created = await ctx.runMutation(component.sessions.create, {
    userId,
    totalDurationMs: config.session.totalDurationMs,
    inactiveDurationMs: config.session.inactiveDurationMs,
    ...(guest ? { guest } : {}),
    ...client,
    event: { retentionMs: config.events.retentionMs, ...(provider ? { provider } : {}) },
  });
  const sessionId = created.sessionId as SessionId;
  const token = await mintAccessToken(ctx, config, { userId, sessionId, guest });
  config.log.debug("session started", { userId, sessionId });
  await announceEvent(ctx, config, { type: "signIn", userId, sessionId, ...(provider ? { provider } : {}), ...client });
  return { kind: "signedIn" as const, tokens: tokens(config, token, created.refreshToken) };
}

export function tokens(config: ResolvedConfig, token: string, refreshToken: string): Tokens {
  // signJwt counts whole seconds; report the lifetime the token really has.
  const expiresInMs = Math.floor(config.jwt.durationMs / 1000) * 1000;
  return { token, refreshToken, expiresInMs };
}
