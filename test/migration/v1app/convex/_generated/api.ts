/* Generated-style references for the migration test app (committed; no codegen runs offline). */
import type * as auth from "../auth.js";
import type * as authImport from "../authImport.js";
import type * as authImportByBudget from "../authImportByBudget.js";
import type * as http from "../http.js";
import type * as users from "../users.js";
import type * as wardenAuth from "../wardenAuth.js";
import type { ApiFromModules, FilterApi, FunctionReference } from "convex/server";
import { anyApi, componentsGeneric } from "convex/server";
import type { ComponentApi as WardenApi } from "convex-warden/_generated/component.js";

declare const fullApi: ApiFromModules<{
  auth: typeof auth;
  authImport: typeof authImport;
  authImportByBudget: typeof authImportByBudget;
  http: typeof http;
  users: typeof users;
  wardenAuth: typeof wardenAuth;
}>;

type PublicApi = FilterApi<typeof fullApi, FunctionReference<any, "public">>;
type InternalApi = FilterApi<typeof fullApi, FunctionReference<any, "internal">>;

export const api: PublicApi = anyApi as unknown as PublicApi;
export const internal: InternalApi = anyApi as unknown as InternalApi;

export const components = componentsGeneric() as unknown as {
  warden: WardenApi<"warden">;
};
