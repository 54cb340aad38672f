import { expect, test } from "vitest";
import { base64UrlDecode, base64UrlEncode, randomBytes, timingSafeEqual } from "../src/lib/crypto";
import { formatRefreshToken, parseRefreshToken } from "../convex/lib/refreshToken";

test("timingSafeEqual compares whole strings, whatever their lengths", () => {
  expect(timingSafeEqual("abc123", "abc123")).toBe(true);
  expect(timingSafeEqual("abc123", "abc124")).toBe(false);
  expect(timingSafeEqual("abc", "abc123")).toBe(false);
  expect(timingSafeEqual("abc123", "abc")).toBe(false);
  expect(timingSafeEqual("", "")).toBe(true);
});

test("base64url round-trips any bytes and rejects what is not base64url", () => {
  for (let length = 0; length < 70; length++) {
    const bytes = randomBytes(length);
    expect(base64UrlDecode(base64UrlEncode(bytes))).toEqual(bytes);
  }
  for (const bad of ["a", "ab+c", "ab/c", "ab=c", "a b"]) expect(base64UrlDecode(bad)).toBeNull();
});

test("refresh tokens parse back only with a 256-bit secret", () => {
  const secret = randomBytes(32);
  expect(parseRefreshToken(formatRefreshToken("session1", secret))).toEqual({ sessionId: "session1", secret });
  for (const bad of ["", "session1", ".secret", `session1.${base64UrlEncode(randomBytes(31))}`, "session1.!!"]) {
    expect(parseRefreshToken(bad)).toBeNull();
  }
});
