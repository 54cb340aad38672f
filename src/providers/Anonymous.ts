import { v } from "convex/values";
import { defineProvider, type AuthProvider, type StepOutcome } from "../server/provider.js";
import type { SignInParams, UserProfile } from "../server/types.js";

/** Options of the `Anonymous` provider. */
export interface AnonymousOptions<Id extends string = "anonymous"> {
  /** The provider id clients pass to `signIn`. Default "anonymous". */
  id?: Id;
  /**
   * Extra fields stored on the new guest, from the client's raw params
   * (unvalidated: check each one). `isAnonymous: true` is always set.
   * Default none.
   */
  profile?: (args: { rawParams: SignInParams }) => UserProfile;
}

const params = v.object({});

/**
 * Guests: `signIn("anonymous")` creates a user marked `isAnonymous` and its
 * session in one mutation, with no account. Their tokens carry the guest
 * claim (JWT-3). A guest who then signs in by another method keeps their
 * user id and data (a new account joins them), with a new session (SES-8).
 * Each new guest counts as a sign-up (RL-3).
 */
export function Anonymous<const Id extends string = "anonymous">(
  options: AnonymousOptions<Id> = {},
): AuthProvider<NoInfer<Id>, typeof params, "limits" | "users"> {
  const id = (options.id ?? "anonymous") as Id;
  return defineProvider({
    id,
    params,
    stores: ["limits", "users"],
    async signIn({ ctx, stores, signedInUserId }, _params, rawParams): Promise<StepOutcome> {
      // A guest asking again keeps being the same guest, in a new session.
      const current = signedInUserId === null ? null : await ctx.db.get(signedInUserId);
      if (current?.isAnonymous === true) return { kind: "authorized", userId: signedInUserId! };
      const limit = await stores.limits.consume("signUps");
      if (!limit.ok) return { kind: "failed", error: { code: "RATE_LIMITED", retryAfterMs: limit.retryAfterMs } };
      const profile = { ...options.profile?.({ rawParams }), isAnonymous: true };
      const userId = await stores.users.createOrUpdate({ provider: id, profile, existingUserId: null });
      return { kind: "authorized", userId };
    },
  });
}
