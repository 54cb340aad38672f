#!/usr/bin/env node
/**
 * What the browser entries cost an app: each bundled for the browser as
 * minified ESM with `convex` and `react` external (the app has them anyway),
 * then `gzip -9`, as bench/bundle/sizes.ts measures v1. The budget is for the
 * client and the React bindings together, which is what a React app ships.
 *
 *   node scripts/bundleSize.mjs          # a table
 *   node scripts/bundleSize.mjs --json   # for the benchmark harness
 *
 * Exits 1 when the total is over budget.
 */
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/**
 * v1's client and React provider come to 3.02 kB: passwords, codes and OAuth
 * redirects. Ours also carries the explicit state machine (second factors,
 * the reconnecting state, redirect failures reported by code), a refresh lock
 * across tabs and backoff, so its budget is 4 kB.
 */
const BUDGET_GZIP_BYTES = 4000;
const root = fileURLToPath(new URL("..", import.meta.url));

/** Keeps the React entry's import of the client out of its bundle. */
const clientExternal = {
  name: "client-external",
  setup(build) {
    build.onResolve({ filter: /\/client\/index\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

async function measure(entry, plugins = []) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    external: ["convex", "react", "react-dom"],
    plugins,
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].contents;
  return { bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}

const sizes = {
  client: await measure("src/client/index.ts"),
  reactBindings: await measure("src/react/index.ts", [clientExternal]),
  clientAndReact: await measure("src/react/index.ts"),
};
const withinBudget = sizes.clientAndReact.gzipBytes <= BUDGET_GZIP_BYTES;

if (process.argv.includes("--json")) {
  console.log(JSON.stringify({ ...sizes, budgetGzipBytes: BUDGET_GZIP_BYTES, withinBudget }, null, 2));
} else {
  const kb = (bytes) => `${(bytes / 1000).toFixed(2)} KB`;
  for (const [name, { bytes, gzipBytes }] of Object.entries(sizes)) {
    console.log(`${name.padEnd(16)} ${kb(bytes).padStart(9)} min  ${kb(gzipBytes).padStart(8)} gzip`);
  }
  console.log(`budget (client + React): ${kb(BUDGET_GZIP_BYTES)} gzip, ${withinBudget ? "met" : "EXCEEDED"}`);
}
process.exitCode = withinBudget ? 0 : 1;
