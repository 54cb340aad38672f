/* Generated-style references for the warden component (committed; no codegen runs offline). */
import type * as accounts from "../accounts.js";
import type * as rateLimits from "../rateLimits.js";
import type * as sessions from "../sessions.js";
import type {
  ApiFromModules,
  FilterApi,
  FunctionReference,
} from "convex/server";
import { anyApi } from "convex/server";

declare const fullApi: ApiFromModules<{
  accounts: typeof accounts;
  rateLimits: typeof rateLimits;
  sessions: typeof sessions;
}>;

export type FullApi = typeof fullApi;
export type PublicApi = FilterApi<FullApi, FunctionReference<any, "public">>;

export const api: PublicApi = anyApi as unknown as PublicApi;
export const internal: FilterApi<
  FullApi,
  FunctionReference<any, "internal">
> = anyApi as unknown as FilterApi<FullApi, FunctionReference<any, "internal">>;
