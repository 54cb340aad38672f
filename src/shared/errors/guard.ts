import { ConvexError, type Value } from "convex/values";
import type { WardenErrorCode, WardenErrorData, WardenErrorDataOf } from "./catalog.js";

/**
 * What browsers import to recognise failures: no validators, no catalog,
 * only the guard and the types (erased at build time).
 */

/**
 * A failure with a code this version does not know, from a newer server. A
 * client treats it as that call's failure, never as a network error to retry.
 */
export type UnknownWardenErrorData = { code: string & {}; message?: string; [field: string]: Value | undefined };

/** Any failure a client may receive: a known one, narrowed by `code`, or a newer one. */
export type AnyWardenErrorData = WardenErrorData | UnknownWardenErrorData;

/** A `ConvexError` carrying a convex-warden failure. */
export type WardenError<Data extends AnyWardenErrorData = AnyWardenErrorData> = ConvexError<Data>;

export function wardenError<Data extends AnyWardenErrorData>(data: Data): WardenError<Data> {
  return new ConvexError(data);
}

/**
 * Type guard: is `error` a convex-warden failure (any `ConvexError` whose data
 * has a string `code`, including codes newer than this version)? With `code`,
 * also checks the code, and narrows the payload to that code's fields:
 * `if (isWardenError(error, "RATE_LIMITED")) wait(error.data.retryAfterMs)`.
 */
export function isWardenError(error: unknown): error is WardenError;
export function isWardenError<C extends WardenErrorCode>(
  error: unknown,
  code: C,
): error is WardenError<WardenErrorDataOf<C>>;
export function isWardenError(error: unknown, code?: string): boolean {
  if (!(error instanceof ConvexError)) return false;
  const data: unknown = error.data;
  if (typeof data !== "object" || data === null || !("code" in data) || typeof data.code !== "string") {
    return false;
  }
  return code === undefined || data.code === code;
}
