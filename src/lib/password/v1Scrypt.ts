import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { decodeHex } from "@oslojs/encoding";
import type { LegacyPasswordVerifier } from "./legacyHasher.js";

/**
 * Verification of the password hashes `@convex-dev/auth` 0.0.x ("v1") stores
 * (PW-2), so its users sign in without a reset and are rehashed to argon2id.
 * v1 hashes with lucia 3's `Scrypt`:
 * - stored as `<salt>:<key>`: the salt is 16 random bytes written as 32
 *   lower-case hex characters, and it is those 32 characters' bytes, not the
 *   16 bytes they encode, that go into scrypt; the key is 64 bytes of hex;
 * - scrypt with N = 16384, r = 16, p = 1, a 64-byte key;
 * - over the UTF-8 bytes of the password after NFKC.
 * The parameters are fixed, not read from the hash, so a stored value cannot
 * make verification cost more. There is no `hash` here: scrypt is never used
 * for a new password.
 */
export const V1_SCRYPT = { N: 16384, r: 16, p: 1, keyBytes: 64 } as const;

const V1_HASH = /^([0-9a-f]{32}):([0-9a-f]{128})$/;

export interface ParsedV1Hash {
  /** The salt as stored, hex text; scrypt takes its UTF-8 bytes. */
  salt: string;
  key: Uint8Array;
}

export function parseV1ScryptHash(stored: string): ParsedV1Hash | null {
  const match = V1_HASH.exec(stored);
  if (match === null) return null;
  return { salt: match[1]!, key: decodeHex(match[2]!) };
}

const utf8 = new TextEncoder();

/** A well-formed v1 hash whose key is all zeros: no password derives it (a 2^-512 chance). */
const DECOY = `${"0".repeat(32)}:${"0".repeat(128)}`;

export function v1ScryptVerifier(): LegacyPasswordVerifier {
  return {
    id: "convex-auth-v1-scrypt",
    decoy: DECOY,
    recognizes: (stored) => V1_HASH.test(stored),
    async verify(stored, password) {
      const parsed = parseV1ScryptHash(stored);
      if (parsed === null) return false;
      // Loaded only when a v1 hash is met: most deployments never need it.
      const { scrypt } = await import("hash-wasm");
      const candidate = await scrypt({
        password: utf8.encode(password.normalize("NFKC")),
        salt: utf8.encode(parsed.salt),
        costFactor: V1_SCRYPT.N,
        blockSize: V1_SCRYPT.r,
        parallelism: V1_SCRYPT.p,
        hashLength: V1_SCRYPT.keyBytes,
        outputType: "binary",
      });
      return constantTimeEqual(candidate, parsed.key);
    },
  };
}
