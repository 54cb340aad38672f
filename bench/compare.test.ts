import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { expect, test } from "vitest";
import { bundleRows } from "./bundle/rows";
import type { Library, LibraryId } from "./drivers/types";
import { v1 } from "./drivers/v1";
import { installFakeGitHub } from "./drivers/fakeGitHub";
import { setUpV1Environment } from "./drivers/v1Env";
import { warden } from "./drivers/warden";
import { flows } from "./flows";
import { hashCosts } from "./harness/hashEngines";
import { measure } from "./harness/runner";
import { formatReport, resultsJson, type BundleRow, type FlowRow } from "./report";

/**
 * convex-warden against @convex-dev/auth 0.0.95 on one convex-test harness,
 * in one process. `npm run bench` prints the table and writes
 * bench/results.json; `npm run bench:smoke` (vitest `--mode smoke`) runs every
 * flow a few times and checks the harness produced figures, without timing
 * assertions and without touching results.json.
 */
const smoke = import.meta.env.MODE === "smoke";
const LIBRARIES: readonly Library[] = [warden, v1];

/** What a library cannot run yet: exactly these must come out n/a. */
const PENDING: Record<LibraryId, readonly string[]> = {
  warden: ["emailCode", "oauthCallback", "serverBundlePasswordGitHub"],
  v1: [],
};

/** Signs a user up in each library and reads back how its password was stored. */
async function passwordHashes() {
  const schemes: Partial<Record<LibraryId, string>> = {};
  for (const library of LIBRARIES) {
    const app = library.create();
    const who = { email: "scheme@bench.test", password: "correct horse battery staple" };
    await app.signUp(who);
    schemes[library.id] = await app.passwordScheme(who);
  }
  return schemes as Record<LibraryId, string>;
}

/** The flows, each measured for every library, with GitHub faked for the OAuth one. */
async function measureFlows(): Promise<FlowRow[]> {
  const rows: FlowRow[] = [];
  const restoreFetch = installFakeGitHub();
  try {
    for (const flow of flows(smoke ? "smoke" : "full")) {
      rows.push({ flow, result: await measure(flow, LIBRARIES) });
    }
  } finally {
    restoreFetch();
  }
  return rows;
}

/** Figures for everything but what is pending, and nothing for what is. */
function expectFigures(rows: readonly FlowRow[], bundles: readonly BundleRow[]) {
  for (const library of LIBRARIES) {
    const pending = PENDING[library.id];
    for (const { flow, result } of rows) {
      const measured = result[library.id];
      const what = `${library.id} ${flow.id}`;
      if (pending.includes(flow.id)) {
        expect(measured, what).toBeNull();
        continue;
      }
      expect(measured, what).not.toBeNull();
      expect(measured!.total.medianMs, what).toBeGreaterThan(0);
      expect(measured!.documents.written + measured!.documents.read, what).toBeGreaterThan(0);
    }
    for (const { id, sizes } of bundles) {
      const size = sizes[library.id];
      const what = `${library.id} ${id}`;
      if (pending.includes(id)) expect(size, what).toBeNull();
      else expect(size?.gzipBytes, what).toBeGreaterThan(0);
    }
  }
}

test(smoke ? "the bench harness measures every flow" : "benchmark", async () => {
  await setUpV1Environment();
  const hashes = await passwordHashes();
  // The sign-in and sign-up targets hold at OWASP argon2id parameters or stronger (PW-1).
  const [, m, t, p] = /^argon2id v=19 m=(\d+),t=(\d+),p=(\d+)$/.exec(hashes.warden) ?? [];
  expect(Number(m), hashes.warden).toBeGreaterThanOrEqual(19456);
  expect(Number(t), hashes.warden).toBeGreaterThanOrEqual(2);
  expect(Number(p), hashes.warden).toBe(1);

  const rows = await measureFlows();
  const bundles = await bundleRows();
  const run = {
    command: smoke ? "npm run bench:smoke" : "npm run bench",
    date: new Date().toISOString(),
    node: process.version,
    cpus: availableParallelism(),
    passwordHashes: hashes,
    hashCosts: await hashCosts(smoke ? 1 : 15),
  };
  console.log(`\n${formatReport(rows, bundles, run)}\n`);
  if (!smoke) {
    const json = JSON.stringify(resultsJson(rows, bundles, run), null, 2);
    writeFileSync(new URL("./results.json", import.meta.url), `${json}\n`);
  }
  expectFigures(rows, bundles);
});
