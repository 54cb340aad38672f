import { convexAuth } from "convex-warden/server";
import { Password } from "convex-warden/providers/Password";
import { components } from "./_generated/api";
import type { MutationCtx } from "./_generated/server";

export const { signIn, signOut, refresh, signInStep, signInAction, auth } = convexAuth(components.warden, {
  providers: [Password()],
  jwt: {
    // Claims the app's own backend (or a third-party service) can read from the token.
    // Typing `ctx` gives the callback the app's own tables.
    customClaims: async (ctx: MutationCtx, { userId }) => {
      const user = await ctx.db.get(userId);
      return { email: user?.email ?? null };
    },
  },
});
