import { check } from "../lib/validate.js";
import { wardenError } from "../shared/errors/index.js";
import type { SignInResult } from "../shared/results.js";
import type { AnyProvider, StepOutcome } from "./provider.js";
import { issuePending, loadPending, secondFactorRequired, settlePending, type LoadedPending } from "./secondFactor.js";
import { startSession } from "./session.js";
import { mutationStep, providerFor } from "./steps.js";
import { refuseDisabled, resolveGuest } from "./admission.js";
import { recordEvent } from "./events.js";
import type { MutationCtx, SignInParams, UserId } from "./types.js";
import type { Warden } from "./warden.js";

/**
 * The app's `signIn` mutation: finds the provider, checks its params (a bad
 * one is a thrown INVALID_ARGUMENT naming the field), runs its step with the
 * stores it declared, and answers with one `SignInResult`. One transaction:
 * whatever the step wrote commits with the answer, or nothing does.
 */
export async function signIn(
  ctx: MutationCtx,
  warden: Warden,
  args: { provider: string; params?: unknown },
): Promise<SignInResult> {
  const provider = providerFor(warden, args.provider);
  const rawParams = (isRecord(args.params) ? args.params : {}) as SignInParams;
  const checked = check(provider.params, args.params ?? {});
  if (!checked.ok) {
    throw wardenError({
      code: "INVALID_ARGUMENT",
      field: checked.field,
      message: `${provider.id}: ${checked.field} must be ${checked.expected}`,
    });
  }
  let pending: LoadedPending | null = null;
  if (provider.factor === "second") {
    const loaded = await loadPending(ctx, warden, provider, rawParams);
    if (loaded.kind === "failed") return loaded;
    pending = loaded.pending;
  }
  const step = await mutationStep(ctx, warden, provider, pending, rawParams.link === true);
  const outcome = await provider.signIn(step, checked.value, rawParams);
  return finish(ctx, warden, provider, outcome, pending, step.signedInUserId);
}

async function finish(
  ctx: MutationCtx,
  warden: Warden,
  provider: AnyProvider,
  outcome: StepOutcome,
  pending: LoadedPending | null,
  signedInUserId: UserId | null,
): Promise<SignInResult> {
  const { log } = warden.config;
  switch (outcome.kind) {
    case "authorized": {
      const disabled = await refuseDisabled(ctx, warden, outcome.userId, provider.id);
      if (disabled !== null) {
        if (pending !== null) await settlePending(ctx, warden, pending, true);
        return disabled;
      }
      if (pending !== null) {
        if (outcome.userId !== pending.userId) {
          throw new TypeError(`convex-warden: second factor "${provider.id}" authorized another user than the pending one`);
        }
        await settlePending(ctx, warden, pending, true);
      } else if (await secondFactorRequired(ctx, warden, outcome.userId, provider.id)) {
        return issuePending(ctx, warden, outcome.userId, provider.id);
      }
      const refused = await resolveGuest(ctx, warden, signedInUserId, outcome.userId, provider.id);
      if (refused !== null) return refused;
      log.debug("signed in", { provider: provider.id, userId: outcome.userId });
      return startSession(ctx, warden, outcome.userId, provider.id);
    }
    case "failed":
      if (pending !== null) await settlePending(ctx, warden, pending, false);
      log.info("sign-in failed", { provider: provider.id, reason: outcome.error.code });
      await recordFailure(ctx, warden, provider.id, outcome, pending);
      return { kind: "failed", error: outcome.error };
    case "codeSent":
      return {
        kind: "codeSent",
        provider: provider.id,
        destination: outcome.destination,
        ...resend(outcome.resendAfterMs),
        ...(outcome.verifier === undefined ? {} : { verifier: outcome.verifier }),
      };
    case "redirect":
      return { kind: "redirect", provider: provider.id, url: outcome.url, verifier: outcome.verifier };
    default: {
      const unknown: never = outcome;
      throw new TypeError(`convex-warden: provider "${provider.id}" answered ${JSON.stringify(unknown)}`);
    }
  }
}

/** A failed attempt's events (LOG-1): kept for a known user, passed to `onEvent` in any case. */
async function recordFailure(
  ctx: MutationCtx,
  warden: Warden,
  provider: string,
  outcome: Extract<StepOutcome, { kind: "failed" }>,
  pending: LoadedPending | null,
) {
  const userId = outcome.userId ?? pending?.userId ?? null;
  await recordEvent(ctx, warden, { type: "signInFailed", userId, provider, reason: outcome.error.code });
  if (outcome.lockedOut) await recordEvent(ctx, warden, { type: "lockout", userId, provider });
}

const resend = (resendAfterMs: number | undefined) => (resendAfterMs === undefined ? {} : { resendAfterMs });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
