import { defineConfig } from "vitest/config";
import base from "./vitest.config.ts";

// `npm run demo`: prints the walkthrough in scripts/demo.ts as plain output.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["scripts/demo.ts"],
    disableConsoleIntercept: true,
    reporters: ["dot"],
    env: { CONVEX_CLOUD_URL: "https://warden-demo.convex.cloud" },
  },
});
