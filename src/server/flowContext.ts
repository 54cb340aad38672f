import type { GenericDataModel, GenericMutationCtx } from "convex/server";
import type { Id } from "../../convex/_generated/dataModel.js";
import { wardenError } from "../shared/errors.js";
import type { ResolvedConfig } from "./config.js";
import type { AttemptLimiter, FlowContext, WardenComponent } from "./types.js";
import { createUser } from "./users.js";

/** The component's account and rate-limit functions, bound to one transaction. */
export function flowContext(
  ctx: GenericMutationCtx<GenericDataModel>,
  component: WardenComponent,
  config: ResolvedConfig,
): FlowContext {
  return {
    ctx,
    log: config.log,
    accounts: {
      get: (provider, providerAccountId) =>
        ctx.runQuery(component.accounts.get, { provider, providerAccountId }),
      async create(account) {
        const result = await ctx.runMutation(component.accounts.create, account);
        // Throwing rolls back the user the flow created for this account.
        if (result.kind === "exists") throw wardenError({ code: "ACCOUNT_EXISTS" });
      },
      async setSecret(accountId, secret) {
        await ctx.runMutation(component.accounts.setSecret, {
          accountId: accountId as Id<"accounts">,
          secret,
        });
      },
    },
    attempts: attemptLimiter(ctx, component, config.failedSignIns),
    createUser: (provider, profile) => createUser(ctx, config, provider, profile),
  };
}

function attemptLimiter(
  ctx: GenericMutationCtx<GenericDataModel>,
  component: WardenComponent,
  limit: { max: number; windowMs: number },
): AttemptLimiter {
  return {
    max: limit.max,
    check: (key) => ctx.runQuery(component.rateLimits.check, { key, ...limit }),
    async fail(key) {
      await ctx.runMutation(component.rateLimits.recordFailure, { key, ...limit });
    },
    async reset(key) {
      await ctx.runMutation(component.rateLimits.reset, { key });
    },
  };
}
