import { v, type Infer, type ObjectType } from "convex/values";
import { mutation, query, type MutationCtx } from "./_generated/server.js";

/**
 * The auth events of each user (LOG-1), as the `events` table keeps them.
 * The app-side library records them; the app reads a user's recent ones.
 * Each expires after the retention the app chose; housekeeping deletes it.
 */
export const AUTH_EVENT_TYPES = [
  "signIn",
  "signInFailed",
  "lockout",
  "signOut",
  "sessionRevoked",
  "credentialsChanged",
  "passwordChanged",
  "passwordReset",
  "emailVerified",
  "emailChanged",
  "accountLinked",
  "accountUnlinked",
  "guestUpgraded",
  "userDisabled",
  "userEnabled",
  "userDeleted",
] as const;

export const vAuthEventType = v.union(...AUTH_EVENT_TYPES.map((type) => v.literal(type)));
export type AuthEventType = Infer<typeof vAuthEventType>;

/** An event's fields besides its user and type. None of them is ever a secret (LOG-2). */
export const vEventDetails = {
  provider: v.optional(v.string()),
  sessionId: v.optional(v.string()),
  reason: v.optional(v.string()),
  device: v.optional(v.string()),
  network: v.optional(v.string()),
};

/** Fields are labels and ids, never free text: longer values are cut. */
const MAX_FIELD = 128;

export const vEventArgs = { userId: v.string(), type: vAuthEventType, retentionMs: v.number(), ...vEventDetails };
export type EventArgs = ObjectType<typeof vEventArgs>;

/** Writes one event row: a helper for the functions that record one as they change something. */
export async function insertEvent(ctx: MutationCtx, { userId, type, retentionMs, ...details }: EventArgs) {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(details)) if (value !== undefined) fields[name] = value.slice(0, MAX_FIELD);
  await ctx.db.insert("events", { userId, type, ...fields, expiresAt: Date.now() + retentionMs });
}

/** Records one event for `userId`, kept for `retentionMs`. Writes one row, reads nothing. */
export const record = mutation({
  args: vEventArgs,
  returns: v.null(),
  handler: async (ctx, event) => {
    await insertEvent(ctx, event);
    return null;
  },
});

/** A user's most recent events, newest first: at most `limit` (default 20, at most 100). */
export const listForUser = query({
  args: { userId: v.string(), limit: v.optional(v.number()) },
  returns: v.array(v.object({ type: vAuthEventType, at: v.number(), ...vEventDetails })),
  handler: async (ctx, { userId, limit = 20 }) => {
    const count = Number.isFinite(limit) ? Math.max(1, Math.min(100, Math.floor(limit))) : 20;
    const rows = await ctx.db
      .query("events")
      .withIndex("userId", (q) => q.eq("userId", userId))
      .order("desc")
      .take(count);
    const now = Date.now();
    return rows
      .filter((row) => row.expiresAt > now)
      .map(({ type, _creationTime, provider, sessionId, reason, device, network }) => ({
        type: type as AuthEventType,
        at: _creationTime,
        ...(provider === undefined ? {} : { provider }),
        ...(sessionId === undefined ? {} : { sessionId }),
        ...(reason === undefined ? {} : { reason }),
        ...(device === undefined ? {} : { device }),
        ...(network === undefined ? {} : { network }),
      }));
  },
});
