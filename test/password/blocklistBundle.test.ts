// @vitest-environment node
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { expect, test } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const BUDGET_GZIP_BYTES = 12_000;

interface Chunk {
  name: "start" | "blocklist" | "hash-wasm" | "other";
  file: string;
  bytes: number;
  gzipBytes: number;
}

test("the generated blocklist module is within its size budget (gzip -9)", () => {
  const source = readFileSync(join(ROOT, "src/lib/password/blocklist.generated.ts"));
  const gzipBytes = gzipSync(source, { level: 9 }).length;
  expect(gzipBytes).toBeGreaterThan(5_000);
  expect(gzipBytes).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
});

test("bundled as Convex does, the blocklist and hash-wasm are chunks of their own, loaded on demand", () => {
  const report = JSON.parse(
    execFileSync(process.execPath, [join(ROOT, "scripts/passwordSizes.mjs"), "--json"], { cwd: ROOT, encoding: "utf8" }),
  ) as { chunks: Chunk[]; blocklistInOwnChunk: boolean; withinBudget: boolean; lookupMicroseconds: number };
  const byName = (name: Chunk["name"]) => report.chunks.filter((chunk) => chunk.name === name);
  expect(report.blocklistInOwnChunk).toBe(true);
  expect(report.withinBudget).toBe(true);
  const [start] = byName("start");
  const [blocklist] = byName("blocklist");
  expect(byName("blocklist")).toHaveLength(1);
  expect(blocklist!.gzipBytes).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  expect(byName("hash-wasm")).toHaveLength(1);
  // What loads at start stays small: the list and the scrypt engine are not in it.
  expect(start!.gzipBytes).toBeLessThan(6_000);
  expect(report.lookupMicroseconds).toBeLessThan(1000);
});
