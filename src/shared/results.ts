import { v, type Infer } from "convex/values";
import { ERROR_CODES, type WardenErrorData } from "./errors.js";

/**
 * What the app's `signIn` and `refresh` mutations return to clients. Failures
 * that must be counted (a wrong password, a reused refresh token) are returned,
 * not thrown: a throw would roll the counter back with the transaction. The
 * client turns `failed` into a `ConvexError` with the same data.
 */
// Validators live here, not beside the codes, so browser bundles that only
// need the codes and the type guard do not carry them.
export const vErrorCode = v.union(...ERROR_CODES.map((code) => v.literal(code)));

export const vWardenErrorData = v.object({
  code: vErrorCode,
  retryAfterMs: v.optional(v.number()),
  reason: v.optional(v.string()),
  message: v.optional(v.string()),
});

// The validator and the interface must describe the same payload.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _sameErrorData: Same<Infer<typeof vWardenErrorData>, WardenErrorData> = true;
void _sameErrorData;

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
