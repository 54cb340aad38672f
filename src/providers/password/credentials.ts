import { accountLimitKey } from "../../lib/limitKeys.js";
import type { StepOutcome } from "../../server/provider.js";
import type { StoredAccount } from "../../server/stores/index.js";
import type { SignInParams, UserProfile } from "../../server/types.js";
import type { PasswordConfig } from "./config.js";
import { acceptNewPassword, checkSecret, failed, isVerified, type Step } from "./shared.js";
import { spendClearance } from "./clearance.js";

/**
 * Sign-in and sign-up with a password. With verification on, an address not
 * yet verified gets a code instead of a session, whoever asks: the answer
 * to a sign-up is `codeSent` whether the address is taken or not (EN-1).
 */

/** `{ flow: "signIn", identifier, password }`. `password` is normalized, or null when over the byte cap. */
export async function signIn(
  step: Step,
  config: PasswordConfig,
  { email, password, locale }: { email: string; password: string | null; locale?: string },
): Promise<StepOutcome> {
  const { stores, log } = step;
  const key = accountLimitKey(config.id, email);
  const { limit, account } = await stores.accounts.getUnderLimit(config.id, email, { name: "failedSignIns", key });
  if (!limit.ok) return failed({ code: "RATE_LIMITED", retryAfterMs: limit.retryAfterMs });
  // A sign-up still waiting for its code signs in to a new code, with the password it chose.
  const pending = account === null && config.verify !== null ? await (await config.loadMail()).pendingVerification(step, config, email) : null;
  const valid = await checkSecret(config.hasher, account?.secret ?? pending?.secret, password);
  if (!valid || password === null || (account === null && pending === null)) {
    const counted = await stores.limits.consume("failedSignIns", key);
    log.debug("password sign-in failed", { provider: config.id });
    // The account's owner gets the failure (and a lockout) in their events; the client sees the same either way (EN-1).
    const lockedOut = counted.ok && counted.remaining === 0;
    return { ...failed({ code: "INVALID_CREDENTIALS" }), ...(account ? { userId: account.userId, lockedOut } : {}) };
  }
  // A success clears the account's failures (RL-1); with none counted there is nothing to write.
  if (limit.counted) await stores.limits.reset("failedSignIns", key);
  if (account === null) return (await config.loadMail()).sendVerification(step, config, { email, pending: pending!, asReset: false, locale });
  if (config.hasher.needsRehash(account.secret!)) {
    await stores.accounts.setSecret(account.accountId, await config.hasher.hash(password));
    log.info("password rehashed", { provider: config.id, userId: account.userId });
  }
  // While verification is on, an unverified address gets no session: a code, which signs in with this password.
  if (config.verify !== null && !(await isVerified(step, account.userId, email))) {
    return (await config.loadMail()).sendVerification(step, config, { email, pending: {}, asReset: false, locale });
  }
  return { kind: "authorized", userId: account.userId };
}

/** `{ flow: "signUp", identifier, password, clearance? }`. */
export async function signUp(
  step: Step,
  config: PasswordConfig,
  args: { email: string; password: string; clearance?: string; locale?: string; rawParams: SignInParams },
): Promise<StepOutcome> {
  const { stores } = step;
  const { email } = args;
  const accepted = await acceptNewPassword(step, config, args.password, args.clearance);
  if (accepted.kind === "failed") return accepted;
  // Counted before any hashing, and returned, so refused attempts stay counted (RL-3).
  const { limit, account } = await stores.accounts.getCounted(config.id, email, { name: "signUps" });
  if (!limit.ok) return failed({ code: "RATE_LIMITED", retryAfterMs: limit.retryAfterMs });
  if (config.verify !== null) {
    return signUpToVerify(step, config, { ...args, password: accepted.normalized, account }, accepted.clearanceId);
  }
  if (account !== null) return failed({ code: "ACCOUNT_EXISTS" });
  const secret = await config.hasher.hash(accepted.normalized);
  const userId = await stores.users.createOrUpdate({ provider: config.id, profile: profileOf(config, args), existingUserId: null });
  const created = await stores.accounts.create({ userId, provider: config.id, providerAccountId: email, secret });
  // Taken between the lookup and now: impossible in one transaction, so a bug if it happens.
  if (created.kind === "exists") throw new TypeError("convex-warden: account created twice in one transaction");
  await spendClearance(step, accepted.clearanceId);
  return { kind: "authorized", userId };
}

/**
 * A sign-up while verification is on: the same work and the same answer
 * whether the address is taken or not (EN-1). The new password waits in the
 * challenge; the account is written when the code comes back with it.
 */
async function signUpToVerify(
  step: Step,
  config: PasswordConfig,
  args: { email: string; password: string; locale?: string; rawParams: SignInParams; account: StoredAccount | null },
  clearanceId: string | null,
): Promise<StepOutcome> {
  const { email, locale, account } = args;
  // Hashed whether the address is taken or not: the same work either way.
  const secret = await config.hasher.hash(args.password);
  const profile = profileOf(config, args);
  const asReset = account !== null && (await isVerified(step, account.userId, email));
  // A taken address gets no profile: its user keeps theirs.
  const pending = account === null ? { secret, profile } : { secret };
  const { sendVerification } = await config.loadMail();
  const sent = await sendVerification(step, config, { email, pending, asReset, ...(locale === undefined ? {} : { locale }) });
  if (sent.kind === "codeSent") await spendClearance(step, clearanceId);
  return sent;
}

function profileOf(config: PasswordConfig, { email, rawParams }: { email: string; rawParams: SignInParams }): UserProfile {
  const { byUsername } = config;
  return (
    config.profile?.({ email: byUsername ? "" : email, username: byUsername ? email : "", rawParams }) ??
    (byUsername ? { name: email } : { email })
  );
}
