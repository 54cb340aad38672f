/**
 * Bundle entry: the server side of a convex-warden app with Password only:
 * the example app with a Password-only `auth.ts`, the component it mounts and
 * the rate limiter that component mounts. A deployment bundles each component on its own; one bundle
 * here counts shared code (`convex`) once.
 */
export * as auth from "./wardenPasswordAuth";
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
