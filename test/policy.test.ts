import { expect, test } from "vitest";
import { checkPassword, codePointLength, normalizePassword, utf8Length } from "../src/lib/password/policy";

const encoded = (text: string) => new TextEncoder().encode(text).length;

test("utf8Length agrees with TextEncoder, lone surrogates included", () => {
  for (const text of ["", "ascii", "é", "€uro", "😀", "a😀b", "\ud800", "\udc00x", "\ud83d", "漢字🀄︎"]) {
    expect(utf8Length(text)).toBe(encoded(text));
  }
});

test("utf8Length stops early past its limit", () => {
  expect(utf8Length("x".repeat(10_000), 100)).toBeLessThanOrEqual(101);
});

test("codePointLength counts astral characters once", () => {
  expect(codePointLength("😀😀😀")).toBe(3);
  expect(codePointLength("a\ud800b")).toBe(3);
  expect(codePointLength("")).toBe(0);
});

test("normalizePassword applies NFKC and refuses input over the cap before or after it", () => {
  expect(normalizePassword("\uFB01ne")).toBe("fine");
  expect(normalizePassword("x".repeat(1024))).toBe("x".repeat(1024));
  expect(normalizePassword("x".repeat(1025))).toBeNull();
  expect(normalizePassword("\uFDFA".repeat(300))).toBeNull();
});

test("checkPassword: length in code points, then the byte cap", () => {
  const policy = { minLength: 8, maxBytes: 1024 };
  expect(checkPassword("😀".repeat(7), policy)).toBe("too_short");
  expect(checkPassword("😀".repeat(8), policy)).toBeNull();
  expect(checkPassword("é".repeat(513), policy)).toBe("too_long");
});
