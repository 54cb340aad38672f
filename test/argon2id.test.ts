import { describe, expect, test } from "vitest";
import {
  OWASP_ARGON2ID,
  argon2idEngine,
  argon2idEngines,
  argon2idHasher,
  chooseArgon2idEngine,
  encodePhc,
  parsePhc,
  type Argon2idEngine,
} from "../src/lib/password/argon2id";
import { ARGON2ID_WASM_BASE64 } from "../src/lib/password/argon2idWasm.generated";

// Runs in vitest's edge-runtime environment (vitest.config.ts), the closest
// offline stand-in for Convex's default runtime.

const utf8 = (text: string) => new TextEncoder().encode(text);
const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
const ENGINES = Object.keys(argon2idEngines) as Argon2idEngine[];

/**
 * Known answers. Neither engine takes argon2's secret or associated data, so
 * RFC 9106's argon2id vector (which uses both) cannot be run against them.
 * Instead: the reference implementation's own argon2id test vector, and tags
 * at our parameters computed independently by native libargon2
 * (@node-rs/argon2) and by @noble/hashes, which passes the RFC 9106 vector.
 */
const VECTORS = [
  // phc-winner-argon2 test.c: argon2id v=19, t=2, m=2^16, p=1, 8-byte salt.
  { password: "password", salt: "somesalt", t: 2, m: 65536, tag: "09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7" },
  { password: "correct horse battery staple", salt: "0123456789abcdef", t: 2, m: 19456, tag: "832e52b959b967b570ee4781f6c7bda7ced019ca266ac781fd2d94d4e853b0cd" },
  // Non-ASCII: the tag is over the password's UTF-8 bytes, all of them.
  { password: "pässwörd 🔐", salt: "ABCDEFGHIJKLMNOP", t: 2, m: 19456, tag: "20f913a7255c360dc704853f634d77cb7d8edc9821977c1083137dcd05ec38f7" },
];

/** Written by the previous implementation (hash-wasm 4.13, string password). */
const LEGACY = {
  password: "legacy pässword",
  phc: "$argon2id$v=19$m=19456,t=2,p=1$Y3VycmVudGltcGxzYWx0IQ$/FMg5veJOnNMFi0MhXq4fzCV85jAkGYXMKNBaVhtlSc",
  stronger: "$argon2id$v=19$m=32768,t=3,p=1$Y3VycmVudGltcGxzYWx0IQ$JtV9TSDo5H1Ow62EpcAZ2z6GRyyTRjv+tlmrkJMXw4Q",
};

