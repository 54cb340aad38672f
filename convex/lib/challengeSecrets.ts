import {
  base64UrlEncode,
  constantTimeEqual,
  hexToBytes,
  randomBytes,
  randomString,
  sha256,
  sha256Hex,
  toHex,
} from "../../src/lib/crypto.js";

/**
 * The secrets a challenge holds, and how they are stored (OTP-1, OTP-5).
 * Tokens (links, OAuth state, pending second factors, browser bindings) are
 * 256-bit random strings stored as their SHA-256, so they can be found by
 * index. Codes are short, so each is hashed with its own salt together with
 * the purpose and identifier it was issued for (OTP-4), and compared in
 * constant time; no plaintext reaches the table.
 */
const TOKEN_BYTES = 32;
const SALT_BYTES = 16;
/** Presented secrets longer than this are wrong without hashing them. */
export const MAX_PRESENTED_LENGTH = 256;

const utf8 = new TextEncoder();

export const newToken = (): string => base64UrlEncode(randomBytes(TOKEN_BYTES));

export const hashToken = (token: string): string => sha256Hex(utf8.encode(token));

export function checkCodeFormat(alphabet: string, length: number) {
  if (new Set(alphabet).size !== alphabet.length || alphabet.length < 2 || alphabet.length > 64) {
    throw new TypeError("A code alphabet needs 2 to 64 distinct characters");
  }
  if (!Number.isInteger(length) || length < 4 || length > 64) {
    throw new TypeError("A code needs 4 to 64 characters");
  }
}

/** A code drawn uniformly from `alphabet` (no modulo bias). */
export const newCode = (alphabet: string, length: number): string => randomString(alphabet, length);

function codeDigest(salt: Uint8Array, purpose: string, identifier: string, code: string) {
  const message = utf8.encode(`${purpose}\u0000${identifier}\u0000${code}`);
  const input = new Uint8Array(salt.length + message.length);
  input.set(salt);
  input.set(message, salt.length);
  return sha256(input);
}

/** The stored form of a code: `<salt hex>$<digest hex>`. */
export function sealCode(purpose: string, identifier: string, code: string): string {
  const salt = randomBytes(SALT_BYTES);
  return `${toHex(salt)}$${toHex(codeDigest(salt, purpose, identifier, code))}`;
}

export function codeMatches(sealed: string, purpose: string, identifier: string, code: string): boolean {
  const [saltHex, digestHex] = sealed.split("$");
  const salt = saltHex === undefined ? null : hexToBytes(saltHex);
  const digest = digestHex === undefined ? null : hexToBytes(digestHex);
  if (salt === null || digest === null || code.length > MAX_PRESENTED_LENGTH) return false;
  return constantTimeEqual(digest, codeDigest(salt, purpose, identifier, code));
}

/** Whether a presented token (or binding) is the one whose hash is stored. */
export function tokenMatches(storedHash: string, token: string): boolean {
  const stored = hexToBytes(storedHash);
  if (stored === null || token.length > MAX_PRESENTED_LENGTH) return false;
  return constantTimeEqual(stored, sha256(utf8.encode(token)));
}
