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

export * as authConfig from "../../example/convex/auth.config";
export * as convexConfig from "../../example/convex/convex.config";
export * as schema from "../../example/convex/schema";
export * as accounts from "../../convex/accounts";
export * as componentConfig from "../../convex/convex.config";
export * as componentSchema from "../../convex/schema";
export * as challenges from "../../convex/challenges";
export * as housekeeping from "../../convex/housekeeping";
export * as limits from "../../convex/limits";
export * as sessions from "../../convex/sessions";
// The rate limiter's own functions: its package exports no path to them.
export * as rateLimiter from "../../node_modules/@convex-dev/rate-limiter/dist/component/lib.js";
export * as rateLimiterSchema from "../../node_modules/@convex-dev/rate-limiter/dist/component/schema.js";
