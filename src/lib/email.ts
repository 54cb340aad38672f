/**
 * Email addresses as account identifiers: trimmed and lower-cased, so one
 * mailbox is one account however it is typed. The check is deliberately loose
 * (one "@", a dot in the domain, no spaces): delivery is the real test.
 */
const MAX_EMAIL_LENGTH = 254;
const SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  if (email.length > MAX_EMAIL_LENGTH || !SHAPE.test(email)) return null;
  return email;
}
