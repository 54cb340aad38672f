/**
 * Values and timestamps as the Convex clients expect them on the wire.
 *
 * - Function arguments and results travel as `convexToJson` values.
 * - Timestamps (a query set's `ts`, a mutation's commit `ts`) are unsigned
 *   64-bit integers sent as the base64 of their 8 little-endian bytes.
 * - A failed function is a message plus, for a `ConvexError`, its `data`,
 *   which the clients put back on the `ConvexError` they throw.
 */
import { decodeBase64, encodeBase64 } from "@oslojs/encoding";
import { convexToJson, jsonToConvex, type JSONValue, type Value } from "convex/values";

/** A database timestamp: nanoseconds on convex-test's commit clock. */
export type Timestamp = bigint;

export function encodeTimestamp(ts: Timestamp): string {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, ts, true);
  return encodeBase64(bytes);
}

export function decodeTimestamp(encoded: string): Timestamp {
  const bytes = decodeBase64(encoded);
  if (bytes.length !== 8) throw new TypeError("a timestamp is 8 bytes");
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
}

/** What running a function gave, ready for the wire. */
export type FunctionOutcome =
  | { success: true; value: JSONValue }
  | { success: false; errorMessage: string; errorData?: JSONValue };

export const success = (value: unknown): FunctionOutcome => ({
  success: true,
  value: convexToJson((value ?? null) as Value),
});

const CONVEX_ERROR = Symbol.for("ConvexError");

/** The `data` of a `ConvexError` (from any copy of the `convex` package), else undefined. */
function convexErrorData(error: unknown): { data: Value } | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const marked = (error as Record<symbol, unknown>)[CONVEX_ERROR] === true;
  return marked && "data" in error ? { data: (error as { data: Value }).data } : undefined;
}

/**
 * A thrown error as a development deployment reports it: the message, and the
 * `ConvexError` data that reaches the client in any deployment.
 */
export function failure(error: unknown): FunctionOutcome {
  const convexError = convexErrorData(error);
  const name = error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  return convexError
    ? { success: false, errorMessage: `Uncaught ConvexError: ${message}`, errorData: convexToJson(convexError.data) }
    : { success: false, errorMessage: `Uncaught ${name}: ${message}` };
}

/** The single argument object of a call: `args` is `[convexToJson(argsObject)]` on the wire. */
export function callArgs(args: unknown): Record<string, Value> {
  const list = Array.isArray(args) ? args : [args];
  if (list.length > 1) throw new TypeError("a Convex function takes one argument object");
  const value = list.length === 0 ? {} : jsonToConvex(list[0] as JSONValue);
  if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof ArrayBuffer) {
    throw new TypeError("a Convex function's arguments are an object");
  }
  return value as Record<string, Value>;
}
