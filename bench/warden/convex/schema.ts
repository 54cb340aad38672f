import { defineSchema, defineTable } from "convex/server";
import { authUserFields } from "convex-warden/server";

export default defineSchema({
  users: defineTable(authUserFields).index("email", ["email"]),
});
