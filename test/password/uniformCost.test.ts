import { describe, expect, test } from "vitest";
import type { PasswordHasher } from "../../src/lib/password/hasher";
import { migratingHasher, type LegacyPasswordVerifier } from "../../src/lib/password/legacyHasher";
import { v1ScryptVerifier } from "../../src/lib/password/v1Scrypt";

// What a failed sign-in costs is which engines run for it: these fakes record
// each run, so the test says which engines paid, not how long they took.

function engines() {
  const runs: string[] = [];
  const current: PasswordHasher = {
    hash: async () => (runs.push("current"), "$current$right"),
    verify: async (stored, password) => (runs.push("current"), stored === "$current$right" && password === "right"),
    needsRehash: () => false,
  };
  const legacy = (name: string): LegacyPasswordVerifier => ({
    id: name,
    decoy: `${name}:decoy`,
    recognizes: (stored) => stored.startsWith(`${name}:`),
    verify: async (stored, password) => (runs.push(name), stored === `${name}:right` && password === "right"),
  });
  return { runs, current, scrypt: legacy("scrypt"), bcrypt: legacy("bcrypt") };
}

/** The engines one call ran, sorted. */
async function ran(e: ReturnType<typeof engines>, call: () => Promise<unknown>) {
  e.runs.length = 0;
  await call();
  return [...e.runs].sort();
}

describe("migratingHasher with uniformCost (EN-1 while legacy hashes remain)", () => {
  test("every failure, and every hash (an unknown account's too), runs each engine once", async () => {
    const e = engines();
    const hasher = migratingHasher({ current: e.current, legacy: [e.scrypt, e.bcrypt], uniformCost: true });
    const all = ["bcrypt", "current", "scrypt"];
    expect(await ran(e, () => hasher.verify("$current$right", "wrong"))).toEqual(all);
    expect(await ran(e, () => hasher.verify("scrypt:right", "wrong"))).toEqual(all);
    expect(await ran(e, () => hasher.verify("bcrypt:right", "wrong"))).toEqual(all);
    expect(await ran(e, () => hasher.hash("wrong"))).toEqual(all);
    // A success costs only its own scheme.
    expect(await ran(e, () => hasher.verify("$current$right", "right"))).toEqual(["current"]);
    expect(await ran(e, () => hasher.verify("scrypt:right", "right"))).toEqual(["scrypt"]);
    expect(await hasher.verify("scrypt:right", "wrong")).toBe(false);
    expect(await hasher.verify("scrypt:right", "right")).toBe(true);
  });

  test("without it, a failure runs only the scheme of the stored hash", async () => {
    const e = engines();
    const hasher = migratingHasher({ current: e.current, legacy: [e.scrypt] });
    expect(await ran(e, () => hasher.verify("scrypt:right", "wrong"))).toEqual(["scrypt"]);
    expect(await ran(e, () => hasher.verify("$current$right", "wrong"))).toEqual(["current"]);
    expect(await ran(e, () => hasher.hash("wrong"))).toEqual(["current"]);
  });

  test("needs a decoy in each legacy scheme's own format", () => {
    const e = engines();
    const { decoy: _decoy, ...withoutDecoy } = e.scrypt;
    expect(() => migratingHasher({ current: e.current, legacy: [withoutDecoy], uniformCost: true })).toThrow(TypeError);
    expect(() => migratingHasher({ current: e.current, legacy: [{ ...e.scrypt, decoy: "bcrypt:x" }], uniformCost: true })).toThrow(TypeError);
  });

  test("v1's decoy is a well-formed v1 hash that the password tried does not match", async () => {
    const verifier = v1ScryptVerifier();
    expect(verifier.recognizes(verifier.decoy!)).toBe(true);
    expect(await verifier.verify(verifier.decoy!, "correct horse battery")).toBe(false);
  });
});
