import type { PasswordHasher } from "./hasher.js";

/**
 * A scheme stored hashes may still be in, which is only ever verified: new
 * hashes always come from the current hasher.
 */
export interface LegacyPasswordVerifier {
  /** A short name for logs, e.g. "convex-auth-v1-scrypt". */
  readonly id: string;
  /** Whether `stored` is in this scheme's format; a syntax check, no hashing. */
  recognizes(stored: string): boolean;
  /** Whether `password` matches `stored`. False, not a throw, for a corrupt hash. */
  verify(stored: string, password: string): Promise<boolean>;
}

/** Options of `migratingHasher`. */
export interface MigratingHasherOptions {
  /** Hashes every new password and is what legacy hashes are upgraded to. Required. */
  current: PasswordHasher;
  /** The older schemes to verify, tried in order. Default none. */
  legacy?: readonly LegacyPasswordVerifier[];
}

/**
 * A hasher that also verifies older schemes' hashes (PW-2): `verify` accepts
 * the current format and every legacy one, `needsRehash` is true for any
 * legacy hash, so the first successful sign-in replaces it with a current
 * one; `hash` is always the current hasher's.
 */
export function migratingHasher(options: MigratingHasherOptions): PasswordHasher {
  const { current } = options;
  const legacy = options.legacy ?? [];
  if (typeof current?.hash !== "function" || typeof current.verify !== "function") {
    throw new TypeError("migratingHasher: current must be a PasswordHasher");
  }
  const schemeOf = (stored: string) => legacy.find((scheme) => scheme.recognizes(stored));
  return {
    hash: (password) => current.hash(password),
    verify(stored, password) {
      const scheme = schemeOf(stored);
      return scheme === undefined ? current.verify(stored, password) : scheme.verify(stored, password);
    },
    needsRehash: (stored) => schemeOf(stored) !== undefined || current.needsRehash(stored),
  };
}
