import type { Value } from "convex/values";
import { typedCode } from "../../lib/codes/options.js";
import { accountLimitKey } from "../../lib/limitKeys.js";
import { wardenError } from "../../shared/errors/index.js";
import type { StepOutcome } from "../../server/provider.js";
import { reauthenticate, signedInAccount } from "./change.js";
import type { PasswordConfig } from "./config.js";
import { sendEmailChangedNotice } from "./notice.js";
import { failed, type Step } from "./shared.js";

/**
 * Changing the account's email address while signed in (SES-7): the current
 * password or a fresh sign-in, then a code to the new address. Nothing
 * changes until that code is entered (OTP-4: the code is bound to this user
 * and the address it went to); then the account moves to the new address,
 * which becomes the user's verified email, and the old address is told.
 */

const unsupported = (config: PasswordConfig) =>
  wardenError({ code: "UNSUPPORTED_FLOW", message: `${config.id} does not change email addresses` });

/** Wrong codes for an email change are counted per user. */
const failureKey = (config: PasswordConfig, userId: string) => accountLimitKey(config.purposes.changeEmail, userId);

/** `{ flow: "changeEmail", newEmail, currentPassword? }`: sends the code to the new address. */
export async function requestEmailChange(
  step: Step,
  config: PasswordConfig,
  args: { newEmail: string; currentPassword?: string; locale?: string },
): Promise<StepOutcome> {
  const changeEmail = config.changeEmail;
  if (changeEmail === null) throw unsupported(config);
  const caller = await signedInAccount(step, config);
  const refused = await reauthenticate(step, config, caller, args.currentPassword);
  if (refused !== null) return refused;
  const { stores } = step;
  const { newEmail } = args;
  if (newEmail === caller.account.providerAccountId || (await stores.accounts.get(config.id, newEmail)) !== null) {
    // Counted as a send to that address would be, so probing for accounts runs into the same limits (RL-3).
    const limit = await stores.limits.consume("codeSends", newEmail);
    if (!limit.ok) return failed({ code: "RATE_LIMITED", retryAfterMs: limit.retryAfterMs });
    return failed({ code: "EMAIL_IN_USE" });
  }
  const { userId } = caller.session;
  return config.mail!.messenger.send(step, {
    purpose: config.purposes.changeEmail,
    identifier: userId,
    to: newEmail,
    message: "verifyEmail",
    code: { alphabet: changeEmail.code.alphabet, length: changeEmail.code.length },
    ttlMs: changeEmail.ttlMs,
    userId,
    data: { newEmail, accountId: caller.account.accountId },
    ...(args.locale === undefined ? {} : { locale: args.locale }),
  });
}

/** `{ flow: "changeEmailVerification", newEmail, code }`: the code from the new address completes the change. */
export async function confirmEmailChange(
  step: Step,
  config: PasswordConfig,
  args: { newEmail: string; code: string; locale?: string },
): Promise<StepOutcome> {
  const changeEmail = config.changeEmail;
  if (changeEmail === null) throw unsupported(config);
  const { session, account } = await signedInAccount(step, config);
  const { stores } = step;
  const { userId } = session;
  const pending = await stores.challenges.lookup(config.purposes.changeEmail, userId);
  // The code went to one address: it confirms that one only.
  if (pending === null || dataOf(pending.data).newEmail !== args.newEmail) return failed({ code: "INVALID_CODE" });
  const checked = await config.mail!.messenger.verify(step, {
    purpose: config.purposes.changeEmail,
    identifier: userId,
    code: typedCode(changeEmail.code, args.code),
    failureKey: failureKey(config, userId),
  });
  if (checked.kind === "failed") return checked;
  const { accountId } = dataOf(checked.challenge.data);
  // The account the code was for, if it is still the caller's.
  if (accountId !== account.accountId) return failed({ code: "INVALID_CODE" });
  const renamed = await stores.accounts.rename(accountId, args.newEmail);
  if (renamed.kind === "exists") return failed({ code: "EMAIL_IN_USE" });
  if (renamed.kind === "notFound") return failed({ code: "INVALID_CODE" });
  await stores.users.createOrUpdate({
    provider: config.id,
    profile: { email: args.newEmail, emailVerificationTime: Date.now() },
    existingUserId: userId,
  });
  await stores.events.record({ type: "emailChanged", userId, provider: config.id, sessionId: session.sessionId });
  await sendEmailChangedNotice(step, config.mail!.channel, config, {
    to: account.providerAccountId,
    newEmail: args.newEmail,
    noticeId: checked.challenge.challengeId,
    ...(args.locale === undefined ? {} : { locale: args.locale }),
  });
  return { kind: "authorized", userId };
}

function dataOf(data: Value | undefined): { newEmail?: string; accountId?: string } {
  const record = typeof data === "object" && data !== null && !Array.isArray(data) ? (data as Record<string, Value>) : {};
  return {
    ...(typeof record.newEmail === "string" ? { newEmail: record.newEmail } : {}),
    ...(typeof record.accountId === "string" ? { accountId: record.accountId } : {}),
  };
}
