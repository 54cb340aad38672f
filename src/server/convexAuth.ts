import {
  httpActionGeneric,
  internalActionGeneric,
  internalMutationGeneric,
  mutationGeneric,
  type AnyDataModel,
  type GenericDataModel,
  type HttpRouter,
} from "convex/server";
import { v } from "convex/values";
import { vRefreshResult, vSignInResult } from "../shared/results.js";
import { resolveConfig, type ConvexAuthOptions } from "./config.js";
import { refresh, signOut } from "./handlers.js";
import { authHelpers } from "./management.js";
import { selfServiceFunctions } from "./selfService.js";
import type { AnyProvider } from "./provider.js";
import { signIn } from "./signIn.js";
import { signInArgsValidator } from "./signInArgs.js";
import { actionStep, runActionStep, runMutationStep } from "./steps.js";
import type { WardenComponent } from "./types.js";
import type { Warden } from "./warden.js";

const vStepArgs = { provider: v.string(), step: v.string(), args: v.record(v.string(), v.any()) };

/**
 * Builds the app's auth functions. In `convex/auth.ts`, export them all:
 * `export const { signIn, signOut, refresh, signInStep, signInAction, auth } = convexAuth(components.warden, { providers: [Password()] });`
 * and, to let users manage their sessions and sign-in methods, `listSessions`,
 * `revokeSession`, `revokeOtherSessions`, `revokeAllSessions`, `listAccounts`, `unlinkAccount`.
 * Each step is one mutation: it commits whole or not at all.
 */
export function convexAuth<
  DataModel extends GenericDataModel = AnyDataModel,
  const Providers extends readonly AnyProvider[] = readonly AnyProvider[],
>(component: WardenComponent, options: ConvexAuthOptions<DataModel, Providers>) {
  const warden: Warden = { component, config: resolveConfig(options) };
  return {
    /** `signIn({ provider, params })`: runs the provider's step; answers with a `SignInResult`. */
    signIn: mutationGeneric({
      args: signInArgsValidator<Providers>(),
      returns: vSignInResult,
      handler: (ctx, args) => signIn(ctx, warden, args),
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
    /** Internal: a provider's mutation step, called from its action or HTTP route. */
    signInStep: internalMutationGeneric({
      args: vStepArgs,
      returns: v.any(),
      handler: (ctx, args) => runMutationStep(ctx, warden, args),
    }),
    /** Internal: a provider's action step (network calls), scheduled by a mutation step. */
    signInAction: internalActionGeneric({
      args: vStepArgs,
      returns: v.null(),
      handler: (ctx, args) => runActionStep(ctx, warden, args),
    }),
    /** The signed-in user's sessions and accounts: `listSessions`, `revokeSession`, `unlinkAccount`, … */
    ...selfServiceFunctions(warden),
    auth: {
      ...authHelpers(warden),
      /** Mounts the providers' HTTP routes (OAuth callbacks) into the app's router, in `convex/http.ts`. */
      addHttpRoutes(http: HttpRouter) {
        for (const provider of warden.config.providers.values()) {
          for (const route of provider.routes ?? []) {
            http.route({
              path: route.path,
              method: route.method,
              handler: httpActionGeneric((ctx, request) => route.handler(actionStep(ctx, warden, provider), request)),
            });
          }
        }
      },
    },
  };
}
