import { convexAuth } from "convex-warden/server";
import { Password } from "convex-warden/providers/Password";
import { components } from "./_generated/api";
import type { DataModel } from "./_generated/dataModel";

export const { signIn, signOut, refresh, auth } = convexAuth<DataModel>(components.warden, {
  providers: [Password()],
  jwt: {
    // Claims the app's own backend (or a third-party service) can read from the token.
    customClaims: async (ctx, { userId }) => {
      const user = await ctx.db.get(userId);
      return { email: user?.email ?? null };
    },
  },
});
