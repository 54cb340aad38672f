import type { Value } from "convex/values";
import type { WardenErrorData } from "../../shared/errors/index.js";
import type { MutationStep, StepOutcome } from "../../server/provider.js";
import type { UserId } from "../../server/types.js";
import type { PasswordHasher } from "../../lib/password/hasher.js";
import { findClearance } from "./clearance.js";
import type { PasswordConfig } from "./config.js";

/** The stores the Password provider uses. */
export type PasswordStores = "accounts" | "challenges" | "limits" | "users" | "sessions" | "events";
export type Step = MutationStep<PasswordStores>;

export const failed = (error: WardenErrorData): Extract<StepOutcome, { kind: "failed" }> => ({ kind: "failed", error });

/**
 * Checks a password against a stored hash; without one, pays for a hash
 * anyway, so an unknown account costs what a known one does (EN-1). A null
 * password (over the byte cap) is wrong without hashing.
 */
export async function checkSecret(hasher: PasswordHasher, stored: string | undefined, password: string | null) {
  if (password === null) return false;
  if (stored !== undefined) return hasher.verify(stored, password);
  await hasher.hash(password);
  return false;
}

/** A new password the policy accepted: what to hash, and the clearance to spend once it is set. */
export interface AcceptedPassword {
  kind: "accepted";
  normalized: string;
  clearanceId: string | null;
}

/**
 * A new password as the policy accepts it (PW-3, PW-4, PW-7), or the
 * rejection to answer with. With a breach check configured, the clearance
 * the check action gave for this very password must come with it.
 */
export async function acceptNewPassword(
  step: Step,
  config: PasswordConfig,
  password: string,
  clearance: string | undefined,
): Promise<AcceptedPassword | Extract<StepOutcome, { kind: "failed" }>> {
  const checked = await config.policy.checkOffline(password);
  if (!checked.ok) return failed({ code: "PASSWORD_REJECTED", reason: checked.reason });
  if (config.breachCheck === undefined) return { kind: "accepted", normalized: checked.normalized, clearanceId: null };
  const clearanceId = await findClearance(step, config, clearance, checked.normalized);
  if (clearanceId === null) return failed({ code: "PASSWORD_REJECTED", reason: "breach_check_required" });
  return { kind: "accepted", normalized: checked.normalized, clearanceId };
}

/** Whether the user's own address is `email` and marked verified. */
export async function isVerified(step: Step, userId: UserId, email: string): Promise<boolean> {
  const user = (await step.ctx.db.get(userId)) as Record<string, Value> | null;
  return user !== null && user.email === email && user.emailVerificationTime !== undefined;
}

/** Marks `email` as the user's verified address, now. */
export async function markVerified(step: Step, config: PasswordConfig, userId: UserId, email: string) {
  await step.stores.users.createOrUpdate({
    provider: config.id,
    profile: { email, emailVerificationTime: Date.now() },
    existingUserId: userId,
  });
  await step.stores.events.record({ type: "emailVerified", userId, provider: config.id });
}

/** The `locale` param, if any: a language tag or a typed INVALID_ARGUMENT. */
export const LOCALE = /^[A-Za-z0-9_-]{1,35}$/;
