import { defineConfig } from "vitest/config";
import base from "./vitest.config.ts";

// `npm run test:e2e`: the example app in Debian's Chromium, against `npm run example`'s stack,
// which test/e2e/globalSetup.ts starts once for the run.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    environment: "node",
    include: ["test/e2e/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    globalSetup: ["test/e2e/globalSetup.ts"],
    fileParallelism: false,
    testTimeout: 40_000,
    // A page waits on a real backend: a sign-up hashes a password, a reconnect backs off.
    expect: { poll: { timeout: 10_000, interval: 50 } },
    hookTimeout: 60_000,
    // The local backend's in-memory deployment keeps the timers of its scheduled functions (an
    // hourly housekeeping sweep) until the process ends, and convex-test cannot clear them:
    // once the stack is stopped, let vitest end the process after 3 s rather than 10.
    teardownTimeout: 3_000,
  },
});
