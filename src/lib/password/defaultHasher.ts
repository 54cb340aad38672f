import { argon2idHasher } from "./argon2id.js";
import type { PasswordHasher } from "./hasher.js";
import { migratingHasher } from "./legacyHasher.js";
import { v1ScryptVerifier } from "./v1Scrypt.js";

/**
 * What `Password()` hashes with unless given a `hasher`: argon2id at OWASP
 * parameters for every new hash (PW-1), and verification of the scrypt hashes
 * `@convex-dev/auth` 0.0.x stored, each replaced by argon2id at its first
 * successful sign-in (PW-2). Costs nothing where no such hash is stored: the
 * check is a pattern match, and the scrypt engine loads only when one is met.
 */
export function defaultPasswordHasher(): PasswordHasher {
  return migratingHasher({ current: argon2idHasher(), legacy: [v1ScryptVerifier()] });
}
