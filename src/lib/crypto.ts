/**
 * The project's one door to cryptographic primitives and binary encodings,
 * all from `@oslojs/crypto` and `@oslojs/encoding`: nothing here is written
 * by hand. Synchronous, and free of Node built-ins, so it runs in Convex's
 * default runtime, the browser and Node alike.
 */
import { hmac } from "@oslojs/crypto/hmac";
import type { RandomReader } from "@oslojs/crypto/random";
import { generateRandomString } from "@oslojs/crypto/random";
import { SHA256, sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import {
  decodeBase64IgnorePadding,
  decodeBase64urlIgnorePadding,
  decodeHex,
  encodeBase64urlNoPadding,
  encodeHexLowerCase,
} from "@oslojs/encoding";

export type { RandomReader };
export { constantTimeEqual, sha256 };

/** The runtime's CSPRNG (`crypto.getRandomValues`). */
export const systemRandom: RandomReader = {
  read: (bytes) => void crypto.getRandomValues(bytes),
};

export function randomBytes(length: number, random: RandomReader = systemRandom): Uint8Array {
  const bytes = new Uint8Array(length);
  random.read(bytes);
  return bytes;
}

/**
 * `length` characters drawn uniformly from `alphabet` (rejection sampling, so
 * no modulo bias): one-time codes.
 */
export const randomString = (alphabet: string, length: number, random: RandomReader = systemRandom) =>
  generateRandomString(random, alphabet, length);

export const hmacSha256 = (key: Uint8Array, message: Uint8Array): Uint8Array =>
  hmac(SHA256, key, message);

/** SHA-256 of `bytes`, as lower-case hex: the stored form of every secret. */
export const sha256Hex = (bytes: Uint8Array): string => encodeHexLowerCase(sha256(bytes));

/** Compares a hex digest with the digest of a candidate, in constant time. */
export function digestMatches(storedHex: string, candidate: Uint8Array): boolean {
  const stored = hexToBytes(storedHex);
  return stored !== null && constantTimeEqual(stored, sha256(candidate));
}

export const base64UrlEncode = (bytes: Uint8Array): string => encodeBase64urlNoPadding(bytes);

/** Decodes unpadded base64url; null for anything else (padding included). */
export function base64UrlDecode(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    return decodeBase64urlIgnorePadding(text);
  } catch {
    return null;
  }
}

/** Decodes standard base64 (padding optional); null for anything else. */
export function base64Decode(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  try {
    return decodeBase64IgnorePadding(text);
  } catch {
    return null;
  }
}

export const toHex = (bytes: Uint8Array): string => encodeHexLowerCase(bytes);

export function hexToBytes(hex: string): Uint8Array | null {
  try {
    return decodeHex(hex);
  } catch {
    return null;
  }
}
