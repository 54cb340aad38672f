import { argon2idHasher, Password, type PasswordHasher } from "convex-warden/providers/Password";
import { convexAuth } from "convex-warden/server";
import { timeHashing } from "../../harness/hashTimer";
import { components } from "./_generated/api";
import type { DataModel } from "./_generated/dataModel";

/**
 * The example app's auth (`example/convex/auth.ts`) with the default hasher
 * (argon2id at OWASP parameters) wrapped in a timer, and without the example's
 * custom claims: the v1 app mints its tokens without any either.
 */
function timed(hasher: PasswordHasher): PasswordHasher {
  return {
    hash: (password) => timeHashing(() => hasher.hash(password)),
    verify: (stored, password) => timeHashing(() => hasher.verify(stored, password)),
    needsRehash: (stored) => hasher.needsRehash(stored),
  };
}

export const { signIn, signOut, refresh, auth } = convexAuth<DataModel>(components.warden, {
  providers: [Password({ hasher: timed(argon2idHasher()) })],
});
