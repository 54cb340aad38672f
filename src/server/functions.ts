import type {
  ActionBuilder,
  FunctionVisibility,
  GenericActionCtx,
  GenericDataModel,
  GenericMutationCtx,
  GenericQueryCtx,
  MutationBuilder,
  QueryBuilder,
} from "convex/server";
import { customAction, customCtx, customMutation, customQuery } from "convex-helpers/server/customFunctions";
import { wardenError } from "../shared/errors/index.js";
import { getWardenIdentity, GUEST_CLAIM } from "./identity.js";
import type { liveSessionHelpers, RequireUserCtx, RequireUserOptions } from "./liveSession.js";
import type { SessionId, UserId } from "./types.js";

type Helpers = ReturnType<typeof liveSessionHelpers>;

/**
 * Function builders that check the caller once, where the function is
 * declared, on convex-helpers' `customQuery`/`customMutation`/`customAction`:
 * `export const authQuery = auth.customQuery(query)`, then
 * `authQuery({ args, handler: (ctx, args) => ctx.user })`. The check is
 * `auth.requireUser` (a live session by default, SES-5); `ctx` gains `user`
 * (the document), `userId` and `sessionId`. Actions have no database: they
 * gain `userId` and `sessionId` only.
 */
export function customFunctionBuilders(helpers: Helpers) {
  async function caller<DataModel extends GenericDataModel>(ctx: GenericQueryCtx<DataModel>, options: RequireUserOptions) {
    const user = await helpers.requireUser<DataModel>(ctx as unknown as RequireUserCtx, options);
    const identity = await getWardenIdentity(ctx);
    return { user, userId: user._id as unknown as UserId, sessionId: identity!.sid as SessionId };
  }
  return {
    customQuery<DataModel extends GenericDataModel, Visibility extends FunctionVisibility>(
      query: QueryBuilder<DataModel, Visibility>,
      options: RequireUserOptions = {},
    ) {
      return customQuery(query, customCtx((ctx: GenericQueryCtx<DataModel>) => caller(ctx, options)));
    },
    customMutation<DataModel extends GenericDataModel, Visibility extends FunctionVisibility>(
      mutation: MutationBuilder<DataModel, Visibility>,
      options: RequireUserOptions = {},
    ) {
      return customMutation(mutation, customCtx((ctx: GenericMutationCtx<DataModel>) => caller(ctx, options)));
    },
    customAction<DataModel extends GenericDataModel, Visibility extends FunctionVisibility>(
      action: ActionBuilder<DataModel, Visibility>,
      { live = true, allowGuests = true }: RequireUserOptions = {},
    ) {
      return customAction(
        action,
        customCtx(async (ctx: GenericActionCtx<DataModel>) => {
          const identity = await getWardenIdentity(ctx);
          if (identity === null) throw wardenError({ code: "NOT_SIGNED_IN" });
          if (!allowGuests && identity[GUEST_CLAIM] === true) throw wardenError({ code: "GUEST_NOT_ALLOWED" });
          // An action's runQuery takes the same (reference, args) as a query's.
          if (live && (await helpers.getSession(ctx as unknown as Parameters<Helpers["getSession"]>[0])) === null) throw wardenError({ code: "NOT_SIGNED_IN" });
          return { userId: identity.subject as UserId, sessionId: identity.sid as SessionId };
        }),
      );
    },
  };
}
