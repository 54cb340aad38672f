import GitHub from "@auth/core/providers/github";
import { Password } from "@convex-dev/auth/providers/Password";
import { convexAuth } from "@convex-dev/auth/server";

declare const process: { env: Record<string, string | undefined> };

/**
 * v1 as its docs set it up: `Password` with its default hashing (lucia's
 * scrypt) and GitHub, here a GitHub Enterprise base URL so its endpoints are
 * the loopback server the tests start (`TEST_GITHUB_URL`).
 */
export const { auth, signIn, signOut, store, isAuthenticated } = convexAuth({
  providers: [Password(), GitHub({ enterprise: { baseUrl: process.env.TEST_GITHUB_URL } })],
});
