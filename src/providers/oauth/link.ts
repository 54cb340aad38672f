import type { MutationStep, StepOutcome } from "../../server/provider.js";
import type { MutationCtx, UserId, UserProfile } from "../../server/types.js";
import { wardenError } from "../../shared/errors/index.js";
import type { HandoffData } from "./flow.js";

/**
 * Who an OAuth sign-in signs in (OA-4). Accounts are keyed by (provider,
 * subject), never by email: a returning subject is its user, whatever its
 * email says now. A new subject joins an existing user only when it was
 * asked to (`link: true` by the signed-in user), or when its email is one an
 * existing user holds verified, the provider verified it too, and the
 * provider is trusted for it (`trustEmail`). Any other email held verified
 * by a user is `OAUTH_ACCOUNT_NOT_LINKED`, never a silent merge; with no such
 * user the sign-in creates one.
 */
export type LinkStep = MutationStep<"accounts" | "limits" | "users">;

interface Linking {
  providerId: string;
  trustEmail: boolean;
}

const authorized = (userId: UserId): StepOutcome => ({ kind: "authorized", userId });
const failed = (code: "OAUTH_ACCOUNT_NOT_LINKED" | "OAUTH_ACCOUNT_IN_USE"): StepOutcome => ({
  kind: "failed",
  error: { code },
});

/** The fields of an existing user an OAuth sign-in updates: all but the email ones. */
function updateFields(user: UserProfile): UserProfile {
  const { email: _email, emailVerificationTime: _verified, ...fields } = user;
  return fields;
}

type EmailOwner = { kind: "none" } | { kind: "one"; userId: UserId } | { kind: "several" };

/** The users holding `email` verified, by the app's `users.email` index. */
async function verifiedOwner(ctx: MutationCtx, email: string): Promise<EmailOwner> {
  const holders = await ctx.db
    .query("users")
    .withIndex("email", (q) => q.eq("email", email))
    .take(16);
  const verified = holders.filter((user) => typeof user.emailVerificationTime === "number");
  if (verified.length === 0) return { kind: "none" };
  return verified.length === 1 ? { kind: "one", userId: verified[0]!._id as UserId } : { kind: "several" };
}

async function attach(step: LinkStep, linking: Linking, handoff: HandoffData, userId: UserId) {
  const { providerId } = linking;
  const created = await step.stores.accounts.create({
    userId,
    provider: providerId,
    providerAccountId: handoff.subject,
    ...(handoff.sealedTokens === undefined ? {} : { secret: handoff.sealedTokens }),
  });
  if (created.kind === "exists") throw new TypeError("convex-warden: account created twice in one transaction");
  await step.stores.users.createOrUpdate({ provider: providerId, profile: updateFields(handoff.user), existingUserId: userId });
  return authorized(userId);
}

/** The explicit link of a signed-in user's own account (`link: true`). */
async function link(step: LinkStep, linking: Linking, handoff: HandoffData, linkUserId: UserId): Promise<StepOutcome> {
  const account = await step.stores.accounts.get(linking.providerId, handoff.subject);
  if (account !== null) {
    if (account.userId !== linkUserId) return failed("OAUTH_ACCOUNT_IN_USE");
    if (handoff.sealedTokens !== undefined) await step.stores.accounts.setSecret(account.accountId, handoff.sealedTokens);
    return authorized(linkUserId);
  }
  if ((await step.ctx.db.get(linkUserId)) === null) throw wardenError({ code: "NOT_SIGNED_IN" });
  return attach(step, linking, handoff, linkUserId);
}

export async function resolveUser(step: LinkStep, linking: Linking, handoff: HandoffData): Promise<StepOutcome> {
  const { providerId } = linking;
  const { accounts, users, limits } = step.stores;
  if (handoff.linkUserId !== undefined) return link(step, linking, handoff, handoff.linkUserId as UserId);
  const account = await accounts.get(providerId, handoff.subject);
  if (account !== null) {
    if (handoff.sealedTokens !== undefined) await accounts.setSecret(account.accountId, handoff.sealedTokens);
    await users.createOrUpdate({ provider: providerId, profile: updateFields(handoff.user), existingUserId: account.userId });
    return authorized(account.userId);
  }
  if (handoff.email !== undefined) {
    const owner = await verifiedOwner(step.ctx, handoff.email);
    if (owner.kind === "one" && linking.trustEmail && handoff.emailVerified) {
      step.log.info("oauth account linked by verified email", { provider: providerId, userId: owner.userId });
      return attach(step, linking, handoff, owner.userId);
    }
    if (owner.kind !== "none") return failed("OAUTH_ACCOUNT_NOT_LINKED");
  }
  // A new user: counted like every sign-up, before anything is written (RL-3).
  const limit = await limits.consume("signUps");
  if (!limit.ok) return { kind: "failed", error: { code: "RATE_LIMITED", retryAfterMs: limit.retryAfterMs } };
  const userId = await users.createOrUpdate({ provider: providerId, profile: handoff.user, existingUserId: null });
  const created = await accounts.create({
    userId,
    provider: providerId,
    providerAccountId: handoff.subject,
    ...(handoff.sealedTokens === undefined ? {} : { secret: handoff.sealedTokens }),
  });
  if (created.kind === "exists") throw new TypeError("convex-warden: account created twice in one transaction");
  return authorized(userId);
}
