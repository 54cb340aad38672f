import type { GenericDataModel, GenericQueryCtx } from "convex/server";
import type { Value } from "convex/values";
import { createAccount, modifyAccountCredentials, retrieveAccount, signInViaProvider } from "./accountHelpers.js";
import { listAccounts, unlinkAccount, type LinkedAccount } from "./accountManagement.js";
import type { StoredAuthEvent } from "./events.js";
import { customFunctionBuilders } from "./functions.js";
import { liveSessionHelpers } from "./liveSession.js";
import type { AnyProvider } from "./provider.js";
import {
  invalidateSessions,
  listSessions,
  revokeAllSessions,
  revokeOtherSessions,
  revokeSession,
} from "./sessionManagement.js";
import type { MutationCtx, SessionId, UserId, UserProfile } from "./types.js";
import { deleteUser, disableUser, enableUser, userStatus } from "./userManagement.js";
import type { Warden } from "./warden.js";

type ReadCtx = Pick<GenericQueryCtx<GenericDataModel>, "auth" | "runQuery">;

/**
 * The server helpers `convexAuth` returns as `auth`, bound to the app's
 * configuration: who is calling, their sessions and accounts, users, events
 * and v1's account helpers. Use them in the app's own functions.
 */
export function authHelpers(warden: Warden) {
  const live = liveSessionHelpers(warden);
  return {
    ...live,
    ...customFunctionBuilders(live),
    /** The caller's live sessions (SES-6). */
    listSessions: (ctx: ReadCtx, options?: { limit?: number }) => listSessions(ctx, warden, options),
    /** Ends one of the caller's sessions. */
    revokeSession: (ctx: MutationCtx, sessionId: SessionId) => revokeSession(ctx, warden, sessionId),
    /** Ends the caller's other sessions. */
    revokeOtherSessions: (ctx: MutationCtx) => revokeOtherSessions(ctx, warden),
    /** Ends all the caller's sessions. */
    revokeAllSessions: (ctx: MutationCtx) => revokeAllSessions(ctx, warden),
    /** Signs a user out everywhere (but `except`), from any of the app's mutations. */
    invalidateSessions: (ctx: MutationCtx, args: { userId: UserId; except?: SessionId[] }) =>
      invalidateSessions(ctx, warden, args),
    /** The caller's sign-in methods. */
    listAccounts: (ctx: ReadCtx) => listAccounts(ctx, warden),
    /** Removes one of the caller's sign-in methods, never the last. */
    unlinkAccount: (ctx: MutationCtx, account: LinkedAccount) => unlinkAccount(ctx, warden, account),
    /** Whether a user is disabled. */
    getUserStatus: (ctx: ReadCtx, userId: UserId) => userStatus(ctx, warden, userId),
    /** Disables a user: no sign-in or refresh, sessions ended. */
    disableUser: (ctx: MutationCtx, userId: UserId, options?: { reason?: string }) => disableUser(ctx, warden, userId, options),
    /** Lets a disabled user sign in again. */
    enableUser: (ctx: MutationCtx, userId: UserId) => enableUser(ctx, warden, userId),
    /** Deletes a user: the component's rows and, through `callbacks.deleteUser`, the app's. */
    deleteUser: (ctx: MutationCtx, userId: UserId) => deleteUser(ctx, warden, userId),
    /** A user's recent auth events, newest first (at most `limit`, default 20, at most 100). */
    listEvents: async (ctx: ReadCtx, userId: UserId, options: { limit?: number } = {}): Promise<StoredAuthEvent[]> =>
      ctx.runQuery(warden.component.events.listForUser, { userId, ...options }),
    /** v1's `createAccount`. */
    createAccount: (ctx: MutationCtx, args: { provider: string; account: { id: string; secret?: string }; profile: UserProfile }) =>
      createAccount(ctx, warden, args),
    /** v1's `retrieveAccount`. */
    retrieveAccount: (ctx: MutationCtx, args: { provider: string; account: { id: string; secret?: string } }) =>
      retrieveAccount(ctx, warden, args),
    /** v1's `modifyAccountCredentials`. */
    modifyAccountCredentials: (ctx: MutationCtx, args: { provider: string; account: { id: string; secret: string } }) =>
      modifyAccountCredentials(ctx, warden, args),
    /** v1's `signInViaProvider`: runs a provider's step, starts no session. */
    signInViaProvider: (ctx: MutationCtx, provider: string | AnyProvider, params: Record<string, Value | undefined>) =>
      signInViaProvider(ctx, warden, provider, params),
  };
}
