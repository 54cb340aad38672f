import type { WardenErrorData } from "../shared/errors/index.js";
import { recordEvent } from "./events.js";
import { isGuest } from "./identity.js";
import { isGuestUser } from "./session.js";
import { deleteUser } from "./userManagement.js";
import type { MutationCtx, UserId } from "./types.js";
import { knownStatus } from "./userStatus.js";
import type { Warden } from "./warden.js";

/**
 * What the frame checks about a user a provider authorized, before their
 * session starts: that the app has not disabled them, and what becomes of a
 * guest signed in on this client when the account belongs to someone else.
 */
type Refusal = { kind: "failed"; error: WardenErrorData };

/** USER_DISABLED for a disabled user (or one being deleted), recorded; null otherwise. */
export async function refuseDisabled(ctx: MutationCtx, warden: Warden, userId: UserId, provider: string): Promise<Refusal | null> {
  // The account lookup that found the user usually answered this already.
  const known = knownStatus(ctx, userId);
  const status = known !== undefined ? known : await ctx.runQuery(warden.component.users.status, { userId });
  if (status === null) return null;
  if (!status.deleting) await recordEvent(ctx, warden, { type: "signInFailed", userId, provider, reason: "USER_DISABLED" });
  return { kind: "failed", error: { code: "USER_DISABLED" } };
}

/**
 * A guest signed in here and now authorized as `userId`. The same user: the
 * guest was upgraded by a new sign-in method (its id and data kept). Another
 * user: `callbacks.guestConflict` decides (default "switch"); "merge" deletes
 * the guest once the callback has moved its data, "refuse" fails the sign-in.
 */
export async function resolveGuest(
  ctx: MutationCtx,
  warden: Warden,
  signedInUserId: UserId | null,
  userId: UserId,
  provider: string,
): Promise<Refusal | null> {
  if (signedInUserId === null || !(await isGuest(ctx))) return null;
  if (signedInUserId === userId) {
    if (!(await isGuestUser(ctx, userId))) await recordEvent(ctx, warden, { type: "guestUpgraded", userId, provider, reason: "upgrade" });
    return null;
  }
  // Upgraded by another sign-in already, or gone: nothing to resolve.
  if (!(await isGuestUser(ctx, signedInUserId))) return null;
  const choice = (await warden.config.callbacks.guestConflict?.(ctx, { guestUserId: signedInUserId, userId, provider })) ?? "switch";
  if (choice === "refuse") {
    await recordEvent(ctx, warden, { type: "signInFailed", userId, provider, reason: "GUEST_UPGRADE_REFUSED" });
    return { kind: "failed", error: { code: "GUEST_UPGRADE_REFUSED" } };
  }
  if (choice === "merge") await deleteUser(ctx, warden, signedInUserId);
  else if (choice !== "switch") throw new TypeError(`convex-warden: callbacks.guestConflict answered ${JSON.stringify(choice)}`);
  await recordEvent(ctx, warden, { type: "guestUpgraded", userId, provider, reason: choice });
  return null;
}
