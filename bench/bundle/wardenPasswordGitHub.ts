/**
 * Bundle entry: the server side of a convex-warden app with Password and
 * GitHub: the example app's modules with GitHub added to its providers, the
 * `http.ts` that mounts GitHub's routes, the component it mounts and the rate
 * limiter that component mounts.
 */
import GitHub from "@auth/core/providers/github";
import { httpRouter } from "convex/server";
import { OAuth } from "convex-warden/providers/OAuth";
import { Password } from "convex-warden/providers/Password";
import { convexAuth } from "convex-warden/server";
import { components } from "../../example/convex/_generated/api";

export const { signIn, signOut, refresh, signInStep, signInAction, auth } = convexAuth(components.warden, {
  providers: [Password(), OAuth(GitHub)],
});
export const http = httpRouter();
auth.addHttpRoutes(http);

export * from "./wardenModules";
