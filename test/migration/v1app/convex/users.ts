import { getAuthUserId as v1GetAuthUserId } from "@convex-dev/auth/server";
import { getAuthUserId } from "convex-warden/server";
import { v } from "convex/values";
import { query } from "./_generated/server";

/** Who the caller is, as each library's helper reads the verified token. */
export const viewer = query({
  args: {},
  returns: v.object({ warden: v.union(v.id("users"), v.null()), v1: v.union(v.id("users"), v.null()) }),
  handler: async (ctx) => ({ warden: await getAuthUserId(ctx), v1: await v1GetAuthUserId(ctx) }),
});
