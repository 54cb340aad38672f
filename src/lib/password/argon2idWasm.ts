/**
 * argon2id on libargon2, the reference implementation, compiled to
 * WebAssembly with SIMD (the `argon2.wasm` that `@phi-ag/argon2` publishes).
 * About twice as fast as hash-wasm at m=19456, t=2 (bench/hashAlone.mjs).
 *
 * The binary is inlined as base64 at build time (scripts/genArgon2idWasm.mjs):
 * Convex bundles with esbuild, where a `.wasm` import does not work; it is
 * imported on first use, so functions that never hash never load it. It
 * needs nothing more from the host than WebAssembly.
 *
 * We call libargon2's C API (`argon2_hash`) with the password's UTF-8 bytes
 * ourselves instead of going through the package's JS wrapper: the wrapper
 * passes a string's UTF-16 length as its byte length, which hashes only a
 * prefix of any password with non-ASCII characters.
 */

interface Argon2Exports {
  memory: WebAssembly.Memory;
  _initialize(): void;
  malloc(size: number): number;
  free(pointer: number): void;
  /** libargon2's `argon2_hash`; returns 0 or an `argon2_error_codes` value. */
  argon2_hash(
    timeCost: number,
    memoryKiB: number,
    parallelism: number,
    password: number,
    passwordLength: number,
    salt: number,
    saltLength: number,
    hash: number,
    hashLength: number,
    encoded: number,
    encodedLength: number,
    type: number,
    version: number,
  ): number;
}

const ARGON2_ID = 2;
const ARGON2_VERSION_13 = 0x13;
/**
 * WebAssembly memory only grows. An instance that grew past this (a hash
 * stored with far more memory than today's) is dropped after the call rather
 * than kept for the life of the isolate.
 */
const MAX_RETAINED_BYTES = 64 * 1024 * 1024;

/**
 * The WebAssembly module failed to hash: out of memory, or libargon2 refused
 * the parameters (`code` is its `argon2_error_codes` value). Neither a
 * programmer error nor an auth outcome: the hasher's `verify` treats it as a
 * hash that matches nothing, `hash` lets it fail the step.
 */
export class Argon2idError extends Error {
  override readonly name = "Argon2idError";
  constructor(readonly code: number | "out_of_memory") {
    super(`argon2id failed: ${code}`);
  }
}

let loaded: Promise<Argon2Exports> | null = null;
let current: Argon2Exports | null = null;

async function instantiate(): Promise<Argon2Exports> {
  // Behind a dynamic import, the binary (most of a deployment's auth code) loads
  // with the first hash, not with every function: Convex splits it into a chunk.
  const { ARGON2ID_WASM_BASE64 } = await import("./argon2idWasm.generated.js");
  const bytes = Uint8Array.from(atob(ARGON2ID_WASM_BASE64), (char) => char.charCodeAt(0));
  const { instance } = await WebAssembly.instantiate(bytes, {});
  const exports = instance.exports as unknown as Argon2Exports;
  exports._initialize();
  return exports;
}

/**
 * Compiles and instantiates the module once (lazily, on first use). Rejects
 * where the runtime cannot compile it, e.g. without WebAssembly SIMD; the next
 * call then tries again.
 */
export function loadArgon2idWasm(): Promise<Argon2Exports> {
  loaded ??= instantiate().then(
    (exports) => (current = exports),
    (error: unknown) => {
      loaded = null;
      throw error;
    },
  );
  return loaded;
}

function discard(wasm: Argon2Exports) {
  if (current === wasm) {
    current = null;
    loaded = null;
  }
}

/** Raw argon2id (v1.3) tag of `password` and `salt`. Throws on invalid parameters. */
export async function argon2idWasm(
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  memoryKiB: number,
  parallelism: number,
  length: number,
): Promise<Uint8Array> {
  const wasm = await loadArgon2idWasm();
  // Everything from here on is synchronous, so calls never interleave.
  const passwordPointer = wasm.malloc(Math.max(password.length, 1));
  const saltPointer = wasm.malloc(Math.max(salt.length, 1));
  const hashPointer = wasm.malloc(Math.max(length, 1));
  let trapped = false;
  try {
    if (passwordPointer === 0 || saltPointer === 0 || hashPointer === 0) {
      throw new Argon2idError("out_of_memory");
    }
    const heap = new Uint8Array(wasm.memory.buffer);
    heap.set(password, passwordPointer);
    heap.set(salt, saltPointer);
    const code = wasm.argon2_hash(
      iterations,
      memoryKiB,
      parallelism,
      passwordPointer,
      password.length,
      saltPointer,
      salt.length,
      hashPointer,
      length,
      0,
      0,
      ARGON2_ID,
      ARGON2_VERSION_13,
    );
    if (code !== 0) throw new Argon2idError(code);
    // `memory.buffer` is replaced whenever memory grows: read it afresh.
    return new Uint8Array(wasm.memory.buffer).slice(hashPointer, hashPointer + length);
  } catch (error) {
    trapped = error instanceof WebAssembly.RuntimeError;
    throw error;
  } finally {
    const heap = new Uint8Array(wasm.memory.buffer);
    if (passwordPointer !== 0) heap.fill(0, passwordPointer, passwordPointer + password.length);
    if (hashPointer !== 0) heap.fill(0, hashPointer, hashPointer + length);
    if (!trapped) {
      wasm.free(hashPointer);
      wasm.free(saltPointer);
      wasm.free(passwordPointer);
    }
    // After a trap the allocator's state is unknown: start afresh next time.
    if (trapped || wasm.memory.buffer.byteLength > MAX_RETAINED_BYTES) discard(wasm);
  }
}
