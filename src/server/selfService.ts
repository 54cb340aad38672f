import { mutationGeneric, queryGeneric } from "convex/server";
import { v } from "convex/values";
import { listAccounts, unlinkAccount } from "./accountManagement.js";
import { vSessionId } from "./ids.js";
import { listSessions, revokeAllSessions, revokeOtherSessions, revokeSession } from "./sessionManagement.js";
import type { Warden } from "./warden.js";

const vSessionInfo = v.object({
  sessionId: vSessionId,
  createdAt: v.number(),
  lastUsedAt: v.number(),
  expiresAt: v.number(),
  device: v.union(v.string(), v.null()),
  network: v.union(v.string(), v.null()),
  guest: v.boolean(),
  current: v.boolean(),
});

const vRevoked = v.object({ revoked: v.number(), more: v.boolean() });

/**
 * The functions a signed-in user calls on their own sessions and accounts
 * (SES-6), ready to export from `convex/auth.ts`. Each needs a live session
 * and throws `NOT_SIGNED_IN` otherwise; none returns a secret.
 */
export function selfServiceFunctions(warden: Warden) {
  return {
    /** The caller's live sessions, newest first: device, network, times, which is current. */
    listSessions: queryGeneric({
      args: {},
      returns: v.array(vSessionInfo),
      handler: (ctx) => listSessions(ctx, warden),
    }),
    /** Ends one of the caller's sessions; false if it is not theirs or already over. */
    revokeSession: mutationGeneric({
      args: { sessionId: vSessionId },
      returns: v.boolean(),
      handler: (ctx, { sessionId }) => revokeSession(ctx, warden, sessionId),
    }),
    /** Ends all the caller's sessions but this one. */
    revokeOtherSessions: mutationGeneric({
      args: {},
      returns: vRevoked,
      handler: (ctx) => revokeOtherSessions(ctx, warden),
    }),
    /** Ends all the caller's sessions, this one included. */
    revokeAllSessions: mutationGeneric({
      args: {},
      returns: vRevoked,
      handler: (ctx) => revokeAllSessions(ctx, warden),
    }),
    /** The caller's sign-in methods: provider and identifier. */
    listAccounts: queryGeneric({
      args: {},
      returns: v.array(v.object({ provider: v.string(), providerAccountId: v.string() })),
      handler: (ctx) => listAccounts(ctx, warden),
    }),
    /** Removes one of the caller's sign-in methods; never the last (LAST_ACCOUNT). */
    unlinkAccount: mutationGeneric({
      args: { provider: v.string(), providerAccountId: v.string() },
      returns: v.null(),
      handler: (ctx, account) => unlinkAccount(ctx, warden, account),
    }),
  };
}
