import type { Value } from "convex/values";
import type { ResolvedConfig } from "../config.js";
import type { MutationCtx, UserId, UserProfile } from "../types.js";

/** The app's `users` table, written through the app's callbacks. */
export interface UserStore {
  /**
   * Creates the user (or updates `existingUserId`) for a sign-in, through
   * `callbacks.createOrUpdateUser` or a plain insert, then runs
   * `callbacks.afterUserCreatedOrUpdated`; all in the step's transaction.
   */
  createOrUpdate(args: { provider: string; profile: UserProfile; existingUserId: UserId | null }): Promise<UserId>;
}

export function userStore(ctx: MutationCtx, config: ResolvedConfig, signedInUserId: UserId | null): UserStore {
  return {
    async createOrUpdate({ provider, profile, existingUserId }) {
      const { createOrUpdateUser, afterUserCreatedOrUpdated } = config.callbacks;
      const args = { existingUserId, signedInUserId, provider, profile };
      let userId: UserId;
      if (createOrUpdateUser) userId = await createOrUpdateUser(ctx, args);
      else if (existingUserId !== null) {
        await ctx.db.patch(existingUserId, withoutUndefined(profile));
        userId = existingUserId;
      } else userId = (await ctx.db.insert("users", withoutUndefined(profile))) as UserId;
      await afterUserCreatedOrUpdated?.(ctx, { ...args, userId });
      return userId;
    },
  };
}

function withoutUndefined(profile: UserProfile): Record<string, Value> {
  const fields: Record<string, Value> = {};
  for (const [name, value] of Object.entries(profile)) {
    if (value !== undefined) fields[name] = value;
  }
  return fields;
}
