import { importV1Accounts } from "convex-warden/migration";
import { components } from "./_generated/api";

/** An importer whose `importAll` has no time budget: it returns after each batch. */
export const { importBatch, importAll } = importV1Accounts(components.warden, {
  functionsModule: "authImportByBudget",
  timeBudgetMs: 0,
  logLevel: "silent",
});
