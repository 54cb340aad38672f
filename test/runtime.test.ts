// @vitest-environment node
import { builtinModules } from "node:module";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { expect, test } from "vitest";

/**
 * Code that runs in Convex's default runtime (the component, the app-side
 * server library, providers and their helpers) may not import Node built-ins:
 * convex-test runs on Node and would not notice, a deployment would fail.
 * Files that start with "use node" run in Convex's Node runtime and are exempt.
 */
const ROOT = join(import.meta.dirname, "..");
const CONVEX_RUNTIME_DIRS = ["convex", "src/server", "src/providers", "src/lib", "src/shared", "src/delivery"];
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

function importedModules(source: string): string[] {
  const specifiers = source.matchAll(/(?:from\s*|import\s*\(?\s*|require\s*\(\s*)["']([^"']+)["']/g);
  return [...specifiers].map((match) => match[1]!);
}

test("no Node built-in is imported by code that runs in Convex's default runtime", () => {
  const offenders = CONVEX_RUNTIME_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir)))
    .filter((file) => !/^\s*["']use node["']/.test(readFileSync(file, "utf8")))
    .flatMap((file) =>
      importedModules(readFileSync(file, "utf8"))
        .filter((specifier) => builtins.has(specifier) || builtins.has(specifier.split("/")[0]!))
        .map((specifier) => `${relative(ROOT, file)}: ${specifier}`),
    );
  expect(offenders).toEqual([]);
});

test("the check itself recognizes built-in imports", () => {
  const sample = `import { x } from "node:crypto";\nimport fs from 'fs';\nconst p = await import("path");`;
  expect(importedModules(sample).filter((s) => builtins.has(s))).toEqual(["node:crypto", "fs", "path"]);
});
