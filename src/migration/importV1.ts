import {
  internalActionGeneric,
  internalMutationGeneric,
  makeFunctionReference,
  type GenericDataModel,
  type GenericDocument,
  type GenericMutationCtx,
} from "convex/server";
import { v } from "convex/values";
import { createLogger, type Logger, type LogLevel } from "../lib/log.js";
import type { WardenComponent } from "../server/types.js";
import { addBatch, vImportReport, type V1ImportReport } from "./report.js";
import { planAccount, resolveMappings, type V1AccountRow, type V1ProviderMappings, type WardenAccountRow } from "./v1Accounts.js";

/** Options of `importV1Accounts`. */
export interface ImportV1Options {
  /**
   * How each v1 provider's accounts are imported, by v1 provider id, or
   * `false` to leave a provider's accounts out. Default: `password` accounts
   * go to convex-warden's `password` provider with their emails normalized;
   * every other provider keeps its id and its identifiers exactly (OAuth
   * subjects), so a returning OAuth user lands on the same user.
   */
  providers?: V1ProviderMappings;
  /**
   * The `convex/` module that exports `importBatch` and `importAll`, which
   * `importAll` calls back into. Default `"authImport"`.
   */
  functionsModule?: string;
  /**
   * How long one `importAll` call keeps starting batches before it returns
   * with `done: false` and the cursor to resume from. Default 8 minutes
   * (actions may run 10); at least one batch runs whatever the budget.
   */
  timeBudgetMs?: number;
  /** `"info"` logs each batch's counts and cursor; every account left out is logged at `"warn"`. Default `"info"`. */
  logLevel?: LogLevel;
}

/** Accounts read per transaction unless `batchSize` says otherwise. */
export const DEFAULT_BATCH_SIZE = 100;
/**
 * Most accounts read per transaction. Each account costs two index reads
 * (its user, its identifier in convex-warden) and at most one write, so a
 * batch of 1000 makes about 2,000 of the 4,096 queries and reads about 3,000
 * of the 32,000 documents Convex allows one transaction.
 */
export const MAX_BATCH_SIZE = 1000;

const DEFAULT_TIME_BUDGET_MS = 8 * 60_000;
const MODULE_NAME = /^[A-Za-z0-9_]+(\/[A-Za-z0-9_]+)*$/;

const vBatchArgs = {
  /** Where to start: a previous report's `cursor`. Default: the first account. */
  cursor: v.optional(v.union(v.string(), v.null())),
  /** Accounts read in this transaction. Default 100, at most 1000. */
  batchSize: v.optional(v.number()),
};

type BatchArgs = { cursor?: string | null; batchSize?: number };
type MutationCtx = GenericMutationCtx<GenericDataModel>;

function checkBatchSize(batchSize = DEFAULT_BATCH_SIZE): number {
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new TypeError(`importV1Accounts: batchSize must be an integer from 1 to ${MAX_BATCH_SIZE}`);
  }
  return batchSize;
}

/** A document of v1's `authAccounts`, checked: the wrong table is a programmer error. */
function v1Row(doc: GenericDocument): V1AccountRow {
  const { _id, userId, provider, providerAccountId, secret } = doc;
  const strings = [_id, userId, provider, providerAccountId].every((field) => typeof field === "string");
  if (!strings || (secret !== undefined && typeof secret !== "string")) {
    throw new TypeError(`importV1Accounts: authAccounts ${String(_id)} is not a @convex-dev/auth account`);
  }
  return doc as unknown as V1AccountRow;
}

async function userExists(ctx: MutationCtx, userId: string): Promise<boolean> {
  const id = ctx.db.normalizeId("users", userId);
  return id !== null && (await ctx.db.get(id)) !== null;
}

function emptyReport(cursor: string, done: boolean): V1ImportReport {
  return { imported: 0, alreadyPresent: 0, excluded: 0, unimported: [], unimportedCount: 0, cursor, done };
}

interface Importer {
  component: WardenComponent;
  mappingOf: ReturnType<typeof resolveMappings>;
  log: Logger;
}

