import { base64UrlDecode, base64UrlEncode, randomBytes, toHex } from "../../src/lib/crypto.js";
import { hmacSha256, sha256 } from "../../src/lib/sha256.js";

/**
 * Refresh tokens are `<sessionId>.<secret>`: the id finds the session row, the
 * 256-bit secret proves possession. Only SHA-256 hashes of secrets are stored.
 * Each next secret is HMAC(chainKey, presented secret), so a second tab that
 * presents the secret the first tab just spent can be handed the same new
 * secret without storing it.
 */
const SECRET_BYTES = 32;

export interface ParsedRefreshToken {
  sessionId: string;
  secret: Uint8Array;
}

export function formatRefreshToken(sessionId: string, secret: Uint8Array) {
  return `${sessionId}.${base64UrlEncode(secret)}`;
}

export function parseRefreshToken(token: string): ParsedRefreshToken | null {
  const dot = token.indexOf(".");
  if (dot <= 0) return null;
  const secret = base64UrlDecode(token.slice(dot + 1));
  if (secret === null || secret.length !== SECRET_BYTES) return null;
  return { sessionId: token.slice(0, dot), secret };
}

/** A fresh chain: the key that derives secrets and the first secret. */
export function newChain() {
  return {
    chainKey: base64UrlEncode(randomBytes(SECRET_BYTES)),
    secret: randomBytes(SECRET_BYTES),
  };
}

export function nextSecret(chainKey: string, secret: Uint8Array): Uint8Array {
  const key = base64UrlDecode(chainKey);
  if (key === null) throw new TypeError("Corrupt refresh chain key");
  return hmacSha256(key, secret);
}

/** The stored form of a secret: SHA-256, hex. */
export const hashSecret = (secret: Uint8Array): string => toHex(sha256(secret));
