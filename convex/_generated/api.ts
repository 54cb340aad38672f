/* Generated-style references for the warden component (committed; no codegen runs offline). */
import type * as accountImport from "../accountImport.js";
import type * as accounts from "../accounts.js";
import type * as challenges from "../challenges.js";
import type * as events from "../events.js";
import type * as housekeeping from "../housekeeping.js";
import type * as limits from "../limits.js";
import type * as sends from "../sends.js";
import type * as sessions from "../sessions.js";
import type * as users from "../users.js";
import type {
  ApiFromModules,
  FilterApi,
  FunctionReference,
} from "convex/server";
import { anyApi, componentsGeneric } from "convex/server";
import type { ComponentApi as RateLimiterApi } from "@convex-dev/rate-limiter/_generated/component.js";

declare const fullApi: ApiFromModules<{
  accountImport: typeof accountImport;
  accounts: typeof accounts;
  challenges: typeof challenges;
  events: typeof events;
  housekeeping: typeof housekeeping;
  limits: typeof limits;
  sends: typeof sends;
  sessions: typeof sessions;
  users: typeof users;
}>;

export type FullApi = typeof fullApi;
export type PublicApi = FilterApi<FullApi, FunctionReference<any, "public">>;

export const api: PublicApi = anyApi as unknown as PublicApi;
export const internal: FilterApi<
  FullApi,
  FunctionReference<any, "internal">
> = anyApi as unknown as FilterApi<FullApi, FunctionReference<any, "internal">>;

/** The components this one mounts (`convex.config.ts`). */
export const components = componentsGeneric() as unknown as {
  rateLimiter: RateLimiterApi<"rateLimiter">;
};
