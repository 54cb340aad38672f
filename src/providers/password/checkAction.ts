import { actionGeneric } from "convex/server";
import { v } from "convex/values";
import { WardenConfigError } from "../../lib/configError.js";
import { logLevelFromEnv } from "../../lib/env.js";
import { createLogger, LOG_LEVELS, type LogLevel } from "../../lib/log.js";
import { vPasswordRejectionReason } from "../../shared/errors/password.js";
import { selfReferences } from "../../server/references.js";
import { CLEARANCE_STEP } from "./clearance.js";
import type { PasswordConfig } from "./config.js";

/** Options of `Password(...).checkAction()`. */
export interface CheckActionOptions {
  /** The module exporting `convexAuth`'s functions (its `functionsModule`). Default "auth". */
  functionsModule?: string;
  /** How much to log. Default `WARDEN_LOG_LEVEL`, else "warn". The password is never logged. */
  logLevel?: LogLevel;
}

/** What the check answers: acceptable (with the clearance to send along, when a breach check ran), or why not. */
export const vPasswordCheckResult = v.union(
  v.object({ ok: v.literal(true), clearance: v.optional(v.string()), expiresInMs: v.optional(v.number()) }),
  v.object({ ok: v.literal(false), reason: vPasswordRejectionReason }),
);

/**
 * The public action that checks a new password against the whole policy,
 * the breached-password check included (PW-7), before the form is sent.
 * Without a breach check it only answers (a UI may show the reason early);
 * with one, an acceptable password gets a clearance, which the `signIn`
 * call that sets it (sign-up, reset, change) carries as `clearance`.
 */
export function passwordCheckAction(config: PasswordConfig, options: CheckActionOptions = {}) {
  const functionsModule = options.functionsModule ?? "auth";
  if (!/^[A-Za-z0-9_./]+$/.test(functionsModule)) {
    throw new WardenConfigError(`Password.checkAction.functionsModule`, 'must be a module path such as "auth"');
  }
  const level = options.logLevel ?? logLevelFromEnv() ?? "warn";
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new WardenConfigError(`Password.checkAction.logLevel`, `must be one of ${LOG_LEVELS.join(", ")}`);
  }
  const log = createLogger(level as LogLevel);
  const { signInStep } = selfReferences(functionsModule);
  return actionGeneric({
    args: { password: v.string() },
    returns: vPasswordCheckResult,
    handler: async (ctx, { password }) => {
      const checked = await config.policy.check(password);
      const breach = checked.breach;
      if (breach?.status === "unavailable") {
        log.warn("breached-password check unavailable", { failure: breach.failure, status: breach.httpStatus, policy: breach.policy });
      }
      if (!checked.ok) return { ok: false as const, reason: checked.reason };
      if (config.breachCheck === undefined) return { ok: true as const };
      const step = { provider: config.id, step: CLEARANCE_STEP, args: { password: checked.normalized } };
      return (await ctx.runMutation(signInStep, step)) as { ok: true; clearance: string; expiresInMs: number };
    },
  });
}
