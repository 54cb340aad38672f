import type { GenericDataModel, GenericQueryCtx } from "convex/server";
import { wardenError } from "../shared/errors/index.js";
import { recordEvent } from "./events.js";
import { liveSessionHelpers } from "./liveSession.js";
import type { MutationCtx } from "./types.js";
import type { Warden } from "./warden.js";

type ReadCtx = Pick<GenericQueryCtx<GenericDataModel>, "auth" | "runQuery">;

/**
 * The signed-in user's sign-in methods. Linking one is signing in with it
 * while signed in: a new account joins the signed-in user (see
 * `callbacks.createOrUpdateUser`). Unlinking one never removes the last.
 */

/** One way the user signs in: the provider and the identifier within it. */
export interface LinkedAccount {
  provider: string;
  /** The email, username or provider subject; never the stored credential. */
  providerAccountId: string;
}

async function callerId(ctx: ReadCtx, warden: Warden) {
  const userId = await liveSessionHelpers(warden).getUserId(ctx);
  if (userId === null) throw wardenError({ code: "NOT_SIGNED_IN" });
  return userId;
}

/** The caller's accounts. */
export async function listAccounts(ctx: ReadCtx, warden: Warden): Promise<LinkedAccount[]> {
  const userId = await callerId(ctx, warden);
  const accounts = await ctx.runQuery(warden.component.accounts.listForUser, { userId });
  return accounts.map(({ provider, providerAccountId }) => ({ provider, providerAccountId }));
}

/**
 * Removes one of the caller's accounts. Throws `ACCOUNT_NOT_FOUND` if they
 * have no such account, `LAST_ACCOUNT` if it is their only way to sign in.
 */
export async function unlinkAccount(ctx: MutationCtx, warden: Warden, account: LinkedAccount): Promise<null> {
  const userId = await callerId(ctx, warden);
  const result = await ctx.runMutation(warden.component.accounts.unlink, { userId, ...account });
  if (result === "notFound") throw wardenError({ code: "ACCOUNT_NOT_FOUND" });
  if (result === "lastAccount") throw wardenError({ code: "LAST_ACCOUNT" });
  await recordEvent(ctx, warden, { type: "accountUnlinked", userId, provider: account.provider });
  return null;
}
