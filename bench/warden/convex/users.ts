import { getAuthUserId } from "convex-warden/server";
import { v } from "convex/values";
import { query } from "./_generated/server";
import { auth } from "./auth";

/** The signed-in user, from the access token alone: as `example/convex/users.ts`. */
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

/** The signed-in user's id while their session is live: as `example/convex/users.ts`. */
export const viewerLive = query({
  args: {},
  returns: v.union(v.null(), v.id("users")),
  handler: async (ctx) => auth.getUserId(ctx),
});
