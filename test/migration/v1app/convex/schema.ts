import { authTables } from "@convex-dev/auth/server";
import { defineSchema } from "convex/server";

/**
 * An app on @convex-dev/auth 0.0.95 ("v1") part way through its move to
 * convex-warden: v1's tables are still in the schema (its `users` table is
 * the app's, and its fields are the ones convex-warden writes), and the
 * warden component is mounted beside them.
 */
export default defineSchema({
  ...authTables,
});
