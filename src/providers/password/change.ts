import type { Value } from "convex/values";
import { accountLimitKey } from "../../lib/limitKeys.js";
import { normalizePassword } from "../../lib/password/policy.js";
import { wardenError } from "../../shared/errors/index.js";
import type { StepOutcome } from "../../server/provider.js";
import type { CurrentSession, StoredAccount } from "../../server/stores/index.js";
import { spendClearance } from "./clearance.js";
import type { PasswordConfig } from "./config.js";
import { acceptNewPassword, checkSecret, failed, type Step } from "./shared.js";

/**
 * Changes while signed in (PW-8, SES-7): each needs a live session, and
 * either the current password or a sign-in no older than
 * `change.reauthenticationWindowMs`. The session's sign-in time is its
 * creation: refreshing a session does not make it fresh again.
 */

export type PasswordAccount = StoredAccount & { providerAccountId: string };

/** The caller's live session and their password account; thrown errors when there is neither. */
export async function signedInAccount(step: Step, config: PasswordConfig): Promise<{ session: CurrentSession; account: PasswordAccount }> {
  const session = await step.stores.sessions.current();
  if (session === null) throw wardenError({ code: "NOT_SIGNED_IN", message: `${config.id}: this change needs a signed-in user` });
  const accounts = await step.stores.accounts.forUser(session.userId, config.id);
  const user = (await step.ctx.db.get(session.userId)) as Record<string, Value> | null;
  // Of several, the one for the user's own address; else the newest.
  const account = accounts.find((candidate) => candidate.providerAccountId === user?.email) ?? accounts[0];
  if (account === undefined) throw wardenError({ code: "ACCOUNT_NOT_FOUND", message: `${config.id}: the signed-in user has no password` });
  return { session, account };
}

/**
 * The caller proves it is them again: the current password (a wrong one is
 * a counted failure against the account, RL-1), or, without it, a sign-in
 * within the window. Null when they did; the failure otherwise.
 */
export async function reauthenticate(
  step: Step,
  config: PasswordConfig,
  { session, account }: { session: CurrentSession; account: PasswordAccount },
  currentPassword: string | undefined,
): Promise<Extract<StepOutcome, { kind: "failed" }> | null> {
  if (currentPassword === undefined) {
    const fresh = Date.now() - session.createdAt <= config.change.reauthenticationWindowMs;
    return fresh ? null : failed({ code: "REAUTHENTICATION_REQUIRED" });
  }
  const { stores } = step;
  const key = accountLimitKey(config.id, account.providerAccountId);
  const limit = await stores.limits.check("failedSignIns", key);
  if (!limit.ok) return failed({ code: "RATE_LIMITED", retryAfterMs: limit.retryAfterMs });
  const valid = await checkSecret(config.hasher, account.secret, normalizePassword(currentPassword, config.policy.maxBytes));
  if (!valid) {
    const counted = await stores.limits.consume("failedSignIns", key);
    const lockedOut = counted.ok && counted.remaining === 0;
    return { ...failed({ code: "INVALID_CREDENTIALS" }), userId: account.userId, lockedOut };
  }
  if (limit.counted) await stores.limits.reset("failedSignIns", key);
  return null;
}

/** `{ flow: "change", newPassword, currentPassword?, clearance? }`. */
export async function changePassword(
  step: Step,
  config: PasswordConfig,
  args: { newPassword: string; currentPassword?: string; clearance?: string },
): Promise<StepOutcome> {
  const caller = await signedInAccount(step, config);
  const accepted = await acceptNewPassword(step, config, args.newPassword, args.clearance);
  if (accepted.kind === "failed") return accepted;
  const refused = await reauthenticate(step, config, caller, args.currentPassword);
  if (refused !== null) return refused;
  const { stores } = step;
  const { session, account } = caller;
  await stores.accounts.setSecret(account.accountId, await config.hasher.hash(accepted.normalized));
  await spendClearance(step, accepted.clearanceId);
  if (config.change.revokeOtherSessions) {
    await stores.sessions.revokeAll(session.userId, { except: [session.sessionId], reason: "passwordChanged" });
  }
  await stores.events.record({ type: "passwordChanged", userId: session.userId, provider: config.id, sessionId: session.sessionId });
  // The frame replaces this client's session with a new one (SES-8).
  return { kind: "authorized", userId: session.userId };
}
