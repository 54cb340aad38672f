/**
 * A Password-only `convex/auth.ts`: the example app's, without the email
 * codes it also offers, so the Password bundle row measures Password alone.
 */
import { Password } from "convex-warden/providers/Password";
import { convexAuth } from "convex-warden/server";
import { components } from "../../example/convex/_generated/api";

export const { signIn, signOut, refresh, signInStep, signInAction, auth } = convexAuth(components.warden, {
  providers: [Password()],
});
