import { mutationGeneric, type AnyDataModel, type GenericDataModel } from "convex/server";
import { v } from "convex/values";
import { vRefreshResult, vSignInResult } from "../shared/results.js";
import { resolveConfig, type ConvexAuthOptions } from "./config.js";
import { refresh, signIn, signOut, type Warden } from "./handlers.js";
import { liveSessionHelpers } from "./liveSession.js";
import type { WardenComponent } from "./types.js";

/**
 * Builds the app's auth functions. In `convex/auth.ts`:
 * `export const { signIn, signOut, refresh, auth } = convexAuth(components.warden, { providers: [Password()] });`
 * Each is one mutation: it commits whole or not at all.
 */
export function convexAuth<DataModel extends GenericDataModel = AnyDataModel>(
  component: WardenComponent,
  options: ConvexAuthOptions<DataModel>,
) {
  const warden: Warden = { component, config: resolveConfig(options) };
  return {
    /** `signIn({ provider, params })`: runs the provider's flow, starts a session. */
    signIn: mutationGeneric({
      args: { provider: v.string(), params: v.optional(v.record(v.string(), v.any())) },
      returns: vSignInResult,
      handler: (ctx, args) => signIn(ctx, warden, args.provider, args.params ?? {}),
    }),
    /** `refresh({ refreshToken })`: rotates the refresh token, mints a new access token. */
    refresh: mutationGeneric({
      args: { refreshToken: v.string() },
      returns: vRefreshResult,
      handler: (ctx, args) => refresh(ctx, warden, args.refreshToken),
    }),
    /** `signOut({ refreshToken? })`: ends the caller's session at once. */
    signOut: mutationGeneric({
      args: { refreshToken: v.optional(v.string()) },
      returns: v.null(),
      handler: (ctx, args) => signOut(ctx, warden, args.refreshToken),
    }),
    /** Server helpers that check the session is still live, not just the token. */
    auth: liveSessionHelpers(warden),
  };
}
