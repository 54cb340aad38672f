import type { Value } from "convex/values";
import { wardenError } from "../shared/errors/index.js";
import type { ActionStep, AnyProvider, MutationStep, PendingSignIn } from "./provider.js";
import { selfReferences } from "./references.js";
import { bindStores } from "./stores/index.js";
import { liveSessionHelpers } from "./liveSession.js";
import type { ActionCtx, MutationCtx, RequestInfo } from "./types.js";
import type { Warden } from "./warden.js";

/**
 * The contexts steps run in. A mutation step gets the stores its provider
 * declared, bound to the transaction, plus who is asking; an action step gets
 * a way back into a mutation step.
 */

/** The client's IP and user agent, where the runtime gives them (mutations, actions, HTTP actions). */
export async function requestInfo(ctx: Pick<MutationCtx, "meta"> | Pick<ActionCtx, "meta">): Promise<RequestInfo> {
  try {
    const { ip, userAgent } = await ctx.meta.getRequestMetadata();
    return { ip: ip || null, userAgent: userAgent || null };
  } catch {
    // Not offered here (an older runtime, a test harness without it): limits per IP are skipped.
    return { ip: null, userAgent: null };
  }
}

/**
 * A mutation step's context. `link`: the client asked to add this sign-in
 * method to the user signed in on it (`signIn(provider, { ...params, link: true })`);
 * without it a new account makes a new user, unless the signed-in user is a
 * guest, whom any sign-in upgrades.
 */
export async function mutationStep(
  ctx: MutationCtx,
  { component, config }: Warden,
  provider: AnyProvider,
  pending: PendingSignIn | null,
  link = false,
): Promise<MutationStep> {
  const request = await requestInfo(ctx);
  // Linking and guest upgrades act for this user: only while their session is live, so a
  // token that outlived a sign-out or revocation cannot attach a new account to them.
  const signedInUserId = await liveSessionHelpers({ component, config }).getUserId(ctx);
  const stores = bindStores(provider.stores, { ctx, component, config, request, signedInUserId, link });
  const { signInAction } = selfReferences(config.functionsModule);
  return {
    ctx,
    stores,
    log: config.log,
    request,
    signedInUserId,
    pending,
    async schedule(action, args) {
      if (provider.actions?.[action] === undefined) {
        throw new TypeError(`convex-warden: provider "${provider.id}" has no action step "${action}"`);
      }
      await ctx.scheduler.runAfter(0, signInAction, { provider: provider.id, step: action, args });
    },
  };
}

export function actionStep(ctx: ActionCtx, { config }: Warden, provider: AnyProvider): ActionStep {
  const { signInStep } = selfReferences(config.functionsModule);
  return {
    ctx,
    log: config.log,
    runMutation: (step, args) => ctx.runMutation(signInStep, { provider: provider.id, step, args }),
  };
}

export function providerFor({ config }: Warden, id: string): AnyProvider {
  const provider = config.providers.get(id);
  if (provider === undefined) {
    throw wardenError({ code: "PROVIDER_NOT_FOUND", message: `No provider "${id}"` });
  }
  return provider;
}

/** `signInStep`: one of a provider's named mutation steps, called from its action or route. */
export async function runMutationStep(
  ctx: MutationCtx,
  warden: Warden,
  args: { provider: string; step: string; args: Record<string, Value> },
): Promise<Value> {
  const provider = providerFor(warden, args.provider);
  const run = provider.mutations?.[args.step];
  if (run === undefined) throw wardenError({ code: "UNSUPPORTED_FLOW", message: `No mutation step "${args.step}"` });
  return run(await mutationStep(ctx, warden, provider, null), args.args);
}

/** `signInAction`: one of a provider's named action steps, scheduled by a mutation step. */
export async function runActionStep(
  ctx: ActionCtx,
  warden: Warden,
  args: { provider: string; step: string; args: Record<string, Value> },
): Promise<null> {
  const provider = providerFor(warden, args.provider);
  const run = provider.actions?.[args.step];
  if (run === undefined) throw wardenError({ code: "UNSUPPORTED_FLOW", message: `No action step "${args.step}"` });
  await run(actionStep(ctx, warden, provider), args.args);
  return null;
}
