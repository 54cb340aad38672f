import { makeFunctionReference } from "convex/server";
import type { Value } from "convex/values";

/** What `signInStep` and `signInAction` take: which provider's step, and its arguments. */
export type StepArgs = {
  provider: string;
  step: string;
  args: Record<string, Value>;
};

/**
 * References to the app's own `signInStep` and `signInAction`, which
 * `convexAuth` returns and `convex/<functionsModule>.ts` exports: a step that
 * runs in an action calls back into a mutation (and a mutation schedules an
 * action) through them. Built from the module's name in this one place.
 */
export function selfReferences(functionsModule: string) {
  return {
    signInStep: makeFunctionReference<"mutation", StepArgs, Value>(`${functionsModule}:signInStep`),
    signInAction: makeFunctionReference<"action", StepArgs, null>(`${functionsModule}:signInAction`),
  };
}
