import { wardenError } from "../shared/errors/index.js";
import type { AnyProvider, PendingSignIn } from "./provider.js";
import { challengeStore } from "./stores/challenges.js";
import type { MutationCtx, SignInParams, UserId } from "./types.js";
import type { Warden } from "./warden.js";

/**
 * A first factor authorized the user, and a second one must follow: the
 * pending sign-in is a challenge (purpose "secondFactor", bound to the user),
 * its token the client's `pendingToken`. A wrong second factor spends one of
 * its attempts; the right one consumes it and signs in.
 */
const PURPOSE = "secondFactor";

export async function secondFactorRequired(ctx: MutationCtx, { config }: Warden, userId: UserId, provider: string) {
  const options = config.secondFactor;
  return options !== null && (await options.required(ctx, { userId, provider }));
}

export async function issuePending(ctx: MutationCtx, { component, config }: Warden, userId: UserId, provider: string) {
  const options = config.secondFactor!;
  const issued = await challengeStore(ctx, component).issue({
    purpose: PURPOSE,
    identifier: userId,
    userId,
    ttlMs: options.pendingLifetimeMs,
    maxAttempts: options.maxAttempts,
    token: true,
    data: { provider },
    keepOthers: true,
  });
  config.log.debug("second factor required", { userId, provider });
  return {
    kind: "secondFactorRequired" as const,
    pendingToken: issued.token!,
    expiresInMs: options.pendingLifetimeMs,
    factors: options.factors,
  };
}

export interface LoadedPending extends PendingSignIn {
  challengeId: string;
}

/** The pending sign-in a second factor's params name, or the failure to answer with. */
export async function loadPending(
  ctx: MutationCtx,
  { component }: Warden,
  provider: AnyProvider,
  rawParams: SignInParams,
) {
  const token = rawParams.pendingToken;
  if (typeof token !== "string") {
    throw wardenError({ code: "INVALID_ARGUMENT", field: "pendingToken", message: `${provider.id} needs the pendingToken` });
  }
  const found = await challengeStore(ctx, component).peek(PURPOSE, token);
  if (found.kind !== "ok") return { kind: "failed" as const, error: { code: found.code } };
  const { challengeId, userId, data } = found.challenge;
  const first = typeof data === "object" && data !== null && "provider" in data ? String(data.provider) : "";
  return { kind: "ok" as const, pending: { challengeId, userId: userId!, provider: first } satisfies LoadedPending };
}

/** Consumes the pending sign-in (the second factor passed) or spends one of its attempts. */
export async function settlePending(ctx: MutationCtx, { component }: Warden, pending: LoadedPending, succeeded: boolean) {
  await challengeStore(ctx, component).settle(pending.challengeId, succeeded);
}
