/**
 * Destinations shown masked: what a `codeSent` answer tells the client, and
 * the only form in which a recipient appears in an error message. Enough for
 * the user to recognise their own address, too little to learn someone
 * else's. Both functions are total: any string in, a safe string out.
 */

/** The mask character. */
export const MASK = "•";
/** What stands in for a hidden run of characters whose length is not shown. */
const HIDDEN = MASK.repeat(3);

// Bidi controls could reorder what is shown: always removed. Other control
// and format characters (NUL, zero-width space) are removed too, unless they
// are part of a user-perceived character (the joiner inside an emoji).
const BIDI = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Made once: building a segmenter costs more than masking an address. */
let segmenter: Intl.Segmenter | null | undefined;

/** User-perceived characters, so "é" written as e + accent, or a flag, stays whole. */
function graphemes(text: string): string[] {
  // Printable ASCII, most addresses: each character is one already.
  if (PRINTABLE_ASCII.test(text)) return text.split("");
  segmenter ??= typeof Intl !== "undefined" && "Segmenter" in Intl ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
  return segmenter === null ? Array.from(text) : Array.from(segmenter.segment(text), (part) => part.segment);
}

/**
 * Masks an email address, keeping the domain:
 *
 * - the local part (before the last "@") is cut into user-perceived characters
 *   (Intl.Segmenter; code points where it is missing); bidi controls and
 *   characters that show nothing (controls, zero-width spaces) are dropped;
 * - 1 character: all hidden, `"•••@example.com"`;
 * - 2 to 4 characters: the first is kept, `"a•••@example.com"`;
 * - 5 or more: the first and last are kept, `"a•••e@example.com"`;
 * - the hidden part is always exactly three "•", so its length is not shown;
 * - anything that is not `local@domain` gives `"•••"`.
 *
 * `maskEmail("ada.lovelace@example.com") === "a•••e@example.com"`.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 0) return HIDDEN;
  const local = graphemes(email.slice(0, at).replace(BIDI, "").trim()).filter(
    (character) => character.replace(INVISIBLE, "").trim() !== "",
  );
  const domain = email.slice(at + 1).replace(INVISIBLE, "").trim();
  if (local.length === 0 || domain.length === 0) return HIDDEN;
  const shown =
    local.length === 1
      ? HIDDEN
      : local.length <= 4
        ? `${local[0]}${HIDDEN}`
        : `${local[0]}${HIDDEN}${local[local.length - 1]}`;
  return `${shown}@${domain}`;
}

/**
 * Masks a phone number, keeping its first two and last two digits:
 *
 * - only ASCII digits count (spaces, dashes and other characters are dropped,
 *   a leading "+" is kept);
 * - 7 to 15 digits (the E.164 range, roughly): `"+" + first two + one "•" per
 *   hidden digit + last two`, so `maskPhone("+447700900123") === "+44••••••••23"`;
 * - fewer than 7 digits: `"•••"` followed by the last two digits when there
 *   are at least 4, so nothing identifying is left of a short code;
 * - more than 15: treated like 15 (the extra hidden digits are not counted).
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^0-9]/g, "");
  const plus = phone.trim().startsWith("+") ? "+" : "";
  if (digits.length < 7) return digits.length >= 4 ? `${HIDDEN}${digits.slice(-2)}` : HIDDEN;
  const hidden = Math.min(digits.length, 15) - 4;
  return `${plus}${digits.slice(0, 2)}${MASK.repeat(hidden)}${digits.slice(-2)}`;
}
