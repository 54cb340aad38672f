import { authTables, convexAuth } from "@convex-dev/auth/server";
import { defineSchema, httpRouter } from "convex/server";

type Providers = Parameters<typeof convexAuth>[0]["providers"];

/**
 * Everything a v1 app deploys for auth, as its docs set it up: `auth.ts`
 * (the functions), `schema.ts` (`authTables`), `http.ts` (its routes) and
 * `auth.config.ts`. Bundle entries call this with their providers.
 */
export function v1App(providers: Providers) {
  const functions = convexAuth({ providers });
  const http = httpRouter();
  functions.auth.addHttpRoutes(http);
  const schema = defineSchema({ ...authTables });
  const authConfig = { providers: [{ domain: "https://example.convex.site", applicationID: "convex" }] };
  return { ...functions, http, schema, authConfig };
}
