import type { Value } from "convex/values";
import { typedCode } from "../../lib/codes/options.js";
import { accountLimitKey } from "../../lib/limitKeys.js";
import { normalizePassword } from "../../lib/password/policy.js";
import { wardenError } from "../../shared/errors/index.js";
import type { StepOutcome } from "../../server/provider.js";
import type { LookedUp } from "../../server/stores/index.js";
import type { UserProfile } from "../../server/types.js";
import type { PasswordConfig } from "./config.js";
import { checkSecret, failed, isVerified, markVerified, type Step } from "./shared.js";

/**
 * Email verification at sign-up (EN-1, OTP-1 to OTP-7). Who proves what:
 * the code or link proves the mailbox; re-typing the password with the code
 * (or opening the link in the browser that asked) proves being the person
 * who chose that password. Only both together set a password or verify an
 * address, so a second person signing up with the same address can neither
 * take the account nor make its owner adopt their password.
 *
 * A sign-up writes no account: the new password's hash waits in the
 * challenge, with the profile, until the code comes back. A sign-up for an
 * address that has an account is answered the same way, and the code sent
 * to its owner sets the password typed with it (a reset, by someone who
 * proves the mailbox). The account is created, or its password replaced,
 * only then.
 */

/** What a verification challenge carries: the pending password's hash and the new user's profile, if any. */
export interface PendingVerification {
  secret?: string;
  profile?: UserProfile;
}

const pendingOf = (data: Value | undefined): PendingVerification => {
  const record = typeof data === "object" && data !== null && !Array.isArray(data) ? (data as Record<string, Value>) : {};
  const profile = record.profile;
  return {
    ...(typeof record.secret === "string" ? { secret: record.secret } : {}),
    ...(typeof profile === "object" && profile !== null && !Array.isArray(profile) ? { profile: profile as UserProfile } : {}),
  };
};

/** The live verification under way for `email`, if any; with `expired`, also one whose time ran out. */
export async function pendingVerification(
  step: Step,
  config: PasswordConfig,
  email: string,
  { expired = false } = {},
): Promise<PendingVerification | null> {
  const found: LookedUp | null = await step.stores.challenges.lookup(config.purposes.verify, email);
  return found === null || (!expired && found.expiresAt <= Date.now()) ? null : pendingOf(found.data);
}

/** Sends the verification message for `email`, carrying `pending` to the step that checks it. */
export function sendVerification(
  step: Step,
  config: PasswordConfig,
  { email, pending, asReset, locale }: { email: string; pending: PendingVerification; asReset: boolean; locale?: string },
): Promise<StepOutcome> {
  const verify = config.verify!;
  return config.mail!.messenger.send(step, {
    purpose: config.purposes.verify,
    identifier: email,
    // To the owner of a verified address, the code sets the password typed with it: a reset.
    message: asReset ? "passwordReset" : "verifyEmail",
    ...(verify.code === null ? {} : { code: { alphabet: verify.code.alphabet, length: verify.code.length } }),
    ...(verify.link === null ? {} : { link: verify.link }),
    ttlMs: verify.ttlMs,
    data: pending as Record<string, Value>,
    ...(locale === undefined ? {} : { locale }),
  });
}

/** `{ flow: "emailVerification", email, password, code }`: the code, with the password it was sent for. */
export async function verifyByCode(step: Step, config: PasswordConfig, email: string, rawPassword: string, code: string) {
  const verify = config.verify;
  if (verify?.code == null) throw wardenError({ code: "UNSUPPORTED_FLOW", message: `${config.id} sends no verification codes` });
  const { stores } = step;
  const key = accountLimitKey(config.id, email);
  const limit = await stores.limits.check("failedSignIns", key);
  if (!limit.ok) return failed({ code: "RATE_LIMITED", retryAfterMs: limit.retryAfterMs });
  // An expired one still says which password it was for: the answer is then CODE_EXPIRED, not a wrong password.
  const pending = await pendingVerification(step, config, email, { expired: true });
  const account = await stores.accounts.get(config.id, email);
  // The password this code was sent for: the one signed up with, else the account's own.
  const stored = pending?.secret ?? account?.secret;
  if (!(await checkSecret(config.hasher, stored, normalizePassword(rawPassword, config.policy.maxBytes)))) {
    const counted = await stores.limits.consume("failedSignIns", key);
    const lockedOut = counted.ok && counted.remaining === 0;
    return { ...failed({ code: "INVALID_CREDENTIALS" }), ...(account ? { userId: account.userId, lockedOut } : {}) };
  }
  const checked = await config.mail!.messenger.verify(step, {
    purpose: config.purposes.verify,
    identifier: email,
    code: typedCode(verify.code, code),
    failureKey: key,
  });
  if (checked.kind === "failed") return checked;
  return completeVerification(step, config, email, pendingOf(checked.challenge.data));
}

/** `{ code, verifier }`: a verification link, opened in the browser that asked for it. */
export async function verifyByLink(step: Step, config: PasswordConfig, token: string, verifier: string | undefined) {
  if (config.verify?.link == null) throw wardenError({ code: "UNSUPPORTED_FLOW", message: `${config.id} sends no verification links` });
  const redeemed = await config.mail!.messenger.redeem(step, { purpose: config.purposes.verify, token, verifier, bound: true });
  if (redeemed.kind === "failed") return redeemed;
  const { identifier, data } = redeemed.challenge;
  return completeVerification(step, config, identifier, pendingOf(data));
}

/**
 * The mailbox is proven, by the person who chose `pending.secret` (if any):
 * create the account, or replace its password (every session opened with
 * the old one ends), and mark the address verified.
 */
async function completeVerification(step: Step, config: PasswordConfig, email: string, pending: PendingVerification): Promise<StepOutcome> {
  const { stores } = step;
  const account = await stores.accounts.get(config.id, email);
  if (account === null) {
    // The account this code was for is gone.
    if (pending.secret === undefined) return failed({ code: "INVALID_CODE" });
    const profile = { ...pending.profile, email, emailVerificationTime: Date.now() };
    const userId = await stores.users.createOrUpdate({ provider: config.id, profile, existingUserId: null });
    const created = await stores.accounts.create({ userId, provider: config.id, providerAccountId: email, secret: pending.secret });
    // Taken between the lookup and now: impossible in one transaction, so a bug if it happens.
    if (created.kind === "exists") throw new TypeError("convex-warden: account created twice in one transaction");
    return { kind: "authorized", userId };
  }
  const { userId } = account;
  const verified = await isVerified(step, userId, email);
  if (pending.secret !== undefined) {
    await stores.accounts.setSecret(account.accountId, pending.secret);
    await stores.limits.reset("failedSignIns", accountLimitKey(config.id, email));
    await stores.sessions.revokeAll(userId, { reason: "passwordReset" });
    await stores.events.record({ type: "passwordReset", userId, provider: config.id });
  }
  if (!verified) await markVerified(step, config, userId, email);
  return { kind: "authorized", userId };
}
