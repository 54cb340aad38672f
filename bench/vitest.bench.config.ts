import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import base from "../vitest.config.js";

/**
 * `npm run bench` (full) and `npm run bench:smoke` (`--mode smoke`, a few
 * calls per flow): the same harness as the tests (edge-runtime, convex-test
 * inlined, package names resolving to the source), one file, one worker.
 */
export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  resolve: base.resolve,
  test: {
    environment: "edge-runtime",
    server: { deps: { inline: ["convex-test"] } },
    include: ["bench/compare.test.ts"],
    env: base.test?.env,
    fileParallelism: false,
    // The table is printed once at the end; let it reach the terminal as is.
    disableConsoleIntercept: true,
    testTimeout: 15 * 60_000,
  },
});
