import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";
import { authUserFields } from "convex-warden/server";

export default defineSchema({
  users: defineTable({
    ...authUserFields,
    /** An app-specific field next to the auth fields. */
    favoriteColor: v.optional(v.string()),
  }).index("email", ["email"]),
});
