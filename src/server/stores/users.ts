import type { Value } from "convex/values";
import type { CreateOrUpdateUserArgs, ResolvedConfig } from "../config.js";
import type { MutationCtx, UserId, UserProfile } from "../types.js";

/** The app's `users` table, written through the app's callbacks. */
export interface UserStore {
  /**
   * Creates the user (or updates `existingUserId`) for a sign-in, through
   * `callbacks.createOrUpdateUser` or the default below, then runs
   * `callbacks.afterUserCreatedOrUpdated`; all in the step's transaction.
   *
   * The default, for a new account (`existingUserId` null) while a user is
   * signed in on this client: a guest is upgraded (the profile is written on
   * it and `isAnonymous` removed: same id, same data); a full user gains the
   * account only when the client asked to link it (`link: true`), keeping
   * their fields and gaining only those they lacked; otherwise the account
   * makes a new user. A guest profile never joins a signed-in user.
   */
  createOrUpdate(args: { provider: string; profile: UserProfile; existingUserId: UserId | null }): Promise<UserId>;
}

/** The default `createOrUpdateUser`. */
async function createOrUpdateDefault(ctx: MutationCtx, args: CreateOrUpdateUserArgs): Promise<UserId> {
  const { existingUserId, signedInUserId, profile } = args;
  const fields = withoutUndefined(profile);
  if (existingUserId !== null) {
    await ctx.db.patch(existingUserId, fields);
    return existingUserId;
  }
  const signedIn = signedInUserId === null || profile.isAnonymous ? null : await ctx.db.get(signedInUserId);
  if (signedIn === null || (signedIn.isAnonymous !== true && !args.link)) return (await ctx.db.insert("users", fields)) as UserId;
  if (signedIn.isAnonymous === true) {
    await ctx.db.patch(signedInUserId!, { ...fields, isAnonymous: undefined });
  } else {
    const missing = Object.fromEntries(Object.entries(fields).filter(([name]) => signedIn[name] === undefined));
    await ctx.db.patch(signedInUserId!, missing);
  }
  return signedInUserId!;
}

export function userStore(ctx: MutationCtx, config: ResolvedConfig, signedInUserId: UserId | null, link: boolean): UserStore {
  return {
    async createOrUpdate({ provider, profile, existingUserId }) {
      const { createOrUpdateUser, afterUserCreatedOrUpdated } = config.callbacks;
      const args = { existingUserId, signedInUserId, link, provider, profile };
      const userId = await (createOrUpdateUser ?? createOrUpdateDefault)(ctx, args);
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
