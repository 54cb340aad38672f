/**
 * Bundle entry: the server side of a convex-warden app with Password only,
 * which is the example app, and the component it mounts. A deployment bundles
 * the component on its own; one bundle here counts shared code (`convex`) once.
 */
export * as auth from "../../example/convex/auth";
export * as authConfig from "../../example/convex/auth.config";
export * as convexConfig from "../../example/convex/convex.config";
export * as schema from "../../example/convex/schema";
export * as accounts from "../../convex/accounts";
export * as componentConfig from "../../convex/convex.config";
export * as componentSchema from "../../convex/schema";
export * as rateLimits from "../../convex/rateLimits";
export * as sessions from "../../convex/sessions";
