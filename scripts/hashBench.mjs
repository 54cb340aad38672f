#!/usr/bin/env node
/**
 * Medians of the argon2id engines the project ships, at the parameters new
 * hashes use (m=19456 KiB, t=2, p=1, 32-byte tag), plus a full hash and verify
 * through argon2idHasher().
 *
 * The password module is bundled with esbuild for a platform-neutral target
 * first, as Convex bundles it: this fails if the module reaches for a Node
 * built-in or a `.wasm` file, and it measures exactly the code that ships.
 *
 * Usage: node scripts/hashBench.mjs [runs]   (default 21; RUNS=n works too)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number(process.argv[2] ?? process.env.RUNS ?? 21);

const { outputFiles } = await build({
  entryPoints: [join(root, "src/lib/password/argon2id.ts")],
  bundle: true,
  write: false,
  format: "esm",
  platform: "neutral",
  mainFields: ["module", "main"],
  logLevel: "error",
});
const dir = mkdtempSync(join(tmpdir(), "hashBench-"));
const bundle = join(dir, "argon2id.mjs");
writeFileSync(bundle, outputFiles[0].contents);
const { OWASP_ARGON2ID, argon2idEngine, argon2idEngines, argon2idHasher } = await import(pathToFileURL(bundle).href);
rmSync(dir, { recursive: true });

const hex = (bytes) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");

async function measure(fn) {
  await fn(); // warm-up: compiles and instantiates the WebAssembly, grows its memory
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { median: at(0.5), p10: at(0.1), p90: at(0.9) };
}

const password = new TextEncoder().encode("correct horse battery staple");
const salt = crypto.getRandomValues(new Uint8Array(16));
const rows = [];
const outputs = new Set();
for (const [name, run] of Object.entries(argon2idEngines)) {
  outputs.add(hex(await run(password, salt, OWASP_ARGON2ID, 32)));
  rows.push({ what: `engine ${name}`, ...(await measure(() => run(password, salt, OWASP_ARGON2ID, 32))) });
}
if (outputs.size !== 1) throw new Error("the engines disagree on the same input");

const hasher = argon2idHasher();
const stored = await hasher.hash("correct horse battery staple");
rows.push({ what: "argon2idHasher().hash", ...(await measure(() => hasher.hash("correct horse battery staple"))) });
rows.push({ what: "argon2idHasher().verify", ...(await measure(() => hasher.verify(stored, "correct horse battery staple"))) });

console.log(`argon2id m=${OWASP_ARGON2ID.memoryKiB} KiB, t=${OWASP_ARGON2ID.iterations}, p=${OWASP_ARGON2ID.parallelism}; ` +
  `${runs} runs each; Node ${process.versions.node}; hasher uses: ${await argon2idEngine()}`);
const ms = (value) => `${value.toFixed(1)} ms`.padStart(9);
console.log(`${"".padEnd(28)}${"median".padStart(9)}${"p10".padStart(9)}${"p90".padStart(9)}`);
for (const row of rows) console.log(`${row.what.padEnd(28)}${ms(row.median)}${ms(row.p10)}${ms(row.p90)}`);
