/**
 * What every convex-warden bundle entry ships beside the app's `auth.ts`:
 * the example app's other modules, every module of the component it mounts,
 * and the rate limiter that component mounts.
 */
export * as authConfig from "../../example/convex/auth.config";
export * as convexConfig from "../../example/convex/convex.config";
export * as schema from "../../example/convex/schema";
export * as accountImport from "../../convex/accountImport";
export * as accounts from "../../convex/accounts";
export * as componentConfig from "../../convex/convex.config";
export * as componentSchema from "../../convex/schema";
export * as challenges from "../../convex/challenges";
export * as events from "../../convex/events";
export * as housekeeping from "../../convex/housekeeping";
export * as limits from "../../convex/limits";
export * as sends from "../../convex/sends";
export * as sessions from "../../convex/sessions";
export * as users from "../../convex/users";
// The rate limiter's own functions: its package exports no path to them.
export * as rateLimiter from "../../node_modules/@convex-dev/rate-limiter/dist/component/lib.js";
export * as rateLimiterSchema from "../../node_modules/@convex-dev/rate-limiter/dist/component/schema.js";
