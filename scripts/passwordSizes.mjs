#!/usr/bin/env node
/**
 * What the password building blocks cost a deployment, and how fast the
 * blocklist answers. Bundles the new-password policy and the migrating
 * hasher the way Convex does (esbuild, ESM, code splitting at dynamic
 * imports), minified, then `gzip -9` per chunk:
 * - `start`: what loads with the functions that import them;
 * - `blocklist`: the chunk only a set or change of password loads;
 * - `hash-wasm`: loaded only to verify a v1 scrypt hash.
 * Then loads the bundle and times the blocklist: the first call (import and
 * decode) and the average of many lookups after it. With --hashes, also the
 * median cost of verifying a v1 scrypt hash beside an argon2id one (a
 * sign-in pays one or the other).
 *
 *   node scripts/passwordSizes.mjs            # a table
 *   node scripts/passwordSizes.mjs --hashes   # a table, with verify costs
 *   node scripts/passwordSizes.mjs --json     # for tests
 *
 * Exits 1 when the blocklist is not in a chunk of its own or is over budget.
 */
import { build } from "esbuild";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const BLOCKLIST_BUDGET_GZIP_BYTES = 12_000;
const LOOKUPS = 20_000;
const root = fileURLToPath(new URL("..", import.meta.url));

const result = await build({
  absWorkingDir: root,
  stdin: {
    contents: [
      `export { newPasswordPolicy } from "./src/lib/password/newPassword.ts";`,
      `export { isCommonPassword } from "./src/lib/password/blocklist.ts";`,
      `export { migratingHasher } from "./src/lib/password/legacyHasher.ts";`,
      `export { v1ScryptVerifier } from "./src/lib/password/v1Scrypt.ts";`,
      `export { pwnedPasswordCheck } from "./src/lib/password/breached.ts";`,
    ].join("\n"),
    resolveDir: root,
    sourcefile: "entry.ts",
    loader: "ts",
  },
  bundle: true,
  splitting: true,
  minify: true,
  format: "esm",
  platform: "neutral",
  mainFields: ["module", "main"],
  outdir: "out",
  write: false,
  logLevel: "silent",
});

// The encoded list, to recognize the chunk that carries it.
const generated = readFileSync(join(root, "src/lib/password/blocklist.generated.ts"), "utf8");
const marker = JSON.parse(/BLOCKLIST_FRONT_CODED =\s*("(?:[^"\\]|\\.)*")/.exec(generated)[1]).slice(0, 64);
const chunks = result.outputFiles.map((file) => {
  const text = file.text;
  const name = file.path.endsWith("/out/stdin.js")
    ? "start"
    : text.includes(marker)
      ? "blocklist"
      : /scrypt/i.test(text) && text.length > 20_000
        ? "hash-wasm"
        : "other";
  return { name, file: file.path.slice(file.path.indexOf("/out/") + 5), bytes: file.contents.length, gzipBytes: gzipSync(file.contents, { level: 9 }).length, text };
});

// Load the bundle as Convex would run it and time the blocklist.
const dir = mkdtempSync(join(tmpdir(), "password-sizes-"));
let timing;
try {
  for (const file of result.outputFiles) writeFileSync(join(dir, file.path.slice(file.path.indexOf("/out/") + 5)), file.contents);
  var bundle = await import(pathToFileURL(join(dir, "stdin.js")).href);
  const { isCommonPassword } = bundle;
  let started = performance.now();
  await isCommonPassword("password");
  const firstMs = performance.now() - started;
  const samples = ["password", "Password123!", "ｐａｓｓｗｏｒｄ", "glacier vellum 93 quietly", "correct horse battery"];
  started = performance.now();
  for (let i = 0; i < LOOKUPS; i++) await isCommonPassword(samples[i % samples.length]);
  timing = { firstCallMs: round(firstMs), lookupMicroseconds: round(((performance.now() - started) * 1000) / LOOKUPS) };
  if (process.argv.includes("--hashes")) timing = { ...timing, ...(await verifyCosts(bundle, dir)) };
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const blocklist = chunks.filter((chunk) => chunk.name === "blocklist");
const start = chunks.find((chunk) => chunk.name === "start");
const split = blocklist.length === 1 && start !== undefined && !start.text.includes(marker);
const withinBudget = split && blocklist[0].gzipBytes <= BLOCKLIST_BUDGET_GZIP_BYTES;
const report = {
  chunks: chunks.map(({ text, ...chunk }) => chunk),
  blocklistBudgetGzipBytes: BLOCKLIST_BUDGET_GZIP_BYTES,
  blocklistInOwnChunk: split,
  withinBudget,
  ...timing,
};

/** Median milliseconds of verifying a v1 scrypt hash and an argon2id one, through the migrating hasher. */
async function verifyCosts({ migratingHasher, v1ScryptVerifier }, dir, runs = 7) {
  // argon2id (with its inlined WebAssembly) is bundled apart, so it does not count in `start` above.
  const argon2id = await build({
    absWorkingDir: root,
    entryPoints: ["src/lib/password/argon2id.ts"],
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    write: false,
    logLevel: "silent",
  });
  writeFileSync(join(dir, "argon2id.js"), argon2id.outputFiles[0].contents);
  const { argon2idHasher } = await import(pathToFileURL(join(dir, "argon2id.js")).href);
  const hasher = migratingHasher({ current: argon2idHasher(), legacy: [v1ScryptVerifier()] });
  // lucia 3's Scrypt format (salt hex text, N=16384, r=16, p=1, 64 bytes), made with hash-wasm.
  const { scrypt } = await import("hash-wasm");
  const salt = "00112233445566778899aabbccddeeff";
  const key = await scrypt({ password: "measure me", salt, costFactor: 16384, blockSize: 16, parallelism: 1, hashLength: 64, outputType: "hex" });
  const stored = { v1Scrypt: `${salt}:${key}`, argon2id: await hasher.hash("measure me") };
  const medians = {};
  for (const [name, hash] of Object.entries(stored)) {
    const times = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      if (!(await hasher.verify(hash, "measure me"))) throw new Error(`${name} did not verify`);
      times.push(performance.now() - started);
    }
    medians[`${name}VerifyMs`] = round(times.sort((a, b) => a - b)[runs >> 1]);
  }
  return medians;
}

function round(value) {
  return Math.round(value * 100) / 100;
}

if (process.argv.includes("--json")) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const kb = (bytes) => `${(bytes / 1000).toFixed(2)} KB`;
  for (const { name, file, bytes, gzipBytes } of report.chunks) {
    console.log(`${name.padEnd(10)} ${file.padEnd(34)} ${kb(bytes).padStart(9)} min  ${kb(gzipBytes).padStart(8)} gzip`);
  }
  console.log(`blocklist in its own chunk: ${split ? "yes" : "NO"}; budget ${kb(BLOCKLIST_BUDGET_GZIP_BYTES)} gzip, ${withinBudget ? "met" : "EXCEEDED"}`);
  console.log(`blocklist first call (import + decode): ${timing.firstCallMs} ms; lookup: ${timing.lookupMicroseconds} µs (mean of ${LOOKUPS})`);
  if (timing.v1ScryptVerifyMs !== undefined) {
    console.log(`verify (median): v1 scrypt ${timing.v1ScryptVerifyMs} ms, argon2id ${timing.argon2idVerifyMs} ms`);
  }
}
process.exitCode = withinBudget ? 0 : 1;
