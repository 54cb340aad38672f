import GitHub from "@auth/core/providers/github";
import { OAuth } from "convex-warden/providers/OAuth";
import { argon2idHasher, Password, type PasswordHasher } from "convex-warden/providers/Password";
import { convexAuth } from "convex-warden/server";
import { timeHashing } from "../../harness/hashTimer";
import { components } from "./_generated/api";
import type { DataModel } from "./_generated/dataModel";

/**
 * The example app's auth (`example/convex/auth.ts`) with the default hasher
 * (argon2id at OWASP parameters) wrapped in a timer, and without the example's
 * custom claims: the v1 app mints its tokens without any either. GitHub as
 * v1's bench app has it: `AUTH_GITHUB_ID`/`AUTH_GITHUB_SECRET`, `SITE_URL`
 * and `CONVEX_SITE_URL` from the environment `setUpV1Environment` sets.
 */
function timed(hasher: PasswordHasher): PasswordHasher {
  return {
    hash: (password) => timeHashing(() => hasher.hash(password)),
    verify: (stored, password) => timeHashing(() => hasher.verify(stored, password)),
    needsRehash: (stored) => hasher.needsRehash(stored),
  };
}

export const { signIn, signOut, refresh, signInStep, signInAction, auth } = convexAuth<DataModel>(components.warden, {
  providers: [Password({ hasher: timed(argon2idHasher()) }), OAuth(GitHub, { id: "github" })],
});
