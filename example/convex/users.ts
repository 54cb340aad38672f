import { v } from "convex/values";
import { getAuthUserId } from "convex-warden/server";
import { query } from "./_generated/server";
import { auth } from "./auth";
import { authQuery } from "./functions";

/** The signed-in user, from the access token alone (no extra reads). */
export const viewer = query({
  args: {},
  returns: v.union(
    v.null(),
    v.object({ id: v.id("users"), email: v.optional(v.string()) }),
  ),
  handler: async (ctx) => {
    const userId = await getAuthUserId(ctx);
    if (userId === null) return null;
    const user = await ctx.db.get("users", userId);
    return user === null ? null : { id: user._id, email: user.email };
  },
});

/** The signed-in user, only while their session is live (revocation is immediate). */
export const viewerLive = query({
  args: {},
  returns: v.union(v.null(), v.id("users")),
  handler: async (ctx) => auth.getUserId(ctx),
});

/** The signed-in user's document, through the checked builder (live session required). */
export const me = authQuery({
  args: {},
  returns: v.object({ id: v.id("users"), email: v.union(v.string(), v.null()), guest: v.boolean() }),
  handler: async (ctx) => ({ id: ctx.user._id, email: ctx.user.email ?? null, guest: ctx.user.isAnonymous === true }),
});
