import GitHub from "@auth/core/providers/github";
import { OAuth } from "convex-warden/providers/OAuth";
import type { EmailSender } from "convex-warden/delivery";
import { Email } from "convex-warden/providers/Email";
import { argon2idHasher, Password, type PasswordHasher } from "convex-warden/providers/Password";
import { convexAuth } from "convex-warden/server";
import { timeHashing } from "../../harness/hashTimer";
import { deliver } from "../../harness/outbox";
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

/**
 * Where the email provider's messages go: the code read from the rendered
 * message into memory for the driver, as v1's app delivers its codes. The
 * templates render as they would for a real adapter.
 */
const outbox: EmailSender = {
  kind: "email",
  id: "bench",
  async send(message) {
    const code = message.text.match(/^ {4}([0-9]{8})$/m)?.[1];
    if (code === undefined) throw new Error("bench: no code in the message");
    deliver(message.to, code);
    return {};
  },
};

export const { signIn, signOut, refresh, signInStep, signInAction, auth } = convexAuth<DataModel>(components.warden, {
  providers: [Password({ hasher: timed(argon2idHasher()) }), OAuth(GitHub, { id: "github" }), Email({ appName: "Bench", sender: outbox })],
});
