/**
 * Replaces whole tokens in a Convex value: each known string that stands
 * alone or between non-alphanumeric characters (an id, an email, the id in
 * `<sessionId>.<secret>` or `<userId>|<sessionId>`) becomes what the current
 * map says. Turns a template's rows into a copy's. Pure, so it runs inside
 * the bench's seeding mutation as well as in the harness.
 */
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const tokens = (froms: readonly string[]) =>
  // Longest first, so a token that contains another is replaced whole.
  new RegExp(
    `(?<![A-Za-z0-9])(?:${[...froms].sort((a, b) => b.length - a.length).map(escape).join("|")})(?![A-Za-z0-9])`,
    "g",
  );

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === "string") return map(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, map));
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, map)]));
  }
  return value;
}

/**
 * A substituter for a fixed set of strings that may be replaced (compiled
 * once); each call replaces those present in `to`, and leaves the rest.
 */
export function substituter(froms: readonly string[]) {
  if (froms.length === 0) return (value: unknown) => value;
  const regex = tokens(froms);
  return (value: unknown, to: ReadonlyMap<string, string>) =>
    mapStrings(value, (text) => text.replace(regex, (match) => to.get(match) ?? match));
}

/** `value` with each string of `to`'s keys replaced by its value. */
export const substitute = (value: unknown, to: ReadonlyMap<string, string>) => substituter([...to.keys()])(value, to);

/** Whether `value` holds `token` as a whole token anywhere. */
export function mentions(value: unknown, token: string): boolean {
  const regex = new RegExp(`(?<![A-Za-z0-9])${escape(token)}(?![A-Za-z0-9])`);
  let found = false;
  mapStrings(value, (text) => {
    found ||= regex.test(text);
    return text;
  });
  return found;
}
