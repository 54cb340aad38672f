/**
 * Usernames as account identifiers, for apps without email: one name is one
 * account however it is typed. Trimmed, NFKC-normalized (so full-width and
 * compatibility forms fold to the plain letters) and lower-cased, the same at
 * sign-up and sign-in. Only ASCII letters, digits, ".", "_" and "-" are
 * allowed after that, starting with a letter or digit: no look-alike
 * characters from other scripts, no spaces, nothing invisible.
 */
export const USERNAME_MIN_LENGTH = 3;
export const USERNAME_MAX_LENGTH = 32;
const MAX_RAW_LENGTH = 256;
const SHAPE = /^[a-z0-9][a-z0-9._-]*$/;

export function normalizeUsername(raw: string): string | null {
  if (raw.length > MAX_RAW_LENGTH) return null;
  const name = raw.trim().normalize("NFKC").toLowerCase();
  if (name.length < USERNAME_MIN_LENGTH || name.length > USERNAME_MAX_LENGTH || !SHAPE.test(name)) return null;
  return name;
}
