import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The example app imports the package by name, exactly as a user's app would;
// here those names resolve to the source.
const alias = [
  { find: /^convex-warden\/server$/, replacement: here("./src/server/index.ts") },
  { find: /^convex-warden\/providers\/(.*)$/, replacement: here("./src/providers/$1.ts") },
  { find: /^convex-warden\/migration$/, replacement: here("./src/migration/index.ts") },
  { find: /^convex-warden\/delivery$/, replacement: here("./src/delivery/index.ts") },
  { find: /^convex-warden\/delivery\/(.*)$/, replacement: here("./src/delivery/$1.ts") },
  { find: /^convex-warden\/convex\.config$/, replacement: here("./convex/convex.config.ts") },
  { find: /^convex-warden\/_generated\/component\.js$/, replacement: here("./convex/_generated/component.ts") },
  { find: /^convex-warden\/test$/, replacement: here("./src/test.ts") },
  { find: /^convex-warden\/client$/, replacement: here("./src/client/index.ts") },
  { find: /^convex-warden\/react$/, replacement: here("./src/react/index.ts") },
];

export default defineConfig({
  resolve: { alias },
  test: {
    environment: "edge-runtime",
    server: { deps: { inline: ["convex-test"] } },
    include: ["test/**/*.test.ts", "test/**/*.test.tsx", "example/**/*.test.ts"],
    // The browser tests have their own config and stack (vitest.e2e.config.ts).
    exclude: ["**/node_modules/**", "test/e2e/**"],
    env: { CONVEX_CLOUD_URL: "https://warden-example.convex.cloud" },
    testTimeout: 30_000,
  },
});
