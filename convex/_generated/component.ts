/* The warden component's API as the app sees it (committed; no codegen runs offline). */
import type { FunctionReference } from "convex/server";
import type { PublicApi } from "./api.js";

/**
 * Across a component boundary every public function is reached as an
 * internal reference: the app's server code can call it, clients cannot.
 */
type AsSeenByParent<T, Name extends string | undefined> = {
  [K in keyof T]: T[K] extends FunctionReference<
    infer Type,
    "public",
    infer Args,
    infer Returns
  >
    ? FunctionReference<Type, "internal", Args, Returns, Name>
    : AsSeenByParent<T[K], Name>;
};

export type ComponentApi<Name extends string | undefined = string | undefined> =
  AsSeenByParent<PublicApi, Name>;
