import { describe, expect, test } from "vitest";
import { dictionary } from "@zxcvbn-ts/language-common";
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import {
  blocklistForm,
  decodeFrontCoded,
  isCommonPassword,
  loadBlocklist,
  withoutTrailingSymbols,
} from "../../src/lib/password/blocklist";
import { BLOCKLIST_ENTRIES, BLOCKLIST_FRONT_CODED, BLOCKLIST_SHA256 } from "../../src/lib/password/blocklist.generated";

// Runs in edge-runtime, like the policy that uses it. Sizes and chunking are
// checked on Node in blocklistBundle.test.ts.

const codePoints = (text: string) => [...text].length;
const ranked = dictionary["passwords-common"] as string[];

describe("the generated list", () => {
  test("decodes to the entries the generator wrote (count and sha256 agree)", async () => {
    const entries = await loadBlocklist();
    expect(entries.size).toBe(BLOCKLIST_ENTRIES);
    const sorted = [...entries].sort();
    expect(encodeHexLowerCase(sha256(new TextEncoder().encode(sorted.join("\n"))))).toBe(BLOCKLIST_SHA256);
    expect(await loadBlocklist()).toBe(entries);
  });

  test("holds only entries a length rule would let through: 8+ code points, NFKC, lower case", async () => {
    for (const entry of await loadBlocklist()) {
      expect(codePoints(entry)).toBeGreaterThanOrEqual(8);
      expect(blocklistForm(entry)).toBe(entry);
    }
  });

  test("short entries of the source list are excluded by design", async () => {
    const entries = await loadBlocklist();
    const short = ranked.slice(0, 50).filter((word) => codePoints(word) < 8);
    expect(short).toEqual(expect.arrayContaining(["123456", "qwerty", "dragon", "monkey", "letmein"]));
    for (const word of short) {
      expect(entries.has(word)).toBe(false);
      expect(await isCommonPassword(word)).toBe(false);
    }
  });

  test("no entry is a trailing variant of another (the generator mirrors the lookup)", async () => {
    const entries = await loadBlocklist();
    for (const entry of entries) {
      const base = withoutTrailingSymbols(entry);
      if (base !== entry) expect(entries.has(base)).toBe(false);
    }
  });

  test("the most common 8+ character passwords of the source are all caught", async () => {
    const top = ranked.map(blocklistForm).filter((word) => codePoints(word) >= 8).slice(0, 1000);
    expect(top.length).toBe(1000);
    for (const word of top) expect(await isCommonPassword(word)).toBe(true);
  });
});

describe("isCommonPassword", () => {
  test.each(["password", "baseball", "trustno1", "iloveyou", "1qaz2wsx", "qwertyuiop", "12345678"])(
    "%s is common",
    async (password) => {
      expect(await isCommonPassword(password)).toBe(true);
    },
  );

  test("matching ignores case and NFKC differences", async () => {
    for (const variant of ["PASSWORD", "PassWord", "ｐａｓｓｗｏｒｄ", "ＰＡＳＳＷＯＲＤ", "１２３４５６７８", "ＴｒｕｓｔＮｏ１", "ℐloveyou"]) {
      expect(await isCommonPassword(variant)).toBe(true);
    }
  });

  test("trailing digits, punctuation and spaces are caught", async () => {
    for (const variant of ["password1", "Password123!", "sunshine 2024", "iloveyou!!", "baseball#1", "football2000", "ｐａｓｓｗｏｒｄ１２３"]) {
      expect(await isCommonPassword(variant)).toBe(true);
    }
  });

  test("what is documented as not caught is not caught", async () => {
    for (const password of ["1password", "xpassword", "monkey9876", "password is long enough", "passwordz"]) {
      expect(await isCommonPassword(password)).toBe(false);
    }
  });

  test("random passphrases are accepted", async () => {
    expect(await isCommonPassword("correct horse battery")).toBe(false);
    expect(await isCommonPassword("glacier vellum quietly sideways")).toBe(false);
    for (let i = 0; i < 50; i++) {
      const random = encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(10)));
      expect(await isCommonPassword(random)).toBe(false);
    }
  });
});

describe("front coding", () => {
  test("round-trips a small list and refuses corrupt data", () => {
    expect([...decodeFrontCoded("AabcDdEefBz")]).toEqual(["abc", "abcd", "abcdef", "az"]);
    expect(decodeFrontCoded("").size).toBe(0);
    for (const corrupt of ["Dabc", "AabDz", "abc"]) expect(() => decodeFrontCoded(corrupt)).toThrow(TypeError);
    expect(BLOCKLIST_FRONT_CODED.startsWith("A")).toBe(true);
  });
});
