import { action, mutation, query } from "./_generated/server";
import { auth } from "./auth";

/**
 * Function builders that check the caller once, here: a function declared
 * with them runs only for a signed-in user with a live session, and gets
 * `ctx.user` (their document), `ctx.userId` and `ctx.sessionId`.
 */
export const authQuery = auth.customQuery(query);
/** Mutations for signed-in users who are not guests (guests get GUEST_NOT_ALLOWED). */
export const memberMutation = auth.customMutation(mutation, { allowGuests: false });
/** Actions for signed-in users (`ctx.userId`, `ctx.sessionId`; actions have no database). */
export const authAction = auth.customAction(action);
