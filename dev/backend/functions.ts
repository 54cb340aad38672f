/**
 * Finding the public function a client names. Clients name functions by
 * `module:function` (`users:viewer`; `users` alone means its default export)
 * and may only call public ones: as on a deployment, an internal function or
 * one of another kind is not found.
 */
import { makeFunctionReference, type FunctionReference } from "convex/server";
import type { ModuleExports } from "./modules.js";

export type FunctionKind = "query" | "mutation" | "action";

/** A client asked for a function that is not there (or not public, or not of that kind). */
export class FunctionNotFound extends Error {
  override name = "FunctionNotFound";
}

/** `users:viewer`, `users.js:viewer` and `users:viewer` all name one function. */
export function canonicalPath(udfPath: string): { module: string; name: string; path: string } {
  const colon = udfPath.lastIndexOf(":");
  const module = (colon === -1 ? udfPath : udfPath.slice(0, colon)).replace(/\.js$/, "");
  const name = colon === -1 ? "default" : udfPath.slice(colon + 1);
  return { module, name, path: `${module}:${name}` };
}

const KIND_FLAG = { query: "isQuery", mutation: "isMutation", action: "isAction" } as const;

/** The reference convex-test runs, once the function is known to be public and of `kind`. */
export function publicFunction<Kind extends FunctionKind>(
  modules: Map<string, ModuleExports>,
  kind: Kind,
  udfPath: unknown,
): FunctionReference<Kind, "public"> {
  if (typeof udfPath !== "string" || udfPath === "") throw new FunctionNotFound("a function path is required");
  const { module, name, path } = canonicalPath(udfPath);
  const fn = modules.get(module)?.[name] as ((...args: never) => unknown) & Record<string, unknown>;
  if (typeof fn !== "function" || fn[KIND_FLAG[kind]] !== true || fn.isPublic !== true) {
    throw new FunctionNotFound(`Could not find public function for '${path}'`);
  }
  return makeFunctionReference<Kind>(path) as FunctionReference<Kind, "public">;
}
