// @vitest-environment node
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { expect, test } from "vitest";
import kit, { register, VITEST_INLINE_DEPS } from "convex-warden/test";

/**
 * The test kit as an app's tests meet it: the shape Convex components' kits
 * have, an error that says what to add when vitest did not inline it, and the
 * README's "Testing your app" being a file that runs.
 */
const root = join(import.meta.dirname, "..");

test("the default export is { register, schema, modules }, as Convex components' test kits are", () => {
  expect(kit.register).toBe(register);
  expect(Object.keys(kit.schema.tables)).toEqual(expect.arrayContaining(["accounts", "challenges", "housekeeping", "sessions"]));
  expect(Object.keys(kit.modules).some((path) => path.endsWith("/sessions.ts"))).toBe(true);
});

test("loaded without vitest's transform (not inlined), it says which deps to inline", async () => {
  const bundle = await build({
    entryPoints: [join(root, "src/test.ts")],
    bundle: true,
    format: "esm",
    platform: "node",
    write: false,
    external: ["convex", "convex/*", "convex-test", "jose", "@convex-dev/*", "@oslojs/*"],
    logLevel: "silent",
  });
  const dir = mkdtempSync(join(tmpdir(), "warden-kit-"));
  const file = join(root, "node_modules", ".warden-kit-probe.mjs");
  writeFileSync(file, bundle.outputFiles[0]!.text);
  const run = promisify(execFile)(process.execPath, [file], { cwd: dir, env: { ...process.env, CONVEX_CLOUD_URL: "https://x.convex.cloud" } });
  const error = (await run.catch((failure: unknown) => failure)) as { stderr?: string };
  rmSync(file);
  rmSync(dir, { recursive: true });
  expect(error.stderr).toContain("server: { deps: { inline:");
  for (const dep of VITEST_INLINE_DEPS) expect(error.stderr).toContain(dep);
});

test("the README's 'Testing your app' is the example's own test, word for word", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### Testing your app"));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  const file = readFileSync(join(root, "example/convex/users.test.ts"), "utf8");
  expect(block).toBe(file);
});
