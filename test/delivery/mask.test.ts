import { expect, test } from "vitest";
import { maskEmail, maskPhone } from "../../src/lib/mask";

test.each([
  ["ada.lovelace@example.com", "a•••e@example.com"],
  ["ab@example.com", "a•••@example.com"],
  ["abcd@example.com", "a•••@example.com"],
  ["abcde@example.com", "a•••e@example.com"],
  ["a@example.com", "•••@example.com"],
  ["x+tag@sub.example.co.uk", "x•••g@sub.example.co.uk"],
  ['"odd@local"@example.com', '"•••"@example.com'],
  // Combining accents, emoji sequences and flags stay whole.
  ["e\u0301lodie.martin@example.fr", "e\u0301•••n@example.fr"],
  ["👩‍💻dev🇫🇷@example.com", "👩‍💻•••🇫🇷@example.com"],
  ["josé@exämple.de", "j•••@exämple.de"],
  // Bidi overrides and zero-width characters are dropped, never shown.
  ["\u202Eadmin\u200B@example.com", "a•••n@example.com"],
  ["\u200B@example.com", "•••"],
  // Not local@domain: nothing is shown.
  ["no-at-sign", "•••"],
  ["@example.com", "•••"],
  ["user@", "•••"],
  ["", "•••"],
])("maskEmail(%j) is %j", (input, masked) => {
  expect(maskEmail(input)).toBe(masked);
});

test("the hidden part of an email never reveals the local part's length", () => {
  expect(maskEmail("abcdefghij@example.com")).toBe(maskEmail("aj@example.com").replace("a•••", "a•••j"));
  expect(maskEmail("averyveryverylonglocalpartz@x.io")).toBe("a•••z@x.io");
});

test.each([
  ["+447700900123", "+44••••••••23"],
  ["+14155550123", "+14•••••••23"],
  ["+4915123456789", "+49•••••••••89"],
  ["+1 (415) 555-0123", "+14•••••••23"],
  ["+3312345", "+33•••45"],
  ["+123456789012345", "+12•••••••••••45"],
  ["+1234567890123456789", "+12•••••••••••89"],
  ["12345", "•••45"],
  ["123", "•••"],
  ["", "•••"],
  ["+٤٤٧٧٠٠٩٠٠١٢٣", "•••"],
  ["not a phone", "•••"],
])("maskPhone(%j) is %j", (input, masked) => {
  expect(maskPhone(input)).toBe(masked);
});
