import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { execPath } from "node:process";
import { fileURLToPath } from "node:url";
import { beforeAll, expect, test } from "vitest";
import { bundleRows } from "./bundle/rows";
import type { Library, LibraryId } from "./drivers/types";
import { v1 } from "./drivers/v1";
import { installFakeGitHub } from "./drivers/fakeGitHub";
import { setUpV1Environment } from "./drivers/v1Env";
import { warden } from "./drivers/warden";
import { fixture } from "./fixtures";
import { flows } from "./flows";
import { sharesNothing } from "./harness/conflicts";
import { measure } from "./harness/runner";
import { controls, isolation, type Controls, type IsolationRow } from "./isolation";
import { formatReport, NO_SUCH_API, NOT_YET, resultsJson, type BundleRow, type FlowRow } from "./report";
import type { HashAlone } from "./reportSections";
import { countsThatMove, measureSeeded, type SeededRun } from "./seeded";
import { argon2idEngine } from "../src/lib/password/argon2id";

/**
 * convex-warden against @convex-dev/auth 0.0.95 on one convex-test harness,
 * in one process. `npm run bench` prints the report and writes
 * bench/results.json; `npm run bench:smoke` (vitest `--mode smoke`) runs every
 * flow a few times and checks the harness produced figures, without timing
 * assertions and without touching results.json. Both assert what must hold
 * of convex-warden's reads and writes: two users share nothing, and the
 * counts do not grow with the database.
 */
const smoke = import.meta.env.MODE === "smoke";
const LIBRARIES: readonly Library[] = [warden, v1];

/** What a library cannot run yet: exactly these must come out n/a. */
const PENDING: Record<LibraryId, readonly string[]> = {
  warden: [],
  v1: [],
};

/** What a library has no API for at all: n/a too, and not expected to change. */
const ABSENT: Record<LibraryId, readonly string[]> = {
  warden: [],
  v1: ["getUserIdLiveQuery"],
};

const missing = (library: LibraryId, flow: string) => (ABSENT[library].includes(flow) ? NO_SUCH_API : NOT_YET);

/** Database sizes of the seeded run, in users. */
const SEED_SIZES = smoke ? [1, 30] : [1, 1_000, 10_000];

let hashAlone: HashAlone;
let pairs: IsolationRow[];
let controlRuns: Controls[];
const startedAt = performance.now();
const loadAtStart = loadavg();

/** One hash per engine in a fresh Node process, before anything else of the run. */
function measureHashAlone(runs: number): HashAlone {
  const script = fileURLToPath(new URL("./hashAlone.mjs", import.meta.url));
  return JSON.parse(execFileSync(execPath, [script, String(runs)], { encoding: "utf8" })) as HashAlone;
}

beforeAll(async () => {
  hashAlone = measureHashAlone(smoke ? 1 : 15);
  await setUpV1Environment();
});

/** Signs a user up in each library and reads back how its password was stored. */
async function passwordHashes() {
  const schemes: Partial<Record<LibraryId, string>> = {};
  for (const library of LIBRARIES) {
    const app = library.create();
    schemes[library.id] = await app.passwordScheme(await fixture(app).user());
  }
  return schemes as Record<LibraryId, string>;
}

/** GitHub faked for the OAuth flow while `work` runs. */
async function withFakeGitHub<T>(work: () => Promise<T>): Promise<T> {
  const restoreFetch = installFakeGitHub();
  try {
    return await work();
  } finally {
    restoreFetch();
  }
}

async function measureFlows(): Promise<FlowRow[]> {
  const rows: FlowRow[] = [];
  for (const flow of flows(smoke ? "smoke" : "full")) rows.push({ flow, result: await measure(flow, LIBRARIES) });
  return rows;
}

const notRun = (library: LibraryId) => [...PENDING[library], ...ABSENT[library]];

