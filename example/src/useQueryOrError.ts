import { useMemo } from "react";
import { useQueries } from "convex/react";
import { getFunctionName, type FunctionReference, type FunctionReturnType } from "convex/server";

/**
 * A live query without arguments whose failure is a value, not a throw:
 * `undefined` while loading, the `Error` when it failed (a `ConvexError`
 * with its code), else the result. `useQuery` throws into the render instead.
 */
export function useQueryOrError<Query extends FunctionReference<"query", "public", Record<string, never>>>(
  query: Query,
): FunctionReturnType<Query> | Error | undefined {
  // `api.x.y` is a new object at each access: the function's name is what stays the same.
  const name = getFunctionName(query);
  // Keyed by the name: the reference it names is the same function whichever object carries it.
  const queries = useMemo(() => ({ result: { query, args: {} } }), [name]);
  return useQueries(queries).result as FunctionReturnType<Query> | Error | undefined;
}
