import { v } from "convex/values";

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
