import { convexAuth } from "convex-warden/server";
import { Password } from "convex-warden/providers/Password";
import { components } from "./_generated/api";

/** convex-warden, as the app's `convex/auth.ts` will be once v1 is gone; here beside v1's. */
export const { signIn, signOut, refresh, signInStep, signInAction, auth } = convexAuth(components.warden, {
  providers: [Password()],
  functionsModule: "wardenAuth",
});
