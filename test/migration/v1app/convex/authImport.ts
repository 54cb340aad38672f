import { importV1Accounts } from "convex-warden/migration";
import { components } from "./_generated/api";

/** The importer, exactly as the migration guide has the app write it. */
export const { importBatch, importAll } = importV1Accounts(components.warden, { logLevel: "silent" });
