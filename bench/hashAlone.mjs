#!/usr/bin/env node
/**
 * One password hash alone, in a fresh Node process, before anything else of
 * the benchmark has run: each argon2id engine convex-warden can use (the
 * libargon2 SIMD WebAssembly build and the hash-wasm fallback), v1's scrypt
 * (lucia's `Scrypt`, what @convex-dev/auth 0.0.95 uses by default) and native
 * argon2id from `@node-rs/argon2`, the physical floor on this machine (it
 * cannot run in Convex's default runtime). argon2id at m=19456 KiB, t=2, p=1,
 * 32-byte tag, the same salt for every engine; the engines must agree on the
 * output or this fails.
 *
 * The password module is bundled with esbuild for a platform-neutral target
 * first, as Convex bundles it, so this measures the code that ships.
 *
 * Usage: node bench/hashAlone.mjs [runs]   Prints JSON: { params, runs, node, results }.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { hashRaw } from "@node-rs/argon2";
import { build } from "esbuild";
import { Scrypt } from "lucia";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.argv[2] ?? 15);
if (!Number.isInteger(runs) || runs < 1) throw new TypeError("runs must be a positive integer");

async function loadPasswordModule() {
  const { outputFiles } = await build({
    entryPoints: [join(root, "src/lib/password/argon2id.ts")],
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    logLevel: "error",
  });
  const dir = mkdtempSync(join(tmpdir(), "hashAlone-"));
  const bundle = join(dir, "argon2id.mjs");
  writeFileSync(bundle, outputFiles[0].contents);
  try {
    return await import(pathToFileURL(bundle).href);
  } finally {
    rmSync(dir, { recursive: true });
  }
}

const { OWASP_ARGON2ID: params, argon2idEngines } = await loadPasswordModule();
const password = new TextEncoder().encode("correct horse battery staple");
const salt = crypto.getRandomValues(new Uint8Array(16));
const FLOOR = "argon2id native (@node-rs/argon2)";

const argon2id = {
  [FLOOR]: async () =>
    new Uint8Array(
      await hashRaw(password, {
        algorithm: 2, // Argon2id
        memoryCost: params.memoryKiB,
        timeCost: params.iterations,
        parallelism: params.parallelism,
        outputLen: 32,
        salt,
      }),
    ),
};
for (const [name, run] of Object.entries(argon2idEngines)) {
  argon2id[`argon2id ${name} (warden)`] = () => run(password, salt, params, 32);
}
const hashes = { ...argon2id, "scrypt N=16384 r=16 p=1 (v1)": () => new Scrypt().hash("correct horse battery staple") };

// Same input, same output: otherwise the timings compare different work.
const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const outputs = new Set();
for (const run of Object.values(argon2id)) outputs.add(hex(await run()));
if (outputs.size !== 1) throw new Error("the argon2id engines disagree on the same input");

// The call above was each one's warm-up; now in turn, ABBA, so drift hits all alike.
const names = Object.keys(hashes);
const samples = Object.fromEntries(names.map((name) => [name, []]));
for (let i = 0; i < runs; i++) {
  for (const name of i % 2 === 0 ? names : [...names].reverse()) {
    const start = performance.now();
    await hashes[name]();
    samples[name].push(performance.now() - start);
  }
}

const quantile = (sorted, q) => {
  const at = (sorted.length - 1) * q;
  const low = sorted[Math.floor(at)];
  return low + (sorted[Math.ceil(at)] - low) * (at - Math.floor(at));
};
const round = (ms) => Math.round(ms * 1000) / 1000;
const summary = Object.fromEntries(
  names.map((name) => {
    const sorted = [...samples[name]].sort((a, b) => a - b);
    return [name, { medianMs: round(quantile(sorted, 0.5)), p95Ms: round(quantile(sorted, 0.95)), samples: sorted.length }];
  }),
);
const floor = summary[FLOOR].medianMs;
for (const name of names) summary[name].ratioToFloor = Math.round((summary[name].medianMs / floor) * 100) / 100;

console.log(
  JSON.stringify({
    params: { memoryKiB: params.memoryKiB, iterations: params.iterations, parallelism: params.parallelism, tagBytes: 32 },
    runs,
    node: process.version,
    floor: FLOOR,
    results: summary,
  }),
);