describe("argon2id engines", () => {
  test("the SIMD build compiles here and is the one in use", async () => {
    expect(ARGON2ID_WASM_BASE64.length).toBeGreaterThan(1000);
    expect(await argon2idEngine()).toBe("libargon2-simd");
  });

  test("falls back to hash-wasm where the SIMD build cannot be compiled", async () => {
    const noSimd = () => WebAssembly.compile(new Uint8Array([0, 1, 2, 3]));
    expect(await chooseArgon2idEngine(noSimd)).toBe("hash-wasm");
    expect(await chooseArgon2idEngine(async () => undefined)).toBe("libargon2-simd");
  });

  for (const engine of ENGINES) {
    test.each(VECTORS)(`${engine}: known answer for $password at m=$m, t=$t`, async ({ password, salt, t, m, tag }) => {
      const out = await argon2idEngines[engine](utf8(password), utf8(salt), { memoryKiB: m, iterations: t, parallelism: 1 }, 32);
      expect(hex(out)).toBe(tag);
    });
  }

  test("both engines agree on random passwords, salts and lengths", async () => {
    for (let i = 0; i < 6; i++) {
      const password = crypto.getRandomValues(new Uint8Array(1 + i * 37));
      const salt = crypto.getRandomValues(new Uint8Array([8, 16, 32][i % 3]!));
      const params = { memoryKiB: [64, 1024, 19456][i % 3]!, iterations: 1 + (i % 3), parallelism: 1 };
      const length = [16, 32, 64][i % 3]!;
      const [a, b] = await Promise.all(ENGINES.map((engine) => argon2idEngines[engine](password, salt, params, length)));
      expect(hex(a!)).toBe(hex(b!));
    }
  });

  test("the SIMD build rejects parameters argon2 does not allow instead of computing something", async () => {
    const run = argon2idEngines["libargon2-simd"];
    const params = { memoryKiB: 64, iterations: 1, parallelism: 1 };
    // libargon2's argon2_error_codes: SALT_TOO_SHORT, OUTPUT_TOO_SHORT, MEMORY_TOO_LITTLE.
    const refused = (code: number) => expect.objectContaining({ name: "Argon2idError", code });
    await expect(run(utf8("pw"), new Uint8Array(4), params, 32)).rejects.toEqual(refused(-6));
    await expect(run(utf8("pw"), new Uint8Array(16), params, 2)).rejects.toEqual(refused(-2));
    await expect(run(utf8("pw"), new Uint8Array(16), { ...params, memoryKiB: 4 }, 32)).rejects.toEqual(refused(-14));
    // ...and keeps working afterwards.
    expect(hex(await run(utf8(VECTORS[1]!.password), utf8(VECTORS[1]!.salt), { memoryKiB: 19456, iterations: 2, parallelism: 1 }, 32))).toBe(VECTORS[1]!.tag);
  });
});

