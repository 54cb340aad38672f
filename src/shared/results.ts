import { v, type Infer } from "convex/values";
import { vErrorDataOf, vWardenErrorData } from "./errors/catalog.js";

/**
 * What the app's `signIn` and `refresh` mutations return to clients: one
 * discriminated union a client switches on exhaustively. Failures that must
 * be counted (a wrong password, a reused refresh token) are returned, not
 * thrown: a throw would roll the counter back with the transaction. The
 * client turns `failed` into a thrown `ConvexError` with the same data.
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

/** Signed in: the session's first tokens. */
export const vSignedIn = v.object({ kind: v.literal("signedIn"), tokens: vTokens });

/** A one-time code (or link) is on its way; the next call of the provider verifies it. */
export const vCodeSent = v.object({
  kind: v.literal("codeSent"),
  provider: v.string(),
  /** Where it went, masked for display: `a•••e@example.com`, `+44•••••••23`. */
  destination: v.string(),
  /** When another code may be requested, if the server limits resends. */
  resendAfterMs: v.optional(v.number()),
  /**
   * For a link bound to this browser: what the browser keeps to redeem it
   * when the link brings it back. Only its holder can use the link.
   */
  verifier: v.optional(v.string()),
});

/** The browser must go to `url` (an OAuth provider) and come back to finish. */
export const vRedirect = v.object({
  kind: v.literal("redirect"),
  provider: v.string(),
  url: v.string(),
  /** What this browser keeps until it comes back: only its holder can finish the flow. */
  verifier: v.string(),
});

/** The first factor is right; a second one (`factors`) must follow, with `pendingToken`. */
export const vSecondFactorRequired = v.object({
  kind: v.literal("secondFactorRequired"),
  /** Short-lived and single use; send it with the second factor's `signIn`. */
  pendingToken: v.string(),
  expiresInMs: v.number(),
  /** The providers that can complete the sign-in. */
  factors: v.array(v.string()),
});

export const vFailed = v.object({ kind: v.literal("failed"), error: vWardenErrorData });

export const vSignInResult = v.union(vSignedIn, vCodeSent, vRedirect, vSecondFactorRequired, vFailed);
export type SignInResult = Infer<typeof vSignInResult>;

/** What a refresh fails with: a token that is not (or no longer) the session's, or a session that ended. */
export const REFRESH_ERRORS = ["INVALID_REFRESH_TOKEN", "REFRESH_TOKEN_REUSED", "SESSION_EXPIRED"] as const;

export const vRefreshResult = v.union(
  vSignedIn,
  v.object({ kind: v.literal("failed"), error: vErrorDataOf(REFRESH_ERRORS) }),
);
/** What this server's refresh answers with. */
export type RefreshAnswer = Infer<typeof vRefreshResult>;
/** A refresh's result as clients take it: any code may come, from a newer server. */
export type RefreshResult = Infer<typeof vSignedIn> | Infer<typeof vFailed>;
