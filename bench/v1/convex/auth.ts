import GitHub from "@auth/core/providers/github";
import { Email } from "@convex-dev/auth/providers/Email";
import { Password } from "@convex-dev/auth/providers/Password";
import { convexAuth } from "@convex-dev/auth/server";
import { Scrypt } from "lucia";
import { timeHashing } from "../../harness/hashTimer";
import { deliver } from "../../harness/outbox";

/**
 * @convex-dev/auth 0.0.95 ("v1") configured as its docs say, with two
 * bench-only hooks that change no behaviour: the provider's default scrypt
 * (lucia's `Scrypt`, exactly what `Password` uses when given no `crypto`) is
 * wrapped in a timer, and the email provider delivers codes to memory.
 */
const timedScrypt = {
  hashSecret: (password: string) => timeHashing(() => new Scrypt().hash(password)),
  verifySecret: (password: string, hash: string) =>
    timeHashing(() => new Scrypt().verify(hash, password)),
};

/** An 8-digit code, as v1's docs generate for email OTPs. */
function eightDigitCode(): string {
  const limit = 4_200_000_000; // a multiple of 10^8 below 2^32: no modulo bias
  for (;;) {
    const [n] = crypto.getRandomValues(new Uint32Array(1));
    if (n !== undefined && n < limit) return String(n % 100_000_000).padStart(8, "0");
  }
}

export const { auth, signIn, signOut, store, isAuthenticated } = convexAuth({
  providers: [
    Password({ crypto: timedScrypt }),
    GitHub,
    Email({
      id: "email",
      maxAge: 15 * 60,
      generateVerificationToken: async () => eightDigitCode(),
      sendVerificationRequest: async ({ identifier, token }) => {
        deliver(identifier, token);
      },
    }),
  ],
});
