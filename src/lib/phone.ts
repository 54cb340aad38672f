/**
 * Phone numbers as account identifiers, in E.164 form: "+", a country code
 * and the number, 8 to 15 digits in all, the first not 0. Spaces, dashes,
 * dots and parentheses people type are dropped; anything else, or a number
 * without its country code, is refused: guessing a country would sign the
 * wrong person in.
 */
const MAX_RAW_LENGTH = 64;
const SEPARATORS = /[\s().-]/g;
const E164 = /^\+[1-9][0-9]{7,14}$/;

export function normalizePhone(raw: string): string | null {
  if (raw.length > MAX_RAW_LENGTH) return null;
  const phone = raw.trim().replace(SEPARATORS, "");
  return E164.test(phone) ? phone : null;
}