/** One page of `authAccounts`, imported in one transaction. */
async function importPage(ctx: MutationCtx, { component, mappingOf, log }: Importer, args: BatchArgs) {
  const page = await ctx.db.query("authAccounts").paginate({ cursor: args.cursor ?? null, numItems: checkBatchSize(args.batchSize) });
  const report = emptyReport(page.continueCursor, page.isDone);
  const leaveOut = (row: V1AccountRow, reason: V1ImportReport["unimported"][number]["reason"]) => {
    report.unimported.push({ v1AccountId: row._id, provider: row.provider, reason });
    report.unimportedCount++;
    log.warn("v1 account not imported", { v1AccountId: row._id, provider: row.provider, reason });
  };
  const planned: { row: V1AccountRow; account: WardenAccountRow }[] = [];
  for (const row of page.page.map(v1Row)) {
    const plan = planAccount(row, mappingOf);
    if (plan.kind === "excluded") report.excluded++;
    else if (plan.kind === "invalidEmail") leaveOut(row, "invalidEmail");
    else if (!(await userExists(ctx, row.userId))) leaveOut(row, "userMissing");
    else planned.push({ row, account: plan.account });
  }
  const outcomes =
    planned.length === 0
      ? []
      : await ctx.runMutation(component.accountImport.insertMany, { accounts: planned.map((p) => p.account) });
  outcomes.forEach((outcome, i) => {
    if (outcome === "created") report.imported++;
    else if (outcome === "present") report.alreadyPresent++;
    else leaveOut(planned[i]!.row, "identifierTaken");
  });
  const { imported, alreadyPresent, excluded, unimportedCount, cursor, done } = report;
  log.info("v1 import batch", { imported, alreadyPresent, excluded, unimported: unimportedCount, cursor, done });
  return report;
}

/**
 * The importer for an app moving from `@convex-dev/auth` 0.0.x: reads v1's
 * `authAccounts` and writes convex-warden's accounts, keeping each account's
 * user (the app's `users` rows stay where they are, with their fields) and its
 * password hash, which `Password()` verifies and upgrades to argon2id at the
 * user's next sign-in. In `convex/authImport.ts`:
 * `export const { importBatch, importAll } = importV1Accounts(components.warden);`
 * then `npx convex run authImport:importAll`.
 *
 * - `importBatch({ cursor?, batchSize? })`: one page of accounts in one
 *   transaction; returns the counts and the cursor of the next page.
 * - `importAll({ cursor?, batchSize?, maxBatches? })`: runs batches one after
 *   another until every account is read, `maxBatches` have run or the time
 *   budget is spent; returns the totals and where to resume.
 *
 * Safe to run again from any cursor, or from the start: an account already
 * imported is counted as `alreadyPresent` and left as it is.
 */
export function importV1Accounts(component: WardenComponent, options: ImportV1Options = {}) {
  const functionsModule = options.functionsModule ?? "authImport";
  if (!MODULE_NAME.test(functionsModule)) {
    throw new TypeError("importV1Accounts: functionsModule must be a convex/ module path such as \"authImport\"");
  }
  const timeBudgetMs = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  if (!Number.isFinite(timeBudgetMs) || timeBudgetMs < 0) {
    throw new TypeError("importV1Accounts: timeBudgetMs must be a number of milliseconds, 0 or more");
  }
  const importer: Importer = {
    component,
    mappingOf: resolveMappings(options.providers),
    log: createLogger(options.logLevel ?? "info"),
  };
  const batchReference = makeFunctionReference<"mutation", BatchArgs, V1ImportReport>(`${functionsModule}:importBatch`);
  return {
    /** Internal: imports one page of v1 accounts in one transaction. */
    importBatch: internalMutationGeneric({
      args: vBatchArgs,
      returns: vImportReport,
      handler: (ctx, args) => importPage(ctx, importer, args),
    }),
    /** Internal: imports page after page until done, `maxBatches`, or the time budget. */
    importAll: internalActionGeneric({
      args: { ...vBatchArgs, maxBatches: v.optional(v.number()) },
      returns: vImportReport,
      handler: async (ctx, { cursor, batchSize, maxBatches }) => {
        checkBatchSize(batchSize);
        if (maxBatches !== undefined && (!Number.isInteger(maxBatches) || maxBatches < 1)) {
          throw new TypeError("importV1Accounts: maxBatches must be a positive integer");
        }
        const deadline = Date.now() + timeBudgetMs;
        let total: V1ImportReport | null = null;
        for (let batches = 1; ; batches++) {
          const batch = await ctx.runMutation(batchReference, { cursor: total?.cursor ?? cursor ?? null, batchSize });
          total = addBatch(total, batch);
          if (total.done || batches === maxBatches || Date.now() >= deadline) return total;
        }
      },
    }),
  };
}
