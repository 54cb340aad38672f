import { base64UrlDecode, base64UrlEncode, digestMatches, hmacSha256, randomBytes, sha256Hex } from "../../src/lib/crypto.js";

/**
 * Refresh tokens are `<sessionId>.<generation>.<secret>`: the id finds the
 * session row, the 256-bit secret proves possession, and the generation says
 * how many refreshes the secret is from the session's first. Each next secret
 * is HMAC(chainKey, previous secret), and only the SHA-256 of the current one
 * is stored. So a genuine token of any earlier generation is recognised by
 * deriving forward from it to the current hash, without storing a row per
 * generation, and a token whose secret is not in the chain matches nothing.
 */
const SECRET_BYTES = 32;

/**
 * How many generations back a token is still recognised as genuine. Deriving
 * costs about 10 µs a generation; a client refreshing every 9 minutes reaches
 * 4,800 generations in 30 days. Older tokens are refused as unknown.
 */
export const MAX_GENERATIONS_BACK = 10_000;

export interface ParsedRefreshToken {
  sessionId: string;
  generation: number;
  secret: Uint8Array;
}

export interface RefreshChain {
  /** The generation of the secret the client holds now. */
  generation: number;
  /** SHA-256 of that secret (hex). */
  currentHash: string;
  /** The HMAC key deriving each next secret (base64url). */
  chainKey: string;
}

export function formatRefreshToken(sessionId: string, generation: number, secret: Uint8Array) {
  return `${sessionId}.${generation}.${base64UrlEncode(secret)}`;
}

const GENERATION = /^(0|[1-9]\d{0,9})$/;

export function parseRefreshToken(token: string): ParsedRefreshToken | null {
  const [sessionId, generation, secretText, ...rest] = token.split(".");
  if (!sessionId || generation === undefined || secretText === undefined || rest.length > 0) return null;
  if (!GENERATION.test(generation)) return null;
  const secret = base64UrlDecode(secretText);
  if (secret === null || secret.length !== SECRET_BYTES) return null;
  return { sessionId, generation: Number(generation), secret };
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
export const hashSecret = (secret: Uint8Array): string => sha256Hex(secret);

/**
 * Where a presented token stands in a session's chain: it holds the current
 * secret, a genuine secret `distance` generations back (with the current
 * secret derived from it), or no secret of this chain at all.
 */
export type ChainPosition =
  | { kind: "current"; secret: Uint8Array }
  | { kind: "spent"; distance: number; current: Uint8Array }
  | { kind: "foreign" };

export function locate(chain: RefreshChain, presented: ParsedRefreshToken): ChainPosition {
  const distance = chain.generation - presented.generation;
  if (distance < 0 || distance > MAX_GENERATIONS_BACK) return { kind: "foreign" };
  let secret = presented.secret;
  for (let step = 0; step < distance; step++) secret = nextSecret(chain.chainKey, secret);
  if (!digestMatches(chain.currentHash, secret)) return { kind: "foreign" };
  return distance === 0 ? { kind: "current", secret } : { kind: "spent", distance, current: secret };
}
