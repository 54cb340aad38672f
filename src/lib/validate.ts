import type { GenericValidator, Infer } from "convex/values";

/**
 * Checks a value against a Convex validator at run time, so a provider's
 * params get a typed `INVALID_ARGUMENT` naming the field instead of Convex's
 * untyped argument error. Object fields the validator does not declare are
 * dropped from the checked value (forms carry extra inputs); everything
 * declared must match. Where a union has several members that fit, one that
 * declares every field present wins, as Convex's own (strict) check would pick.
 */
export type Checked<V extends GenericValidator> =
  | { ok: true; value: Infer<V> }
  | { ok: false; field: string; expected: string };

/** Strings longer than this are refused wherever a validator accepts a string. */
const MAX_STRING_LENGTH = 1 << 20;

export function check<V extends GenericValidator>(validator: V, value: unknown): Checked<V> {
  const strict = at(validator, value, "", true);
  const result = strict.ok ? strict : at(validator, value, "", false);
  return result.ok ? { ok: true, value: result.value as Infer<V> } : result;
}

type Result = { ok: true; value: unknown } | { ok: false; field: string; expected: string };

const fail = (field: string, expected: string): Result => ({ ok: false, field: field || "(params)", expected });
const pass = (value: unknown): Result => ({ ok: true, value });

function at(validator: GenericValidator, value: unknown, path: string, strict: boolean): Result {
  switch (validator.kind) {
    case "string":
    case "id":
      return typeof value === "string" && value.length <= MAX_STRING_LENGTH ? pass(value) : fail(path, "a string");
    case "float64":
      return typeof value === "number" ? pass(value) : fail(path, "a number");
    case "int64":
      return typeof value === "bigint" ? pass(value) : fail(path, "a bigint");
    case "boolean":
      return typeof value === "boolean" ? pass(value) : fail(path, "a boolean");
    case "null":
      return value === null ? pass(value) : fail(path, "null");
    case "any":
      return value === undefined ? fail(path, "a value") : pass(value);
    case "literal":
      return value === validator.value ? pass(value) : fail(path, JSON.stringify(validator.value));
    case "bytes":
      return value instanceof ArrayBuffer ? pass(value) : fail(path, "bytes");
    case "object":
      return object(validator.fields, value, path, strict);
    case "array":
      return array(validator.element, value, path, strict);
    case "record":
      return record(validator.key, validator.value, value, path, strict);
    case "union":
      return union(validator.members, value, path, strict);
    default:
      return fail(path, `a ${validator.kind}`);
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof ArrayBuffer);

function union(members: GenericValidator[], value: unknown, path: string, strict: boolean): Result {
  let first: Result | undefined;
  let named: Result | undefined;
  for (const strictly of strict ? [true] : [true, false]) {
    first = named = undefined; // report the failure of the most lenient pass
    for (const member of members) {
      const result = at(member, value, path, strictly);
      if (result.ok) return result;
      first ??= result;
      if (namesItself(member, value)) named ??= result;
    }
  }
  // A member the value names by its literal fields (`flow: "reset"`) explains the failure best.
  return named ?? first ?? fail(path, "nothing (an empty union)");
}

/** Whether an object member declares literal fields and `value` has each of them, as declared. */
function namesItself(member: GenericValidator, value: unknown): boolean {
  if (member.kind !== "object" || !isPlainObject(value)) return false;
  const literals = Object.entries(member.fields).filter(([, field]) => field.kind === "literal");
  return literals.length > 0 && literals.every(([name, field]) => value[name] === (field as { value: unknown }).value);
}

function object(fields: Record<string, GenericValidator>, value: unknown, path: string, strict: boolean): Result {
  if (!isPlainObject(value)) return fail(path, "an object");
  if (strict) {
    const undeclared = Object.keys(value).find((name) => !Object.hasOwn(fields, name) && value[name] !== undefined);
    if (undeclared !== undefined) return fail(path ? `${path}.${undeclared}` : undeclared, "no such field");
  }
  const checked: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(fields)) {
    const fieldPath = path ? `${path}.${name}` : name;
    const present = Object.hasOwn(value, name) && value[name] !== undefined;
    if (!present) {
      if (field.isOptional === "optional") continue;
      return fail(fieldPath, "a value");
    }
    const result = at(field, value[name], fieldPath, strict);
    if (!result.ok) return result;
    checked[name] = result.value;
  }
  return pass(checked);
}

function array(element: GenericValidator, value: unknown, path: string, strict: boolean): Result {
  if (!Array.isArray(value)) return fail(path, "an array");
  const checked: unknown[] = [];
  for (const [index, item] of value.entries()) {
    const result = at(element, item, `${path}[${index}]`, strict);
    if (!result.ok) return result;
    checked.push(result.value);
  }
  return pass(checked);
}

function record(key: GenericValidator, item: GenericValidator, value: unknown, path: string, strict: boolean): Result {
  if (!isPlainObject(value)) return fail(path, "an object");
  const checked: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(value)) {
    const keyResult = at(key, name, `${path}{key}`, strict);
    if (!keyResult.ok) return keyResult;
    const result = at(item, entry, path ? `${path}.${name}` : name, strict);
    if (!result.ok) return result;
    checked[name] = result.value;
  }
  return pass(checked);
}
