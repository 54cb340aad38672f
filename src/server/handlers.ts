import type { GenericDataModel, GenericMutationCtx } from "convex/server";
import { wardenError } from "../shared/errors.js";
import type { RefreshResult, SignInResult } from "../shared/results.js";
import type { ResolvedConfig } from "./config.js";
import { flowContext } from "./flowContext.js";
import { getAuthSessionId } from "./identity.js";
import { mintAccessToken } from "./jwt.js";
import type { SignInParams, WardenComponent } from "./types.js";

/** What every handler needs: the mounted component and the resolved options. */
export interface Warden {
  component: WardenComponent;
  config: ResolvedConfig;
}

type MutationCtx = GenericMutationCtx<GenericDataModel>;

/** Runs the provider's flow; on success ends any current session and starts a new one (SES-8). */
export async function signIn(
  ctx: MutationCtx,
  { component, config }: Warden,
  providerId: string,
  params: SignInParams,
): Promise<SignInResult> {
  const provider = config.providers.get(providerId);
  if (provider === undefined) {
    throw wardenError({ code: "PROVIDER_NOT_FOUND", message: `No provider "${providerId}"` });
  }
  const result = await provider.authorize(flowContext(ctx, component, config), params);
  if (result.kind === "failed") {
    config.log.info("sign-in failed", { provider: providerId, reason: result.error.code });
    return { kind: "failed", error: result.error };
  }
  const previous = await getAuthSessionId(ctx);
  if (previous !== null) await ctx.runMutation(component.sessions.revoke, { sessionId: previous });
  const { sessionId, refreshToken } = await ctx.runMutation(component.sessions.create, {
    userId: result.userId,
    totalDurationMs: config.session.totalDurationMs,
  });
  const token = await mintAccessToken(ctx, config, { userId: result.userId, sessionId });
  config.log.debug("signed in", { provider: providerId, userId: result.userId, sessionId });
  return signedIn(config, token, refreshToken);
}

/** Rotates the refresh token and mints a new access token for the same session. */
export async function refresh(
  ctx: MutationCtx,
  { component, config }: Warden,
  refreshToken: string,
): Promise<RefreshResult> {
  const { inactiveDurationMs, refreshGraceMs: graceMs } = config.session;
  const result = await ctx.runMutation(component.sessions.refresh, { refreshToken, inactiveDurationMs, graceMs });
  if (result.kind === "failed") {
    config.log.info("refresh failed", { reason: result.code });
    return { kind: "failed", error: { code: result.code } };
  }
  const token = await mintAccessToken(ctx, config, result);
  config.log.debug("refreshed", { userId: result.userId, sessionId: result.sessionId });
  return signedIn(config, token, result.refreshToken);
}

/**
 * Ends a session at once (SES-5): the one the caller's access token names, and
 * the one `refreshToken` belongs to, so a client whose access token expired
 * can still sign out.
 */
export async function signOut(
  ctx: MutationCtx,
  { component, config }: Warden,
  refreshToken: string | undefined,
): Promise<null> {
  const sessionId = await getAuthSessionId(ctx);
  if (sessionId !== null) await ctx.runMutation(component.sessions.revoke, { sessionId });
  if (refreshToken !== undefined) {
    await ctx.runMutation(component.sessions.revokeByRefreshToken, { refreshToken });
  }
  config.log.debug("signed out", { sessionId, byRefreshToken: refreshToken !== undefined });
  return null;
}

function signedIn(config: ResolvedConfig, token: string, refreshToken: string) {
  // signJwt counts whole seconds; report the lifetime the token really has.
  const expiresInMs = Math.floor(config.jwt.durationMs / 1000) * 1000;
  return { kind: "signedIn" as const, tokens: { token, refreshToken, expiresInMs } };
}
