import type { Value } from "convex/values";
import type { MutationStep, StepOutcome } from "../../server/provider.js";
import type { Checked, CodeMessenger } from "./messenger.js";
import type { LimitStatus, StoredAccount } from "../../server/stores/index.js";
import type { UserProfile } from "../../server/types.js";

/**
 * The user a verified email address or phone number signs in: its account's
 * owner, or a new user (counted against sign-ups, RL-3) with the profile the
 * request collected. The address is marked verified on the user, once.
 */
export interface VerifiedIdentifier {
  /** The account's provider id. */
  provider: string;
  /** The user field it fills: "email" or "phone". */
  field: "email" | "phone";
  /** The normalized address or number, just proven. */
  identifier: string;
  /** Profile fields for a new user, from the request that sent the code. */
  profile?: UserProfile;
  /**
   * What the code's check already found, when it was asked to (`verifyCode`
   * with `account`): the account, or none and whether the sign-up it would
   * be was allowed. Without it, both are looked up here.
   */
  found?: { account?: StoredAccount | null; signUp?: LimitStatus };
}

const VERIFIED = { email: "emailVerificationTime", phone: "phoneVerificationTime" } as const;

/** The profile fields a challenge carries, if any. */
export function profileIn(data: Value | undefined): UserProfile | undefined {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return undefined;
  const profile = (data as Record<string, Value>).profile;
  return typeof profile === "object" && profile !== null && !Array.isArray(profile) ? (profile as UserProfile) : undefined;
}

export async function signInVerified(
  step: MutationStep<"accounts" | "limits" | "users">,
  { provider, field, identifier, profile, found }: VerifiedIdentifier,
): Promise<StepOutcome> {
  const { stores, ctx } = step;
  const verified = VERIFIED[field];
  const now = Date.now();
  const known = found?.account !== undefined;
  const account = known ? found!.account! : await stores.accounts.get(provider, identifier);
  if (account !== null) {
    // Marked once, and only while the user's own field is this address.
    const user = (await ctx.db.get(account.userId)) as Record<string, Value> | null;
    if (user !== null && user[field] === identifier && user[verified] === undefined) {
      await stores.users.createOrUpdate({ provider, profile: { [verified]: now }, existingUserId: account.userId });
    }
    return { kind: "authorized", userId: account.userId };
  }
  const limit = known && found!.signUp !== undefined ? found!.signUp : await stores.limits.consume("signUps");
  if (!limit.ok) return { kind: "failed", error: { code: "RATE_LIMITED", retryAfterMs: limit.retryAfterMs } };
  const userId = await stores.users.createOrUpdate({
    provider,
    profile: { ...profile, [field]: identifier, [verified]: now },
    existingUserId: null,
  });
  const created = await stores.accounts.create({ userId, provider, providerAccountId: identifier });
  // Taken between the lookup and now: impossible in one transaction, so a bug if it happens.
  if (created.kind === "exists") throw new TypeError("convex-warden: account created twice in one transaction");
  return { kind: "authorized", userId };
}

/**
 * A checked code or link, signed in: the failure as it came, or the user the
 * challenge's identifier signs in (with what the check already found).
 */
export function signInChecked(
  step: MutationStep<"accounts" | "limits" | "users">,
  { provider, field }: Pick<VerifiedIdentifier, "provider" | "field">,
  checked: Checked,
): Promise<StepOutcome> | StepOutcome {
  if (checked.kind === "failed") return checked;
  const { challenge, account, signUp } = checked;
  return signInVerified(step, {
    provider,
    field,
    identifier: challenge.identifier,
    profile: profileIn(challenge.data),
    found: { account, signUp },
  });
}

/**
 * A typed code for `identifier` checked by `messenger` under the identifier's
 * failure limit (`<provider>:<identifier>`), and signed in: what `Email` and
 * `Phone` do with `{ code }`. The account comes with the check, in one call.
 */
export async function signInByCode(
  step: MutationStep<"accounts" | "challenges" | "limits" | "users">,
  messenger: CodeMessenger,
  { provider, field, purpose, identifier, code }: Pick<VerifiedIdentifier, "provider" | "field" | "identifier"> & {
    purpose: string;
    code: string;
  },
): Promise<StepOutcome> {
  const checked = await messenger.verify(step, {
    purpose,
    identifier,
    code,
    failureKey: `${provider}:${identifier}`,
    account: { provider },
  });
  return signInChecked(step, { provider, field }, checked);
}
