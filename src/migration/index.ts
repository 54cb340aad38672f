/**
 * convex-warden/migration: moving an app's users in from another system
 * without a password reset. For `@convex-dev/auth` 0.0.x: `importV1Accounts`
 * copies its accounts; `Password()` already verifies its scrypt hashes and
 * upgrades each to argon2id at the next sign-in. For other systems, or a
 * custom `hasher`: `migratingHasher` with a `LegacyPasswordVerifier`.
 */
export {
  importV1Accounts,
  DEFAULT_BATCH_SIZE,
  MAX_BATCH_SIZE,
  type ImportV1Options,
} from "./importV1.js";
export type { V1ProviderMapping, V1ProviderMappings } from "./v1Accounts.js";
export { vImportReport, type UnimportedV1Account, type V1ImportReport } from "./report.js";
export {
  migratingHasher,
  type LegacyPasswordVerifier,
  type MigratingHasherOptions,
} from "../lib/password/legacyHasher.js";
export { v1ScryptVerifier } from "../lib/password/v1Scrypt.js";
