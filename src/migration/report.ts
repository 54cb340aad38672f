import { v, type Infer } from "convex/values";

/**
 * What a run of the v1 importer reports. Accounts left out are named by their
 * v1 `authAccounts` id (never by email), so the operator can look each one up.
 */

/**
 * Why an account was not imported:
 * - `identifierTaken`: its identifier, once normalized, already belongs to
 *   another user (two v1 accounts differing only in case, e.g.); the older
 *   account keeps it.
 * - `invalidEmail`: mapped as an email, but not one convex-warden accepts.
 * - `userMissing`: its `userId` names no document of `users`.
 */
export const vUnimportedReason = v.union(
  v.literal("identifierTaken"),
  v.literal("invalidEmail"),
  v.literal("userMissing"),
);

export const vUnimportedAccount = v.object({
  /** The v1 `authAccounts` document id. */
  v1AccountId: v.string(),
  /** The v1 provider id. */
  provider: v.string(),
  reason: vUnimportedReason,
});

export const vImportReport = v.object({
  /** Accounts written to convex-warden. */
  imported: v.number(),
  /** Accounts convex-warden already had for the same user (an earlier run): left as they are. */
  alreadyPresent: v.number(),
  /** Accounts of providers mapped to `false`. */
  excluded: v.number(),
  /** Accounts left out, each with its reason (a run of many batches lists the first 100; all are counted and logged). */
  unimported: v.array(vUnimportedAccount),
  unimportedCount: v.number(),
  /** Where the next run starts: pass it back as `cursor` to resume. */
  cursor: v.string(),
  /** Whether every account has been read. */
  done: v.boolean(),
});

export type UnimportedV1Account = Infer<typeof vUnimportedAccount>;
export type V1ImportReport = Infer<typeof vImportReport>;

/** Most unimported accounts a run of many batches lists. */
export const MAX_LISTED_UNIMPORTED = 100;

/** `total` with `batch` added in; `batch`'s cursor and `done` replace the total's. */
export function addBatch(total: V1ImportReport | null, batch: V1ImportReport): V1ImportReport {
  if (total === null) return { ...batch, unimported: batch.unimported.slice(0, MAX_LISTED_UNIMPORTED) };
  return {
    imported: total.imported + batch.imported,
    alreadyPresent: total.alreadyPresent + batch.alreadyPresent,
    excluded: total.excluded + batch.excluded,
    unimported: [...total.unimported, ...batch.unimported].slice(0, MAX_LISTED_UNIMPORTED),
    unimportedCount: total.unimportedCount + batch.unimportedCount,
    cursor: batch.cursor,
    done: batch.done,
  };
}
