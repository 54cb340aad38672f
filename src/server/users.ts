import type { GenericDataModel, GenericMutationCtx } from "convex/server";
import { v, type Value } from "convex/values";
import type { ResolvedConfig } from "./config.js";
import type { UserId, UserProfile } from "./types.js";

/**
 * The fields convex-warden writes on the app's `users` table. Spread them
 * into the app's schema and add its own:
 * `users: defineTable({ ...authUserFields, plan: v.string() }).index("email", ["email"])`.
 */
export const authUserFields = {
  name: v.optional(v.string()),
  image: v.optional(v.string()),
  email: v.optional(v.string()),
  emailVerificationTime: v.optional(v.number()),
  phone: v.optional(v.string()),
  phoneVerificationTime: v.optional(v.number()),
  isAnonymous: v.optional(v.boolean()),
};

/** Creates the user through the app's callbacks (or a plain insert). */
export async function createUser(
  ctx: GenericMutationCtx<GenericDataModel>,
  config: ResolvedConfig,
  provider: string,
  profile: UserProfile,
): Promise<UserId> {
  const { createOrUpdateUser, afterUserCreatedOrUpdated } = config.callbacks;
  const args = { existingUserId: null, provider, profile };
  const userId = createOrUpdateUser
    ? await createOrUpdateUser(ctx, args)
    : ((await ctx.db.insert("users", withoutUndefined(profile))) as UserId);
  await afterUserCreatedOrUpdated?.(ctx, { ...args, userId });
  return userId;
}

function withoutUndefined(profile: UserProfile): Record<string, Value> {
  const fields: Record<string, Value> = {};
  for (const [name, value] of Object.entries(profile)) {
    if (value !== undefined) fields[name] = value;
  }
  return fields;
}
