/* Generated-style references for the example app (committed; no codegen runs offline). */
import type * as auth from "../auth.js";
import type * as functions from "../functions.js";
import type * as profile from "../profile.js";
import type * as users from "../users.js";
import type * as worker from "../worker.js";
import type {
  ApiFromModules,
  FilterApi,
  FunctionReference,
} from "convex/server";
import { anyApi, componentsGeneric } from "convex/server";
import type { ComponentApi as WardenApi } from "convex-warden/_generated/component.js";

declare const fullApi: ApiFromModules<{
  auth: typeof auth;
  functions: typeof functions;
  profile: typeof profile;
  users: typeof users;
  worker: typeof worker;
}>;

type PublicApi = FilterApi<typeof fullApi, FunctionReference<any, "public">>;
type InternalApi = FilterApi<typeof fullApi, FunctionReference<any, "internal">>;

export const api: PublicApi = anyApi as unknown as PublicApi;
export const internal: InternalApi = anyApi as unknown as InternalApi;

export const components = componentsGeneric() as unknown as {
  warden: WardenApi<"warden">;
};
