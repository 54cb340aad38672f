/**
 * Email addresses as account identifiers: one mailbox is one account however
 * it is typed. Trimmed, Unicode-normalized (NFC, so a composed "é" and "e" +
 * combining accent are the same address) and lower-cased, the same at sign-up
 * and sign-in. The check is deliberately loose (one "@", a dot in the domain,
 * no spaces or invisible characters): delivery is the real test.
 */
const MAX_EMAIL_LENGTH = 254;
/** Inputs longer than this are refused before any normalization runs. */
const MAX_RAW_LENGTH = 1024;
const SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;
/** Control, format (zero-width, bidi), unassigned, private-use and separator characters. */
const INVISIBLE = /[\p{C}\p{Z}]/u;

export function normalizeEmail(raw: string): string | null {
  if (raw.length > MAX_RAW_LENGTH) return null;
  const email = raw.trim().normalize("NFC").toLowerCase().normalize("NFC");
  if (email.length > MAX_EMAIL_LENGTH || !SHAPE.test(email) || INVISIBLE.test(email)) return null;
  return email;
}
