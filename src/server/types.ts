import type {
  GenericActionCtx,
  GenericDataModel,
  GenericMutationCtx,
  GenericQueryCtx,
} from "convex/server";
import type { GenericId, JSONValue, Value } from "convex/values";
import type { ComponentApi } from "../../convex/_generated/component.js";

/** The mounted component, as `components.warden` in the app's `_generated/api`. */
export type WardenComponent = ComponentApi;

/** A user: a document of the app's own `users` table. */
export type UserId = GenericId<"users">;

/**
 * A session: a row the warden component keeps, named by the `sid` claim of
 * every access token. Branded, so it cannot be passed where a user id is
 * wanted; `vSessionId` validates it in the app's own functions.
 */
export type SessionId = string & { readonly __wardenSessionId: true };

/** The parameters a client passes to `signIn(provider, params)`, as sent. */
export type SignInParams = Record<string, Value | undefined>;

/** What a provider knows about the person signing in. */
export interface UserProfile {
  email?: string;
  name?: string;
  image?: string;
  phone?: string;
  emailVerificationTime?: number;
  phoneVerificationTime?: number;
  isAnonymous?: boolean;
  [field: string]: Value | undefined;
}

/** What the runtime says about the request a step serves (`ctx.meta.getRequestMetadata()`). */
export interface RequestInfo {
  /** The client's IP address, or null where the runtime does not give it. */
  ip: string | null;
  userAgent: string | null;
}

export type MutationCtx = GenericMutationCtx<GenericDataModel>;
export type ActionCtx = GenericActionCtx<GenericDataModel>;
export type QueryCtxWithAuth = Pick<GenericQueryCtx<GenericDataModel>, "auth">;

export type CustomClaims = Record<string, JSONValue>;
