#!/usr/bin/env node
/**
 * Runs a TypeScript entry point of dev/: `node dev/run.mjs dev/example/main.ts`.
 * The entry exports `main(args)`, which starts what it runs and returns a
 * function that stops it (called on Ctrl-C or SIGTERM).
 *
 * Why Vite's SSR loader: the example app's functions import `convex-warden/…`
 * by name, resolved to the source by the aliases in vitest.config.ts, and the
 * module maps convex-test needs come from `import.meta.glob`. Loading the
 * entry through Vite with that same config gives the backend exactly the
 * resolution the tests have, with no new dependency; TypeScript runners such
 * as tsx implement neither the aliases nor `import.meta.glob`.
 */
import { fileURLToPath } from "node:url";
import { createServer } from "vite";

const root = fileURLToPath(new URL("..", import.meta.url));
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error("usage: node dev/run.mjs <entry.ts> [args…]");
  process.exit(2);
}

const loader = await createServer({
  root,
  configFile: fileURLToPath(new URL("../vitest.config.ts", import.meta.url)),
  server: { middlewareMode: true, hmr: false, ws: false, watch: null },
  appType: "custom",
  optimizeDeps: { noDiscovery: true, include: [] },
  clearScreen: false,
  logLevel: "warn",
});

let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  try {
    await stop?.();
  } finally {
    await loader.close();
    process.exit(code);
  }
}

let stop;
try {
  const { main } = await loader.ssrLoadModule(entry.startsWith("/") ? entry : `/${entry}`);
  stop = await main(args);
} catch (error) {
  console.error(
    error?.code === "EADDRINUSE"
      ? `Port ${error.port} is in use: is another \`npm run example\` or \`npm run backend\` running?`
      : error,
  );
  await loader.close();
  process.exit(1);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
