import { ConvexError, v } from "convex/values";
import { getAuthUserId, requireAuthUserId } from "convex-warden/server";
import { mutation, query } from "./_generated/server";
import { memberMutation } from "./functions";

/** The signed-in user's favorite color (an app-specific field beside the auth fields), live. */
export const favoriteColor = query({
  args: {},
  returns: v.union(v.null(), v.string()),
  handler: async (ctx) => {
    const userId = await getAuthUserId(ctx);
    const user = userId === null ? null : await ctx.db.get("users", userId);
    return user?.favoriteColor ?? null;
  },
});

export const setFavoriteColor = mutation({
  args: { color: v.string() },
  returns: v.null(),
  handler: async (ctx, { color }) => {
    const userId = await requireAuthUserId(ctx);
    const trimmed = color.trim();
    if (trimmed.length === 0 || trimmed.length > 40) throw new ConvexError({ code: "INVALID_ARGUMENT" });
    await ctx.db.patch("users", userId, { favoriteColor: trimmed });
    return null;
  },
});

/** Sets the display name: members only, guests are refused. */
export const setName = memberMutation({
  args: { name: v.string() },
  returns: v.null(),
  handler: async (ctx, { name }) => {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 60) throw new ConvexError({ code: "INVALID_ARGUMENT" });
    await ctx.db.patch("users", ctx.userId, { name: trimmed });
    return null;
  },
});
