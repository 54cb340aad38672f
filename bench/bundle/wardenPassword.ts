/**
 * Bundle entry: the server side of a convex-warden app with Password only:
 * the example app's modules with its auth reduced to Password (the example
 * also offers its local "Dev OIDC" provider), the component it mounts and the
 * rate limiter that component mounts. A deployment bundles each component on
 * its own; one bundle here counts shared code (`convex`) once.
 */
import { Password } from "convex-warden/providers/Password";
import { convexAuth } from "convex-warden/server";
import { components } from "../../example/convex/_generated/api";

export const { signIn, signOut, refresh, signInStep, signInAction, auth } = convexAuth(components.warden, {
  providers: [Password()],
});
export * from "./wardenModules";
