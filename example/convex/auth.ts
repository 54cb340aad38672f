import { convexAuth } from "convex-warden/server";
import { Anonymous } from "convex-warden/providers/Anonymous";
import { OIDC } from "convex-warden/providers/OAuth";
import { Password } from "convex-warden/providers/Password";
import { Email } from "convex-warden/providers/Email";
import { consoleEmail } from "convex-warden/delivery/console";
import { components } from "./_generated/api";
import type { MutationCtx } from "./_generated/server";

declare const process: { env: Record<string, string | undefined> };

/**
 * The access token's lifetime: 10 minutes unless the deployment sets
 * EXAMPLE_TOKEN_LIFETIME_MS (`npm run example` passes it through), e.g. to
 * watch tokens refresh. Convex's clients ask for a new token 10 s before
 * expiry, so keep it well above 10 s.
 */
const tokenLifetime = process.env.EXAMPLE_TOKEN_LIFETIME_MS;

/**
 * "Dev OIDC", the local OpenID Provider `npm run example` starts, when its
 * env vars are set (`AUTH_DEV_OIDC_ISSUER`, `_ID`, `_SECRET`). Its emails
 * are verified, so it may sign into a user with the same verified email.
 * A real app lists its providers here the same way: `OAuth(GitHub)`,
 * `OIDC({ id: "acme", issuer })`.
 */
const devOidc = process.env.AUTH_DEV_OIDC_ISSUER ? [OIDC({ id: "dev-oidc", name: "Dev OIDC", trustEmail: true })] : [];

/**
 * Sign-in by email, printed by the console adapter instead of sent: fine for
 * trying the example, refused where EXAMPLE_PRODUCTION=1 (a real app
 * configures `resend`, `smtp` or another adapter there). Each message has a
 * code to type and, when SITE_URL (the app's URL, where the link lands) is
 * set, a link that signs in the browser that asked; `npm run example` sets it.
 */
const email = Email({
  appName: "Warden example",
  sender: consoleEmail({ production: process.env.EXAMPLE_PRODUCTION === "1" }),
  link: Boolean(process.env.SITE_URL),
});

export const {
  signIn,
  signOut,
  refresh,
  signInStep,
  signInAction,
  // The signed-in user's own sessions and sign-in methods.
  listSessions,
  revokeSession,
  revokeOtherSessions,
  revokeAllSessions,
  listAccounts,
  unlinkAccount,
  auth,
} = convexAuth(components.warden, {
  providers: [Password(), Anonymous(), email, ...devOidc],
  jwt: {
    durationMs: tokenLifetime === undefined ? undefined : Number(tokenLifetime),
    // Claims the app's own backend (or a third-party service) can read from the token.
    // Typing `ctx` gives the callback the app's own tables.
    customClaims: async (ctx: MutationCtx, { userId }) => {
      const user = await ctx.db.get("users", userId);
      return { email: user?.email ?? null };
    },
  },
});
