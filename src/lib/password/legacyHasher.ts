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
  /**
   * A well-formed hash in this scheme that no password matches: verifying
   * against it costs what a real verification costs. Needed for `uniformCost`.
   */
  readonly decoy?: string;
}

/** Options of `migratingHasher`. */
export interface MigratingHasherOptions {
  /** Hashes every new password and is what legacy hashes are upgraded to. Required. */
  current: PasswordHasher;
  /** The older schemes to verify, tried in order. Default none. */
  legacy?: readonly LegacyPasswordVerifier[];
  /**
   * Whether every failed verification, and every hash, also pays for the
   * schemes it did not use, so a failed sign-in takes as long whichever
   * scheme the account's hash is in, or whether the account exists (EN-1):
   * without it, an account still holding a slower legacy hash stands out.
   * Costs each failed sign-in and each new hash one run of every other
   * scheme; successful sign-ins cost the same. Default false.
   */
  uniformCost?: boolean;
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
  const verify = (stored: string, password: string, scheme = schemeOf(stored)) =>
    scheme === undefined ? current.verify(stored, password) : scheme.verify(stored, password);
  const needsRehash = (stored: string) => schemeOf(stored) !== undefined || current.needsRehash(stored);
  if (options.uniformCost !== true) {
    return { hash: (password) => current.hash(password), verify: (stored, password) => verify(stored, password), needsRehash };
  }
  if (legacy.some((scheme) => typeof scheme.decoy !== "string" || !scheme.recognizes(scheme.decoy))) {
    throw new TypeError("migratingHasher: uniformCost needs every legacy verifier to have a decoy in its own format");
  }
  /** Runs every legacy scheme but `used` against its decoy, for the time it takes. */
  const payLegacy = async (password: string, used?: LegacyPasswordVerifier) => {
    for (const scheme of legacy) if (scheme !== used) await scheme.verify(scheme.decoy!, password);
  };
  return {
    async hash(password) {
      const stored = await current.hash(password);
      await payLegacy(password);
      return stored;
    },
    async verify(stored, password) {
      const scheme = schemeOf(stored);
      if (await verify(stored, password, scheme)) return true;
      // What the schemes not used would have cost; the current one's verify costs what its hash does.
      if (scheme !== undefined) await current.hash(password);
      await payLegacy(password, scheme);
      return false;
    },
    needsRehash,
  };
}
