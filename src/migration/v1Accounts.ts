import { normalizeEmail } from "../lib/email.js";

/**
 * How one `@convex-dev/auth` 0.0.x ("v1") account becomes a convex-warden
 * account. v1 keys accounts by (provider, providerAccountId) as convex-warden
 * does, but stores a password account's email exactly as it was typed at
 * sign-up (no trimming, no lower-casing), and matches it exactly at sign-in.
 * convex-warden trims, NFC-normalizes and lower-cases emails, so an email
 * identifier is imported in that form: the user then signs in with the
 * address typed as before, or in any other case.
 */

/** How the accounts of one v1 provider are imported. */
export interface V1ProviderMapping {
  /** The convex-warden provider id the accounts belong to. Default: the v1 provider id. */
  id?: string;
  /**
   * How v1's `providerAccountId` becomes convex-warden's. `"email"`: trimmed,
   * NFC-normalized and lower-cased as convex-warden's email-keyed providers
   * (`Password`) look it up; an account whose identifier is not an email such
   * a provider accepts is left out (`invalidEmail`). `"exact"`: as stored, for
   * OAuth subjects and other opaque ids. Default `"email"` for v1's
   * `password` provider, `"exact"` for every other.
   */
  identifier?: "email" | "exact";
}

/**
 * Per v1 provider id, how its accounts are imported, or `false` to leave them
 * out. Providers not listed are imported under their own id, identifiers exact
 * (`password`: as emails).
 */
export type V1ProviderMappings = Record<string, V1ProviderMapping | false>;

/** An `authAccounts` row as v1's schema defines it. */
export interface V1AccountRow {
  _id: string;
  userId: string;
  provider: string;
  providerAccountId: string;
  secret?: string;
}

export interface WardenAccountRow {
  userId: string;
  provider: string;
  providerAccountId: string;
  secret?: string;
}

export type PlannedAccount =
  | { kind: "import"; account: WardenAccountRow }
  | { kind: "excluded" }
  | { kind: "invalidEmail" };

interface ResolvedMapping {
  id: string;
  identifier: "email" | "exact";
}

const DEFAULT_PASSWORD_PROVIDER = "password";

/** Checks the app's mappings once, when its module loads: a typo is a `TypeError`, not a silent skip. */
export function resolveMappings(mappings: V1ProviderMappings = {}): (v1Provider: string) => ResolvedMapping | false {
  for (const [v1Id, mapping] of Object.entries(mappings)) {
    if (mapping === false) continue;
    if (typeof mapping !== "object" || mapping === null) {
      throw new TypeError(`importV1Accounts: providers.${v1Id} must be an object or false`);
    }
    if (mapping.id !== undefined && (typeof mapping.id !== "string" || mapping.id === "")) {
      throw new TypeError(`importV1Accounts: providers.${v1Id}.id must be a non-empty string`);
    }
    if (mapping.identifier !== undefined && mapping.identifier !== "email" && mapping.identifier !== "exact") {
      throw new TypeError(`importV1Accounts: providers.${v1Id}.identifier must be "email" or "exact"`);
    }
  }
  return (v1Provider) => {
    const mapping = Object.hasOwn(mappings, v1Provider) ? mappings[v1Provider] : undefined;
    if (mapping === false) return false;
    const identifier = v1Provider === DEFAULT_PASSWORD_PROVIDER ? "email" : "exact";
    return { id: mapping?.id ?? v1Provider, identifier: mapping?.identifier ?? identifier };
  };
}

/** The convex-warden account a v1 row becomes, or why it is left out. Reads nothing. */
export function planAccount(row: V1AccountRow, mappingOf: ReturnType<typeof resolveMappings>): PlannedAccount {
  const mapping = mappingOf(row.provider);
  if (mapping === false) return { kind: "excluded" };
  const providerAccountId =
    mapping.identifier === "email" ? normalizeEmail(row.providerAccountId) : row.providerAccountId;
  if (providerAccountId === null) return { kind: "invalidEmail" };
  const account: WardenAccountRow = { userId: row.userId, provider: mapping.id, providerAccountId };
  if (row.secret !== undefined) account.secret = row.secret;
  return { kind: "import", account };
}
