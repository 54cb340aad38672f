import { convexTest } from "convex-test";
import { componentsGeneric } from "convex/server";
import { convexAuth, type ConvexAuthOptions } from "convex-warden/server";
import { Password } from "convex-warden/providers/Password";
import { loadModules, type ModuleExports } from "../../dev/backend/modules";
import schema from "../../example/convex/schema";
import { limiterInspection, wardenInspection } from "../setup";

/**
 * The example app as `exampleApp` builds it, for tests in Node's environment
 * (real sockets): there convex-test must be handed modules already loaded,
 * since loading one inside a transaction sets a timer (see
 * `dev/backend/modules.ts`). `extra` adds app modules by path, e.g. a
 * `"use node"` module's exports.
 */
export async function loadedExampleApp(options: Partial<ConvexAuthOptions>, extra: Record<string, ModuleExports> = {}) {
  const auth = convexAuth(componentsGeneric().warden as never, { providers: [Password()], ...options });
  const { app, components } = await loadModules({ auth, ...extra });
  const t = convexTest(schema, app);
  for (const { name, schema: componentSchema, glob } of components) {
    const inspection = name === "warden" ? wardenInspection : name === "warden/rateLimiter" ? limiterInspection : null;
    const path = name === "warden" ? "../convex/inspection.ts" : "./component/inspection.ts";
    t.registerComponent(name, componentSchema, inspection === null ? glob : { ...glob, [path]: async () => inspection });
  }
  return t;
}
