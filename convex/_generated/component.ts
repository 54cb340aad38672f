/* The warden component's API as the app sees it (committed; no codegen runs offline). */
import type { FunctionReference } from "convex/server";
import type { GenericId } from "convex/values";
import type { PublicApi } from "./api.js";

/**
 * Document ids are plain strings outside the component, as Convex's codegen
 * types them: the app never needs the component's `Id<>` types.
 */
type IdsAsStrings<T> =
  T extends GenericId<string>
    ? string
    : T extends readonly (infer Item)[]
      ? IdsAsStrings<Item>[]
      : T extends object
        ? { [K in keyof T]: IdsAsStrings<T[K]> }
        : T;

/**
 * Across a component boundary every public function is reached as an
 * internal reference: the app's server code can call it, clients cannot.
 */
type AsSeenByParent<T, Name extends string | undefined> = {
  [K in keyof T]: T[K] extends FunctionReference<infer Type, "public", infer Args, infer Returns>
    ? FunctionReference<Type, "internal", IdsAsStrings<Args>, IdsAsStrings<Returns>, Name>
    : AsSeenByParent<T[K], Name>;
};

export type ComponentApi<Name extends string | undefined = string | undefined> =
  AsSeenByParent<PublicApi, Name>;
