import type { GenericDataModel, GenericQueryCtx } from "convex/server";
import { recordEvent } from "./events.js";
import type { MutationCtx, UserId } from "./types.js";
import { forgetStatuses } from "./userStatus.js";
import type { Warden } from "./warden.js";

type ReadCtx = Pick<GenericQueryCtx<GenericDataModel>, "auth" | "runQuery">;

/**
 * Disabling, enabling and deleting users, from the app's own functions (an
 * admin's mutation, a "delete my account" button). Each runs in the
 * caller's transaction; what does not fit is finished in scheduled batches.
 */

/** Whether a user is disabled, and since when. */
export async function userStatus(ctx: ReadCtx, { component }: Warden, userId: UserId) {
  const status = await ctx.runQuery(component.users.status, { userId });
  return status === null ? { disabled: false as const } : { disabled: true as const, ...status };
}

/**
 * Disables a user: their sign-ins and refreshes are refused from now on
 * (USER_DISABLED, SESSION_EXPIRED) and their live sessions end at once
 * (SES-6). Idempotent. `reason` is the app's own note, kept with the user.
 */
export async function disableUser(ctx: MutationCtx, warden: Warden, userId: UserId, options: { reason?: string } = {}) {
  forgetStatuses(ctx);
  const { changed, revoked } = await ctx.runMutation(warden.component.users.disable, { userId, ...options });
  if (changed) await recordEvent(ctx, warden, { type: "userDisabled", userId, reason: "disabled" });
  return { changed, revoked };
}

/** Lets a disabled user sign in again; their ended sessions stay ended. Idempotent. */
export async function enableUser(ctx: MutationCtx, warden: Warden, userId: UserId) {
  forgetStatuses(ctx);
  const changed = await ctx.runMutation(warden.component.users.enable, { userId });
  if (changed) await recordEvent(ctx, warden, { type: "userEnabled", userId });
  return { changed };
}

/**
 * Deletes a user: everything the component holds for them (accounts and
 * their counters, sessions, challenges, events; the first batch now, the
 * rest scheduled, and no sign-in meanwhile), then the app's own data through
 * `callbacks.deleteUser` (default: their `users` document). The deletion
 * event goes to `callbacks.onEvent` only: nothing of the user is kept.
 */
export async function deleteUser(ctx: MutationCtx, warden: Warden, userId: UserId) {
  forgetStatuses(ctx);
  const { done } = await ctx.runMutation(warden.component.users.deleteAll, { userId });
  const { deleteUser: deleteAppData } = warden.config.callbacks;
  if (deleteAppData !== undefined) await deleteAppData(ctx, { userId });
  else if ((await ctx.db.get(userId)) !== null) await ctx.db.delete(userId);
  await recordEvent(ctx, warden, { type: "userDeleted", userId }, { store: false });
  return { done };
}
