import { typedCode } from "../../lib/codes/options.js";
import { accountLimitKey } from "../../lib/limitKeys.js";
import { wardenError } from "../../shared/errors/index.js";
import type { StepOutcome } from "../../server/provider.js";
import { spendClearance } from "./clearance.js";
import type { PasswordConfig } from "./config.js";
import { acceptNewPassword, failed, isVerified, markVerified, type AcceptedPassword, type Step } from "./shared.js";

/**
 * Password reset by emailed code or link (OTP-1 to OTP-8). The request
 * answers `codeSent` for every address (EN-1): one without an account gets
 * its challenge issued and counted like any other, and no message. The
 * code (or the link's token) is bound to the address and the purpose, so it
 * resets nothing else; it completes the reset in one mutation: the new
 * password (policy applied), the other sessions ended, an event, a session.
 */

import { RESET_LINK_PARAM } from "./resetLink.js";

const unsupported = (config: PasswordConfig, what: string) =>
  wardenError({ code: "UNSUPPORTED_FLOW", message: `${config.id} sends no password reset ${what}` });

/** `{ flow: "reset", email }`. */
export async function requestReset(step: Step, config: PasswordConfig, email: string, locale?: string): Promise<StepOutcome> {
  const reset = config.reset;
  if (reset === null) throw unsupported(config, "messages");
  const account = await step.stores.accounts.get(config.id, email);
  return config.mail!.messenger.send(step, {
    purpose: config.purposes.reset,
    identifier: email,
    message: "passwordReset",
    ...(reset.code === null ? {} : { code: { alphabet: reset.code.alphabet, length: reset.code.length } }),
    ...(reset.link === null ? {} : { link: reset.link, linkParam: RESET_LINK_PARAM }),
    ttlMs: reset.ttlMs,
    // No account: the same limits, cooldown and answer, and nothing sent (EN-1).
    silent: account === null,
    ...(locale === undefined ? {} : { locale }),
  });
}

/** Wrong reset codes are counted apart from sign-in failures, so a locked-out account can still reset (RL-5). */
const resetFailureKey = (config: PasswordConfig, email: string) => accountLimitKey(config.purposes.reset, email);

/** `{ flow: "resetVerification", email, code, newPassword, clearance? }`. */
export async function resetByCode(
  step: Step,
  config: PasswordConfig,
  args: { email: string; code: string; newPassword: string; clearance?: string },
): Promise<StepOutcome> {
  const code = config.reset?.code;
  if (code == null) throw unsupported(config, "codes");
  // The password first: a refused one does not spend the code.
  const accepted = await acceptNewPassword(step, config, args.newPassword, args.clearance);
  if (accepted.kind === "failed") return accepted;
  const checked = await config.mail!.messenger.verify(step, {
    purpose: config.purposes.reset,
    identifier: args.email,
    code: typedCode(code, args.code),
    failureKey: resetFailureKey(config, args.email),
  });
  if (checked.kind === "failed") return checked;
  return completeReset(step, config, args.email, accepted);
}

/** `{ flow: "resetVerification", token, newPassword, clearance? }`: the token a reset link carried. */
export async function resetByLink(
  step: Step,
  config: PasswordConfig,
  args: { token: string; newPassword: string; clearance?: string },
): Promise<StepOutcome> {
  if (config.reset?.link == null) throw unsupported(config, "links");
  const accepted = await acceptNewPassword(step, config, args.newPassword, args.clearance);
  if (accepted.kind === "failed") return accepted;
  const redeemed = await config.mail!.messenger.redeem(step, { purpose: config.purposes.reset, token: args.token, bound: false });
  if (redeemed.kind === "failed") return redeemed;
  return completeReset(step, config, redeemed.challenge.identifier, accepted);
}

/**
 * The mailbox is proven: the new password replaces the old, the account's
 * sign-in failures are cleared (a lockout ends, RL-5), every session ends
 * (OTP-8, unless the app turned it off), the address counts as verified and
 * the reset is recorded. The frame then starts this client's session.
 */
async function completeReset(step: Step, config: PasswordConfig, email: string, accepted: AcceptedPassword): Promise<StepOutcome> {
  const { stores } = step;
  const account = await stores.accounts.get(config.id, email);
  // A challenge for an address without an account is never sent, so its code is never known; or the account is gone.
  if (account === null) return failed({ code: "INVALID_CODE" });
  const { userId } = account;
  await stores.accounts.setSecret(account.accountId, await config.hasher.hash(accepted.normalized));
  await spendClearance(step, accepted.clearanceId);
  await stores.limits.reset("failedSignIns", accountLimitKey(config.id, email));
  if (config.reset!.revokeSessions) await stores.sessions.revokeAll(userId, { reason: "passwordReset" });
  if (!(await isVerified(step, userId, email))) await markVerified(step, config, userId, email);
  await stores.events.record({ type: "passwordReset", userId, provider: config.id });
  return { kind: "authorized", userId };
}
