import { expect, test } from "vitest";
import { hmacSha256, sha256 } from "../src/lib/sha256";
import { randomBytes, toHex } from "../src/lib/crypto";

const hex = (bytes: ArrayBuffer | Uint8Array) => toHex(new Uint8Array(bytes));
const subtle = crypto.subtle;

test("SHA-256 known answers (FIPS 180-4 examples)", () => {
  const text = (s: string) => new TextEncoder().encode(s);
  expect(hex(sha256(text("")))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  expect(hex(sha256(text("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  expect(hex(sha256(text("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))).toBe(
    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
  );
});

test("SHA-256 agrees with Web Crypto across every length around the block boundaries", async () => {
  for (let length = 0; length <= 200; length++) {
    const message = randomBytes(length);
    expect(hex(sha256(message))).toBe(hex(await subtle.digest("SHA-256", new Uint8Array(message))));
  }
});

test("HMAC-SHA-256 agrees with Web Crypto for short, block-sized and long keys", async () => {
  for (const keyLength of [1, 32, 63, 64, 65, 100]) {
    for (const messageLength of [0, 32, 64, 129]) {
      const key = randomBytes(keyLength);
      const message = randomBytes(messageLength);
      const cryptoKey = await subtle.importKey("raw", new Uint8Array(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      const expected = hex(await subtle.sign("HMAC", cryptoKey, new Uint8Array(message)));
      expect(hex(hmacSha256(key, message))).toBe(expected);
    }
  }
});

test("HMAC-SHA-256 known answer (RFC 4231 test case 2)", () => {
  const text = (s: string) => new TextEncoder().encode(s);
  expect(hex(hmacSha256(text("Jefe"), text("what do ya want for nothing?")))).toBe(
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
  );
});
