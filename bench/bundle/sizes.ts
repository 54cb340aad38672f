import { build, type BuildOptions, type BuildResult } from "esbuild";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/**
 * Bundle sizes: minified ESM, then gzip -9. Server bundles use
 * `--platform=neutral` with the conditions the Convex CLI resolves for its
 * default runtime ("convex", "module", and "browser", which its "browser"
 * platform implies), and either bundle `convex` (what a deployment ships) or
 * leave it out (what the auth library itself adds). Client bundles leave out
 * what the app already has (`convex`, `react`). Code is split as the Convex
 * CLI splits it, and only what loads at start counts: a chunk behind a
 * dynamic `import()` (warden's hash-wasm fallback) is loaded only when called.
 */
export interface BundleSize {
  bytes: number;
  gzipBytes: number;
}

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const CONVEX = ["convex", "convex/*"];
const REACT = ["react", "react/*", "react-dom", "react-dom/*"];

async function size(options: BuildOptions): Promise<BundleSize> {
  const result = await build({
    bundle: true,
    minify: true,
    format: "esm",
    write: false,
    logLevel: "silent",
    // Like the Convex CLI: dynamic imports become chunks loaded only when called.
    splitting: true,
    outdir: root("bench/bundle/.out"),
    metafile: true,
    // Resolve `convex-warden/*` to the source, as the tests do.
    tsconfig: root("tsconfig.json"),
    ...options,
  });
  const code = loadedAtStart(result);
  return { bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}

/** The entry chunk and every chunk it imports statically, concatenated. */
function loadedAtStart(result: BuildResult): Uint8Array {
  const outputs = result.metafile?.outputs ?? {};
  const entry = Object.keys(outputs).find((path) => outputs[path]!.entryPoint !== undefined);
  if (entry === undefined) throw new Error("esbuild wrote no bundle");
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const imported of outputs[path]!.imports) {
      if (imported.kind === "import-statement" && !imported.external) visit(imported.path);
    }
  };
  visit(entry);
  const files = (result.outputFiles ?? []).filter((file) => [...seen].some((path) => file.path.endsWith(path)));
  return Buffer.concat(files.map((file) => file.contents));
}

export function serverBundle(entry: string, { withConvex }: { withConvex: boolean }) {
  return size({
    entryPoints: [root(`bench/bundle/${entry}`)],
    platform: "neutral",
    conditions: ["convex", "module", "browser"],
    mainFields: ["browser", "module", "main"],
    external: withConvex ? [] : CONVEX,
  });
}

/** v1's React entry (`ConvexAuthProvider`, hooks and the client they wrap). */
export function v1ReactBundle() {
  return size({
    stdin: { contents: 'export * from "@convex-dev/auth/react";', resolveDir: root("."), loader: "ts" },
    platform: "browser",
    external: [...CONVEX, ...REACT],
  });
}

/**
 * convex-warden's client + React bindings, as `scripts/bundleSize.mjs --json`
 * measures them (same esbuild options as `v1ReactBundle`); null without it.
 */
export function wardenReactBundle(): BundleSize | null {
  const script = root("scripts/bundleSize.mjs");
  if (!existsSync(script)) return null;
  // It exits 1 when over its budget, and still prints the sizes.
  const run = spawnSync(process.execPath, [script, "--json"], { cwd: root("."), encoding: "utf8" });
  const printed = JSON.parse(run.stdout) as { clientAndReact: BundleSize };
  return printed.clientAndReact;
}