describe("PHC strings", () => {
  test("encode and parse round-trip", () => {
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const hash = crypto.getRandomValues(new Uint8Array(32));
    const phc = encodePhc({ ...OWASP_ARGON2ID, salt, hash });
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    const parsed = parsePhc(phc)!;
    expect(parsed).toMatchObject(OWASP_ARGON2ID);
    expect(hex(parsed.salt)).toBe(hex(salt));
    expect(hex(parsed.hash)).toBe(hex(hash));
    expect(encodePhc(parsed)).toBe(phc);
    expect(encodePhc(parsePhc(LEGACY.phc)!)).toBe(LEGACY.phc);
  });

  test("anything else does not parse", () => {
    for (const bad of ["", "argon2id", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA", "$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA", "$argon2id$v=19$m=19456,t=2,p=1$c2Fs!HNhbHQ$aGFzaA", "$argon2id$v=19$m=19456,t=2$c2FsdHNhbHQ$aGFzaA"]) {
      expect(parsePhc(bad)).toBeNull();
    }
  });
});

describe("argon2idHasher", () => {
  const hasher = argon2idHasher();

  test("new hashes carry m>=19456, t>=2, p=1 and a fresh salt of at least 16 bytes", async () => {
    const [one, two] = [await hasher.hash("correct horse battery staple"), await hasher.hash("correct horse battery staple")];
    for (const phc of [one, two]) {
      const parsed = parsePhc(phc)!;
      expect(parsed.memoryKiB).toBeGreaterThanOrEqual(19456);
      expect(parsed.iterations).toBeGreaterThanOrEqual(2);
      expect(parsed.parallelism).toBe(1);
      expect(parsed.salt.length).toBeGreaterThanOrEqual(16);
      expect(parsed.hash.length).toBe(32);
    }
    expect(hex(parsePhc(one)!.salt)).not.toBe(hex(parsePhc(two)!.salt));
    expect(one).not.toBe(two);
  });

  test("stronger parameters are stored as given; weaker ones are refused", async () => {
    const strong = argon2idHasher({ memoryKiB: 32768, iterations: 3, parallelism: 1 });
    expect(parsePhc(await strong.hash("pw-strong"))).toMatchObject({ memoryKiB: 32768, iterations: 3, parallelism: 1 });
    expect(() => argon2idHasher({ memoryKiB: 19455, iterations: 2, parallelism: 1 })).toThrow(TypeError);
    expect(() => argon2idHasher({ memoryKiB: 19456, iterations: 1, parallelism: 1 })).toThrow(TypeError);
    expect(() => argon2idHasher({ memoryKiB: 19456, iterations: 2, parallelism: 2 })).toThrow(TypeError);
  });

  test("verify: true for the password, false for any other", async () => {
    for (const password of ["correct horse battery staple", "pässwörd 🔐"]) {
      const phc = await hasher.hash(password);
      expect(await hasher.verify(phc, password)).toBe(true);
      expect(await hasher.verify(phc, password + " ")).toBe(false);
      expect(await hasher.verify(phc, password.slice(0, -1))).toBe(false);
      expect(await hasher.verify(phc, "")).toBe(false);
    }
    // A prefix of the UTF-8 bytes must not verify (the wrapper bug we avoid).
    const emoji = await hasher.hash("🔐🔐🔐🔐");
    expect(await hasher.verify(emoji, "🔐🔐")).toBe(false);
  });

  test("verifies hashes written by the previous implementation", async () => {
    expect(await hasher.verify(LEGACY.phc, LEGACY.password)).toBe(true);
    expect(await hasher.verify(LEGACY.phc, "legacy password")).toBe(false);
    expect(await hasher.verify(LEGACY.stronger, LEGACY.password)).toBe(true);
    expect(hasher.needsRehash(LEGACY.phc)).toBe(false);
  });

  test("a hash with a larger memory cost verifies, and hashing goes on afterwards", async () => {
    const [vector] = VECTORS; // m = 64 MiB, with an 8-byte salt
    const tag = Uint8Array.from(vector!.tag.match(/../g)!, (pair) => parseInt(pair, 16));
    const phc = encodePhc({ memoryKiB: vector!.m, iterations: vector!.t, parallelism: 1, salt: utf8(vector!.salt), hash: tag });
    expect(phc).toBe("$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc");
    expect(await hasher.verify(phc, "password")).toBe(true);
    expect(await hasher.verify(await hasher.hash("after"), "after")).toBe(true);
  });

  test("needsRehash: weaker parameters or an unreadable hash", async () => {
    const current = await hasher.hash("pw-rehash");
    expect(hasher.needsRehash(current)).toBe(false);
    const parsed = parsePhc(current)!;
    expect(hasher.needsRehash(encodePhc({ ...parsed, iterations: 1 }))).toBe(true);
    expect(hasher.needsRehash(encodePhc({ ...parsed, memoryKiB: 8192 }))).toBe(true);
    expect(hasher.needsRehash(encodePhc({ ...parsed, parallelism: 2 }))).toBe(true);
    expect(hasher.needsRehash(encodePhc({ ...parsed, memoryKiB: 65536, iterations: 3 }))).toBe(false);
    expect(hasher.needsRehash("$2b$10$notargon")).toBe(true);
    expect(hasher.needsRehash("")).toBe(true);
    const stronger = argon2idHasher({ memoryKiB: 32768, iterations: 2, parallelism: 1 });
    expect(stronger.needsRehash(current)).toBe(true);
  });

  test("a corrupt hash verifies false and does not throw", async () => {
    const good = await hasher.hash("pw-corrupt");
    const parsed = parsePhc(good)!;
    const corrupt = [
      "",
      "not a hash",
      good.slice(0, -10),
      good.replace("$argon2id$", "$argon2i$"),
      good.replace(/\$[^$]+$/, "$!!!!"),
      good + "$extra",
      encodePhc({ ...parsed, salt: new Uint8Array(4) }), // salt too short for argon2
      encodePhc({ ...parsed, hash: new Uint8Array(2) }), // tag too short for argon2
      encodePhc({ ...parsed, memoryKiB: 1 }), // below argon2's minimum
      encodePhc({ ...parsed, hash: parsed.hash.map((byte, i) => (i === 0 ? byte ^ 1 : byte)) }),
    ];
    for (const phc of corrupt) {
      await expect(hasher.verify(phc, "pw-corrupt")).resolves.toBe(false);
    }
  });
});