/** Figures for everything but what is pending or absent, and nothing for what is. */
function expectFigures(rows: readonly FlowRow[], seeded: SeededRun, bundles: readonly BundleRow[]) {
  for (const library of LIBRARIES) {
    const skipped = notRun(library.id);
    for (const { flow, result } of rows) {
      const measured = result[library.id];
      const what = `${library.id} ${flow.id}`;
      if (skipped.includes(flow.id)) {
        expect(measured, what).toBeNull();
        continue;
      }
      expect(measured, what).not.toBeNull();
      expect(measured!.total.medianMs, what).toBeGreaterThan(0);
      expect(measured!.access.runs, what).toBeGreaterThan(0);
    }
    for (const { flow, bySize } of seeded.rows) {
      for (const size of seeded.sizes) {
        const cell = bySize[size]?.[library.id];
        if (skipped.includes(flow.id)) expect(cell, `${library.id} ${flow.id} seeded`).toBeNull();
        else expect(cell?.total.medianMs, `${library.id} ${flow.id} at ${size}`).toBeGreaterThan(0);
      }
    }
    for (const { id, sizes } of bundles) {
      const size = sizes[library.id];
      const what = `${library.id} ${id}`;
      if (skipped.includes(id)) expect(size, what).toBeNull();
      else expect(size?.gzipBytes, what).toBeGreaterThan(0);
    }
  }
}

test("convex-warden: two users' sign-ins, refreshes and sign-outs share no document and no index range", async () => {
  // The comparison sees conflicts where there are some…
  controlRuns = [];
  for (const library of LIBRARIES) controlRuns.push(await controls(library));
  const control = controlRuns.find((each) => each.library === "warden")!;
  expect(control.sameUserTwice.ranges.length, "same user twice").toBeGreaterThan(0);
  expect(control.sameUserTwice.documents.length, "same user twice").toBeGreaterThan(0);
  expect(control.unknownThenSignUp.writesIntoRanges.length, "unknown email, then its sign-up").toBeGreaterThan(0);
  // …and finds none between two users.
  pairs = await isolation(LIBRARIES);
  for (const row of pairs.filter((each) => each.asserted)) {
    expect(row.result.warden, row.label).toEqual({ documents: [], ranges: [], writesIntoRanges: [] });
    expect(sharesNothing(row.result.warden)).toBe(true);
  }
});

test(smoke ? "the bench harness measures every flow" : "benchmark", async () => {
  const hashes = await passwordHashes();
  // The sign-in and sign-up targets hold at OWASP argon2id parameters or stronger (PW-1).
  const [, m, t, p] = /^argon2id v=19 m=(\d+),t=(\d+),p=(\d+)$/.exec(hashes.warden) ?? [];
  expect(Number(m), hashes.warden).toBeGreaterThanOrEqual(19456);
  expect(Number(t), hashes.warden).toBeGreaterThanOrEqual(2);
  expect(Number(p), hashes.warden).toBe(1);

  const rows = await withFakeGitHub(measureFlows);
  const seeded = await withFakeGitHub(() => measureSeeded(flows(smoke ? "smoke" : "full"), LIBRARIES, SEED_SIZES));
  const bundles = await bundleRows();
  const report = {
    run: {
      command: smoke ? "npm run bench:smoke" : "npm run bench",
      date: new Date().toISOString(),
      node: process.version,
      cpus: availableParallelism(),
      load: { start: loadAtStart, end: loadavg() },
      seconds: (performance.now() - startedAt) / 1000,
      passwordHashes: hashes,
      wardenEngine: await argon2idEngine(),
    },
    hashAlone,
    flows: rows,
    seeded,
    isolation: { pairs, controls: controlRuns },
    bundles,
  };
  console.log(`\n${formatReport(report, missing)}\n`);
  if (!smoke) {
    const json = JSON.stringify(resultsJson(report, missing), null, 2);
    writeFileSync(new URL("./results.json", import.meta.url), `${json}\n`);
  }
  expectFigures(rows, seeded, bundles);
  // convex-warden reads and writes as much with 10,000 users as with one.
  expect(countsThatMove(seeded, "warden")).toEqual([]);
});
