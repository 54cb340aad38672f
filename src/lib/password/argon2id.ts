import { decodeBase64IgnorePadding, encodeBase64NoPadding } from "@oslojs/encoding";
import { constantTimeEqual, randomBytes } from "../crypto.js";
import { argon2idWasm, loadArgon2idWasm } from "./argon2idWasm.js";
import type { PasswordHasher } from "./hasher.js";

/**
 * argon2id in WebAssembly, stored as a PHC string that carries its own
 * parameters: `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` (PW-1).
 * This module is the one place that knows which argon2 implementation runs,
 * so it can be swapped without touching the flows: libargon2 built with
 * WebAssembly SIMD (./argon2idWasm.ts), or hash-wasm where a runtime cannot
 * compile that build. Both compute standard argon2id, so either verifies the
 * other's hashes.
 */
export interface Argon2idParams {
  /** Memory in KiB. Default 19456 (19 MiB), the OWASP minimum. */
  memoryKiB: number;
  /** Passes over memory. Default 2. */
  iterations: number;
  /** Lanes. Default 1. */
  parallelism: number;
}

export const OWASP_ARGON2ID: Argon2idParams = {
  memoryKiB: 19456,
  iterations: 2,
  parallelism: 1,
};

const SALT_BYTES = 16;
const HASH_BYTES = 32;
const VERSION = 19;

interface ParsedPhc extends Argon2idParams {
  salt: Uint8Array;
  hash: Uint8Array;
}

/** PHC strings use standard base64 without padding. Null for anything else. */
function fromB64(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]+$/.test(text)) return null;
  try {
    return decodeBase64IgnorePadding(text);
  } catch {
    return null;
  }
}

export function encodePhc(parsed: ParsedPhc): string {
  const { memoryKiB: m, iterations: t, parallelism: p } = parsed;
  return `$argon2id$v=${VERSION}$m=${m},t=${t},p=${p}$${encodeBase64NoPadding(parsed.salt)}$${encodeBase64NoPadding(parsed.hash)}`;
}

const PHC = /^\$argon2id\$v=19\$m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,2})\$([^$]+)\$([^$]+)$/;

export function parsePhc(phc: string): ParsedPhc | null {
  const match = PHC.exec(phc);
  if (match === null) return null;
  const [, m, t, p, saltText, hashText] = match as unknown as string[];
  const salt = fromB64(saltText!);
  const hash = fromB64(hashText!);
  if (salt === null || hash === null) return null;
  return { memoryKiB: Number(m), iterations: Number(t), parallelism: Number(p), salt, hash };
}

type Argon2idFunction = (
  password: Uint8Array,
  salt: Uint8Array,
  params: Argon2idParams,
  length: number,
) => Promise<Uint8Array>;

export type Argon2idEngine = "libargon2-simd" | "hash-wasm";

/** The raw argon2id (v1.3) of each implementation this module can run. */
export const argon2idEngines: Readonly<Record<Argon2idEngine, Argon2idFunction>> = {
  "libargon2-simd": (password, salt, params, length) =>
    argon2idWasm(password, salt, params.iterations, params.memoryKiB, params.parallelism, length),
  // Loaded only where the SIMD build cannot run: Convex's bundler splits
  // dynamic imports into their own chunk, so most deployments never load it.
  "hash-wasm": async (password, salt, params, length) =>
    (await import("hash-wasm")).argon2id({
      password,
      salt,
      iterations: params.iterations,
      memorySize: params.memoryKiB,
      parallelism: params.parallelism,
      hashLength: length,
      outputType: "binary",
    }),
};

/**
 * The engine to use: the SIMD build when `load` (its compilation) succeeds,
 * hash-wasm otherwise. Exported for tests; the hasher uses `argon2idEngine()`.
 */
export function chooseArgon2idEngine(load: () => Promise<unknown>): Promise<Argon2idEngine> {
  return load().then(
    () => "libargon2-simd" as const,
    () => "hash-wasm" as const,
  );
}

let engine: Promise<Argon2idEngine> | null = null;

/** Which implementation hashes in this runtime, decided once on first use. */
export function argon2idEngine(): Promise<Argon2idEngine> {
  engine ??= chooseArgon2idEngine(loadArgon2idWasm);
  return engine;
}

const utf8 = new TextEncoder();

async function derive(password: string, salt: Uint8Array, params: Argon2idParams, length: number) {
  const run = argon2idEngines[await argon2idEngine()];
  return run(utf8.encode(password), salt, params, length);
}

export function argon2idHasher(params: Argon2idParams = OWASP_ARGON2ID): PasswordHasher {
  if (params.memoryKiB < OWASP_ARGON2ID.memoryKiB || params.iterations < 2 || params.parallelism !== 1) {
    throw new TypeError("argon2id parameters must be at least m=19456 KiB, t=2, with p=1");
  }
  return {
    async hash(password) {
      const salt = randomBytes(SALT_BYTES);
      const hash = await derive(password, salt, params, HASH_BYTES);
      return encodePhc({ ...params, salt, hash });
    },
    async verify(stored, password) {
      const parsed = parsePhc(stored);
      if (parsed === null) return false;
      let candidate: Uint8Array;
      try {
        candidate = await derive(password, parsed.salt, parsed, parsed.hash.length);
      } catch {
        // Parameters argon2 rejects (salt or hash too short, memory too small
        // or too large for the runtime): a corrupt hash, which matches nothing.
        return false;
      }
      return constantTimeEqual(candidate, parsed.hash);
    },
    needsRehash(stored) {
      const parsed = parsePhc(stored);
      return (
        parsed === null ||
        parsed.memoryKiB < params.memoryKiB ||
        parsed.iterations < params.iterations ||
        parsed.parallelism !== params.parallelism
      );
    },
  };
}
