import { describe, expect, test } from "vitest";
import { Scrypt } from "lucia";
import { scrypt } from "hash-wasm";
import { decodeHex, encodeHexLowerCase } from "@oslojs/encoding";
import { argon2idHasher, encodePhc, parsePhc } from "../../src/lib/password/argon2id";
import type { PasswordHasher } from "../../src/lib/password/hasher";
import { migratingHasher } from "../../src/lib/password/legacyHasher";
import { parseV1ScryptHash, v1ScryptVerifier } from "../../src/lib/password/v1Scrypt";

// Hashes are made by lucia 3's own Scrypt, the class @convex-dev/auth 0.0.95
// stores passwords with (node_modules/@convex-dev/auth/dist/providers/Password.js).
// Runs in edge-runtime.

/** Written by lucia 3.2.2's `new Scrypt().hash("v1 pässword ✓")`. */
const PINNED = {
  password: "v1 pässword ✓",
  hash: "182dd1a70e6170895df8e8cd3ace572b:12de3669ac2969353cd37a206016cc04a4d91ed4f29df3a6c85fe79ae1ac997e2a7c4f10b79125f51fe9cb475d43a54fd557a7a5d97414472c77b7efd048e80b",
};

const verifier = v1ScryptVerifier();

describe("v1ScryptVerifier", () => {
  test("verifies hashes lucia's Scrypt makes, and nothing else", async () => {
    const lucia = new Scrypt();
    for (const password of ["correct horse battery", "pässwörd 🔐 ünïcode"]) {
      const stored = await lucia.hash(password);
      expect(verifier.recognizes(stored)).toBe(true);
      expect(await verifier.verify(stored, password)).toBe(true);
      expect(await verifier.verify(stored, password + " ")).toBe(false);
      expect(await verifier.verify(stored, password.slice(0, -1))).toBe(false);
      expect(await verifier.verify(stored, "")).toBe(false);
      // The reference agrees on both answers.
      expect(await lucia.verify(stored, password)).toBe(true);
      expect(await lucia.verify(stored, password + " ")).toBe(false);
    }
  });

  test("a hash written by lucia 3.2.2 earlier still verifies", async () => {
    expect(await verifier.verify(PINNED.hash, PINNED.password)).toBe(true);
    expect(await verifier.verify(PINNED.hash, "v1 password ✓")).toBe(false);
  });

  test("NFKC on both sides, as v1 did: a full-width password matches its ASCII form", async () => {
    const stored = await new Scrypt().hash("ｆｕｌｌ ｗｉｄｔｈ ９");
    expect(await verifier.verify(stored, "full width 9")).toBe(true);
    expect(await verifier.verify(stored, "ｆｕｌｌ ｗｉｄｔｈ ９")).toBe(true);
  });

  test("the salt is the hex text itself: decoded to bytes it would not match", async () => {
    const parsed = parseV1ScryptHash(PINNED.hash)!;
    expect(parsed.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(parsed.key).toHaveLength(64);
    const derive = (salt: Uint8Array) =>
      scrypt({ password: PINNED.password.normalize("NFKC"), salt, costFactor: 16384, blockSize: 16, parallelism: 1, hashLength: 64, outputType: "hex" });
    expect(await derive(new TextEncoder().encode(parsed.salt))).toBe(encodeHexLowerCase(parsed.key));
    expect(await derive(decodeHex(parsed.salt))).not.toBe(encodeHexLowerCase(parsed.key));
  });

  test("corrupt or foreign hashes are false, not a throw", async () => {
    const good = PINNED.hash;
    const [salt, key] = good.split(":") as [string, string];
    const flipped = `${salt}:${key.slice(0, -1)}${key.endsWith("0") ? "1" : "0"}`;
    const corrupt = [
      "",
      ":",
      salt,
      `${salt}:`,
      `${salt}:${key.slice(2)}`,
      `${salt}:${key}00`,
      `${salt.slice(1)}:${key}`,
      `${salt}:${key.toUpperCase()}`,
      `${salt.replace(/./, "g")}:${key}`,
      `s2:${salt}:${key}`,
      `${salt}:${key}:extra`,
      ` ${good}`,
      "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
    ];
    for (const stored of corrupt) {
      expect(verifier.recognizes(stored)).toBe(false);
      await expect(verifier.verify(stored, PINNED.password)).resolves.toBe(false);
    }
    expect(verifier.recognizes(flipped)).toBe(true);
    await expect(verifier.verify(flipped, PINNED.password)).resolves.toBe(false);
  });

  test("offers no way to hash: scrypt is never used for a new password", () => {
    expect(Object.keys(verifier).sort()).toEqual(["decoy", "id", "recognizes", "verify"]);
  });
});

describe("migratingHasher", () => {
  const current = argon2idHasher();
  const hasher = migratingHasher({ current, legacy: [verifier] });

  test("verifies both formats and flags only the scrypt one for rehash (PW-2)", async () => {
    const v1 = await new Scrypt().hash("migrate me please");
    const v2 = await hasher.hash("migrate me please");
    for (const stored of [v1, v2]) {
      expect(await hasher.verify(stored, "migrate me please")).toBe(true);
      expect(await hasher.verify(stored, "migrate me, please")).toBe(false);
    }
    expect(hasher.needsRehash(v1)).toBe(true);
    expect(hasher.needsRehash(v2)).toBe(false);
  });

  test("new hashes are argon2id at the current parameters", async () => {
    const stored = await hasher.hash("fresh password");
    expect(stored.startsWith("$argon2id$v=19$")).toBe(true);
    expect(parsePhc(stored)).toMatchObject({ memoryKiB: 19456, iterations: 2, parallelism: 1 });
    expect(verifier.recognizes(stored)).toBe(false);
  });

  test("a sign-in's upgrade: verify the v1 hash, rehash, and the new hash is final", async () => {
    let stored = await new Scrypt().hash("upgrade path");
    expect(await hasher.verify(stored, "upgrade path")).toBe(true);
    if (hasher.needsRehash(stored)) stored = await hasher.hash("upgrade path");
    expect(stored.startsWith("$argon2id$")).toBe(true);
    expect(hasher.needsRehash(stored)).toBe(false);
    expect(await hasher.verify(stored, "upgrade path")).toBe(true);
  });

  test("the current hasher still decides about its own hashes (weaker argon2id parameters)", () => {
    const weak = encodePhc({ memoryKiB: 8192, iterations: 2, parallelism: 1, salt: new Uint8Array(16), hash: new Uint8Array(32) });
    expect(hasher.needsRehash(weak)).toBe(true);
    expect(hasher.needsRehash("garbage")).toBe(true);
  });

  test("a legacy hash goes only to its verifier, anything else only to the current hasher", async () => {
    const calls: string[] = [];
    const counting: PasswordHasher = {
      hash: async () => (calls.push("hash"), "$current$"),
      verify: async (stored) => (calls.push(`verify ${stored}`), stored === "$current$"),
      needsRehash: () => false,
    };
    const composed = migratingHasher({ current: counting, legacy: [verifier] });
    expect(await composed.verify("$current$", "pw")).toBe(true);
    expect(await composed.verify(PINNED.hash, PINNED.password)).toBe(true);
    expect(calls).toEqual(["verify $current$"]);
    expect(await migratingHasher({ current: counting }).verify(PINNED.hash, PINNED.password)).toBe(false);
  });

  test("a missing current hasher is a TypeError", () => {
    expect(() => migratingHasher({} as never)).toThrow(TypeError);
    expect(() => migratingHasher({ current: { hash: "no" } } as never)).toThrow(TypeError);
  });
});
