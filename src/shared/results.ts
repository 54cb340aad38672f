import { v, type Infer } from "convex/values";
import { vWardenErrorData } from "./errors.js";

/**
 * What the app's `signIn` and `refresh` mutations return to clients. Failures
 * that must be counted (a wrong password, a reused refresh token) are returned,
 * not thrown: a throw would roll the counter back with the transaction. The
 * client turns `failed` into a `ConvexError` with the same data.
 */
export const vTokens = v.object({
  /** The access JWT, for `Authorization: Bearer` and Convex's `setAuth`. */
  token: v.string(),
  /** The secret that gets the next access token. Store it; never log it. */
  refreshToken: v.string(),
  /** How long `token` stays valid, from when it was issued. */
  expiresInMs: v.number(),
});
export type Tokens = Infer<typeof vTokens>;

export const vSignedIn = v.object({ kind: v.literal("signedIn"), tokens: vTokens });
export const vFailed = v.object({ kind: v.literal("failed"), error: vWardenErrorData });

export const vSignInResult = v.union(vSignedIn, vFailed);
export type SignInResult = Infer<typeof vSignInResult>;

export const vRefreshResult = v.union(vSignedIn, vFailed);
export type RefreshResult = Infer<typeof vRefreshResult>;
