/**
 * Length and size of a password without copying it: the policy runs these on
 * input of any size, before anything else touches it.
 */

/**
 * Whether `text` has at least `min` code points. Counts like `[...text]`
 * (a surrogate pair is one, a lone surrogate is one), stops at `min`, and
 * allocates nothing.
 */
export function hasCodePoints(text: string, min: number): boolean {
  let count = 0;
  for (let i = 0; i < text.length && count < min; i++) {
    if (isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1))) i++;
    count++;
  }
  return count >= min;
}

/**
 * Whether `text` takes more than `max` bytes in UTF-8, as `TextEncoder`
 * writes it (a lone surrogate becomes U+FFFD, 3 bytes). O(1) when the UTF-16
 * length alone settles it (every code unit takes at least one byte), and
 * stops as soon as `max` is passed otherwise.
 */
export function exceedsUtf8Bytes(text: string, max: number): boolean {
  if (text.length > max) return true;
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= max; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (isHighSurrogate(code) && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes > max;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * The password as it is hashed and compared (PW-6: NFKC, the same at set and
 * verify time), or null when it is over `maxBytes` either as given or once
 * normalized. The raw size is checked first, so an oversized input is
 * refused before `normalize()` spends time on it (NFKC can expand a string
 * eighteenfold: U+FDFA becomes 18 code points).
 */
export function normalizeBounded(password: string, maxBytes: number): string | null {
  if (exceedsUtf8Bytes(password, maxBytes)) return null;
  const normalized = password.normalize("NFKC");
  return exceedsUtf8Bytes(normalized, maxBytes) ? null : normalized;
}
