import { v, type Infer, type Validator, type Value } from "convex/values";
import type { AuthProvider } from "./provider.js";

/**
 * The args of the app's `signIn` mutation, typed per provider: the union of
 * `{ provider: id; params }` over the configured providers, so a wrong
 * provider id or a missing param is a type error in the app and on the
 * client. Fields a provider does not declare may still be sent (a form's
 * extra inputs, profile fields a callback reads from `rawParams`).
 */
export type SignInArgs<Providers extends readonly AuthProvider[]> = {
  [I in keyof Providers]: Providers[I] extends AuthProvider<infer Id, infer Params>
    ? { provider: Id; params: Infer<Params> & ExtraParams }
    : never;
}[number];

/** Undeclared params, passed through to the provider as `rawParams` only. */
export type ExtraParams = { [field: string]: Value | undefined };

/**
 * The runtime validator of those args: deliberately loose. Convex would
 * refuse bad params with an untyped argument error before the handler runs;
 * the frame instead checks them against the provider's own validator and
 * throws INVALID_ARGUMENT naming the field. The type is the precise union.
 */
export function signInArgsValidator<Providers extends readonly AuthProvider[]>() {
  return v.object({
    provider: v.string(),
    params: v.optional(v.record(v.string(), v.any())),
  }) as unknown as Validator<SignInArgs<Providers>>;
}
