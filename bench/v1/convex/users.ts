import { getAuthUserId } from "@convex-dev/auth/server";
import { v } from "convex/values";
import { query } from "./_generated/server";

/** The signed-in user: the same query as the warden app's `users.viewer`. */
export const viewer = query({
  args: {},
  returns: v.union(
    v.null(),
    v.object({ id: v.id("users"), email: v.optional(v.string()) }),
  ),
  handler: async (ctx) => {
    const userId = await getAuthUserId(ctx);
    if (userId === null) return null;
    const user = await ctx.db.get(userId);
    return user === null ? null : { id: user._id, email: user.email };
  },
});
