import type { UserIdentity } from "convex/server";
import { deploymentUrl } from "../lib/env.js";
import { wardenError } from "../shared/errors/index.js";
import type { QueryCtxWithAuth, SessionId, UserId } from "./types.js";

/**
 * Who is calling, from the access token Convex already verified. These
 * helpers read no documents; for a check against live sessions (a token minted
 * before a sign-out still verifies until it expires) use `auth.getSession`.
 */

/** The audience of every access token convex-warden mints. */
export const TOKEN_AUDIENCE = "convex";

/** Set to `true` in the tokens of guests (anonymous users), so backends can refuse them (JWT-3). */
export const GUEST_CLAIM = "guest";

/** The identity if it came from a token this deployment minted, else null. */
export async function getWardenIdentity(
  ctx: QueryCtxWithAuth,
): Promise<(UserIdentity & { sid: string }) | null> {
  const identity = await ctx.auth.getUserIdentity();
  if (identity === null || identity.issuer !== deploymentUrl()) return null;
  const sid = identity.sid;
  return typeof sid === "string" ? { ...identity, sid } : null;
}

/** The signed-in user's id, or null. */
export async function getAuthUserId(ctx: QueryCtxWithAuth): Promise<UserId | null> {
  const identity = await getWardenIdentity(ctx);
  return identity === null ? null : (identity.subject as UserId);
}

/** The current session's id, or null. */
export async function getAuthSessionId(ctx: QueryCtxWithAuth): Promise<SessionId | null> {
  const identity = await getWardenIdentity(ctx);
  return identity === null ? null : (identity.sid as SessionId);
}

/** Whether the caller is a guest (an anonymous user): their token carries the guest claim (JWT-3). */
export async function isGuest(ctx: QueryCtxWithAuth): Promise<boolean> {
  const identity = await getWardenIdentity(ctx);
  return identity !== null && identity[GUEST_CLAIM] === true;
}

/** Who a function accepts. */
export interface RequireOptions {
  /** Whether guests (anonymous users) pass; if not, they get `GUEST_NOT_ALLOWED`. Default true. */
  allowGuests?: boolean;
}

/**
 * The signed-in user's id; throws `NOT_SIGNED_IN` when there is none, and
 * `GUEST_NOT_ALLOWED` for a guest when `allowGuests` is false.
 */
export async function requireAuthUserId(ctx: QueryCtxWithAuth, options: RequireOptions = {}): Promise<UserId> {
  const identity = await getWardenIdentity(ctx);
  if (identity === null) throw wardenError({ code: "NOT_SIGNED_IN" });
  if (options.allowGuests === false && identity[GUEST_CLAIM] === true) throw wardenError({ code: "GUEST_NOT_ALLOWED" });
  return identity.subject as UserId;
}
