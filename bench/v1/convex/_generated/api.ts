/* Generated-style references for the v1 bench app (committed; no codegen runs offline). */
import type * as auth from "../auth.js";
import type * as http from "../http.js";
import type * as users from "../users.js";
import type {
  ApiFromModules,
  FilterApi,
  FunctionReference,
} from "convex/server";
import { anyApi } from "convex/server";

declare const fullApi: ApiFromModules<{
  auth: typeof auth;
  http: typeof http;
  users: typeof users;
}>;

type PublicApi = FilterApi<typeof fullApi, FunctionReference<any, "public">>;
type InternalApi = FilterApi<typeof fullApi, FunctionReference<any, "internal">>;

export const api: PublicApi = anyApi as unknown as PublicApi;
export const internal: InternalApi = anyApi as unknown as InternalApi;
