import { expect, test } from "vitest";
import {
  base64UrlDecode,
  base64UrlEncode,
  digestMatches,
  hmacSha256,
  randomBytes,
  randomString,
  sha256Hex,
  toHex,
} from "../src/lib/crypto";
import { formatRefreshToken, parseRefreshToken } from "../convex/lib/refreshToken";

const utf8 = (text: string) => new TextEncoder().encode(text);

test("SHA-256 and HMAC-SHA-256 give the published vectors (FIPS 180-4, RFC 4231)", () => {
  expect(sha256Hex(utf8("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const key = new Uint8Array(20).fill(0x0b);
  expect(toHex(hmacSha256(key, utf8("Hi There")))).toBe(
    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
  );
});

test("digestMatches compares a stored hex digest with a candidate's digest", () => {
  const secret = randomBytes(32);
  expect(digestMatches(sha256Hex(secret), secret)).toBe(true);
  expect(digestMatches(sha256Hex(secret), randomBytes(32))).toBe(false);
  expect(digestMatches("not hex", secret)).toBe(false);
  expect(digestMatches(sha256Hex(secret).slice(2), secret)).toBe(false);
});

test("base64url round-trips any bytes and rejects what is not unpadded base64url", () => {
  for (let length = 0; length < 70; length++) {
    const bytes = randomBytes(length);
    expect(base64UrlDecode(base64UrlEncode(bytes))).toEqual(bytes);
  }
  for (const bad of ["a", "ab+c", "ab/c", "ab=c", "a b", "YQ=="]) expect(base64UrlDecode(bad)).toBeNull();
});

test("randomString draws from the alphabet only, each symbol about equally often", () => {
  const counts = new Map<string, number>();
  for (const char of randomString("0123456789", 20_000)) counts.set(char, (counts.get(char) ?? 0) + 1);
  expect([...counts.keys()].sort().join("")).toBe("0123456789");
  // 2,000 expected per digit; 5 standard deviations is about ±212.
  for (const count of counts.values()) expect(Math.abs(count - 2000)).toBeLessThan(250);
});

test("refresh tokens parse back only with a generation and a 256-bit secret", () => {
  const secret = randomBytes(32);
  expect(parseRefreshToken(formatRefreshToken("session1", 7, secret))).toEqual({
    sessionId: "session1",
    generation: 7,
    secret,
  });
  const good = base64UrlEncode(randomBytes(32));
  for (const bad of [
    "",
    "session1",
    `session1.${good}`,
    `.0.${good}`,
    `session1.-1.${good}`,
    `session1.01.${good}`,
    `session1.1e3.${good}`,
    `session1.0.${good}.extra`,
    `session1.0.${base64UrlEncode(randomBytes(31))}`,
    "session1.0.!!",
  ]) {
    expect(parseRefreshToken(bad)).toBeNull();
  }
});
