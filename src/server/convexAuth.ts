import {
  mutationGeneric,
  type AnyDataModel,
  type GenericDataModel,
  type GenericMutationCtx,
  type GenericQueryCtx,
} from "convex/server";
import { v } from "convex/values";
import { wardenError } from "../shared/errors.js";
import { vRefreshResult, vSignInResult, type SignInResult } from "../shared/results.js";
import { resolveConfig, type ConvexAuthOptions, type ResolvedConfig } from "./config.js";
import { flowContext } from "./flowContext.js";
import { getAuthSessionId, getWardenIdentity } from "./identity.js";
import { mintAccessToken } from "./jwt.js";
import type { UserId, WardenComponent } from "./types.js";

type MutationCtx = GenericMutationCtx<GenericDataModel>;

/**
 * Builds the app's auth functions. In `convex/auth.ts`:
 * `export const { signIn, signOut, refresh, auth } = convexAuth(components.warden, { providers: [Password()] });`
 */
export function convexAuth<DataModel extends GenericDataModel = AnyDataModel>(
  component: WardenComponent,
  options: ConvexAuthOptions<DataModel>,
) {
  const config = resolveConfig(options);
  return {
    /** `signIn({ provider, params })`: one mutation, one transaction. */
    signIn: mutationGeneric({
      args: { provider: v.string(), params: v.optional(v.record(v.string(), v.any())) },
      returns: vSignInResult,
      handler: (ctx, args) => signIn(ctx, component, config, args.provider, args.params ?? {}),
    }),
    /** `refresh({ refreshToken })`: rotates the refresh token, mints a new access token. */
    refresh: mutationGeneric({
      args: { refreshToken: v.string() },
      returns: vRefreshResult,
      handler: async (ctx, { refreshToken }) => {
        const { inactiveDurationMs, refreshGraceMs: graceMs } = config.session;
        const result = await ctx.runMutation(component.sessions.refresh, {
          refreshToken,
          inactiveDurationMs,
          graceMs,
        });
        if (result.kind === "failed") {
          config.log.info("refresh failed", { reason: result.code });
          return { kind: "failed" as const, error: { code: result.code } };
        }
        const token = await mintAccessToken(ctx, config, result);
        config.log.debug("refreshed", { userId: result.userId, sessionId: result.sessionId });
        return signedIn(config, token, result.refreshToken);
      },
    }),
    /** `signOut()`: ends the caller's session at once. */
    signOut: mutationGeneric({
      args: {},
      returns: v.null(),
      handler: async (ctx) => {
        const sessionId = await getAuthSessionId(ctx);
        if (sessionId !== null) {
          await ctx.runMutation(component.sessions.revoke, { sessionId });
          config.log.debug("signed out", { sessionId });
        }
        return null;
      },
    }),
    /** Server helpers that check the session is still live, not just the token. */
    auth: liveSessionHelpers(component, config),
  };
}

async function signIn(
  ctx: MutationCtx,
  component: WardenComponent,
  config: ResolvedConfig,
  providerId: string,
  params: Record<string, unknown>,
): Promise<SignInResult> {
  const provider = config.providers.get(providerId);
  if (provider === undefined) {
    throw wardenError({ code: "PROVIDER_NOT_FOUND", message: `No provider "${providerId}"` });
  }
  const flow = flowContext(ctx, component, config);
  const result = await provider.authorize(flow, params as Record<string, never>);
  if (result.kind === "failed") {
    config.log.info("sign-in failed", { provider: providerId, reason: result.error.code });
    return { kind: "failed", error: result.error };
  }
  // Every authentication starts a new session (SES-8); the one it replaces ends.
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

type ReadCtx = Pick<GenericQueryCtx<GenericDataModel>, "auth" | "runQuery">;

function liveSessionHelpers(component: WardenComponent, config: ResolvedConfig) {
  /** The caller's live session, or null if signed out, revoked or expired (SES-5). */
  const getSession = async (ctx: ReadCtx) => {
    const identity = await getWardenIdentity(ctx);
    if (identity === null) return null;
    return ctx.runQuery(component.sessions.get, {
      sessionId: identity.sid,
      inactiveDurationMs: config.session.inactiveDurationMs,
    });
  };
  /** The caller's user id if their session is live, else null. */
  const getUserId = async (ctx: ReadCtx) => {
    const session = await getSession(ctx);
    return session === null ? null : (session.userId as UserId);
  };
  return { getSession, getUserId };
}

function signedIn(config: ResolvedConfig, token: string, refreshToken: string) {
  return {
    kind: "signedIn" as const,
    tokens: { token, refreshToken, expiresInMs: Math.floor(config.jwt.durationMs / 1000) * 1000 },
  };
}
