import { internalActionGeneric } from "convex/server";
import { v } from "convex/values";
import type { Sender } from "../../delivery/types.js";
import { selfReferences } from "../../server/references.js";
import { WardenConfigError } from "../configError.js";
import { logLevelFromEnv } from "../env.js";
import { createLogger, LOG_LEVELS, type LogLevel } from "../log.js";
import { deliver } from "./deliver.js";

export interface SenderActionOptions {
  /** The module exporting `convexAuth`'s functions (its `functionsModule`). Default "auth". */
  functionsModule?: string;
  /** How much to log. Default `WARDEN_LOG_LEVEL`, else "warn". The message is never logged. */
  logLevel?: LogLevel;
}

/**
 * The action that sends a provider's messages from a Node module, for
 * adapters that need Node (`smtp`). Export it from a file of `convex/` whose
 * first line is `"use node"`, and name that module as the provider's sender:
 *
 * ```ts
 * // convex/authEmail.ts
 * "use node";
 * import { senderAction } from "convex-warden/providers/codes";
 * import { smtp } from "convex-warden/delivery/smtp";
 * export const send = senderAction(smtp({ host: "smtp.example.com", from: "Acme <auth@example.com>" }));
 *
 * // convex/auth.ts
 * Email({ appName: "Acme", sender: { module: "authEmail" } })
 * ```
 *
 * It is scheduled with the challenge's id only; it asks the provider's
 * mutation step (through `signInStep`) for the message, so the code is drawn
 * where it is sent and never stored in plaintext, sends it, and records a
 * failed send for the next call to report.
 */
export function senderAction(sender: Sender, options: SenderActionOptions = {}) {
  if (typeof sender !== "object" || sender === null || typeof sender.send !== "function") {
    throw new WardenConfigError("senderAction", "needs a delivery adapter, e.g. smtp({ ... })");
  }
  const functionsModule = options.functionsModule ?? "auth";
  if (!/^[A-Za-z0-9_./]+$/.test(functionsModule)) {
    throw new WardenConfigError("senderAction.functionsModule", 'must be a module path such as "auth"');
  }
  const level = options.logLevel ?? logLevelFromEnv() ?? "warn";
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new WardenConfigError("senderAction.logLevel", `must be one of ${LOG_LEVELS.join(", ")}`);
  }
  const log = createLogger(level as LogLevel);
  const { signInStep } = selfReferences(functionsModule);
  return internalActionGeneric({
    args: { provider: v.string(), args: v.record(v.string(), v.any()) },
    returns: v.null(),
    handler: async (ctx, { provider, args }) => {
      const run = (step: string, stepArgs: typeof args) => ctx.runMutation(signInStep, { provider, step, args: stepArgs });
      await deliver(sender, { run, log }, args);
      return null;
    },
  });
}
