import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The app imports convex-warden by name, as a user's app would; here the
// names resolve to the package's source.
export default defineConfig({
  root: here("."),
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^convex-warden\/client$/, replacement: here("../src/client/index.ts") },
      { find: /^convex-warden\/react$/, replacement: here("../src/react/index.ts") },
    ],
  },
  build: { outDir: here("dist"), emptyOutDir: true },
});
