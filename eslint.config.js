// @ts-check
import convexPlugin from "@convex-dev/eslint-plugin";
import { builtinModules } from "node:module";
import tseslint from "typescript-eslint";

/** Node built-ins, by both names: code that runs in Convex's default runtime or a browser may import none. */
const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);

export default tseslint.config(
  { ignores: ["**/dist/**", "**/_generated/**", "**/*.generated.ts", "node_modules/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  // Convex's own rules, with type information, for the component and the example app's functions.
  ...convexPlugin.configs.recommended,
  {
    files: ["convex/**/*.ts", "example/convex/**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    // Convex's default runtime (the component, the server library, providers and their helpers) and browsers.
    files: ["convex/**/*.ts", "src/**/*.ts", "src/**/*.tsx", "example/convex/**/*.ts", "example/src/**/*.tsx"],
    ignores: ["src/delivery/smtp.ts"], // "use node": runs in Convex's Node runtime
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: nodeBuiltins.map((name) => ({ name, message: "Not in Convex's default runtime: only files that start with \"use node\" may import Node built-ins." })) },
      ],
    },
  },
);
