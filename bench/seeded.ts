import type { App, Library, LibraryId } from "./drivers/types";
import { fixture } from "./fixtures";
import type { Flow } from "./flows";
import { countAccess, withoutAppWideShards, type AccessCounts } from "./harness/access";
import { measure } from "./harness/runner";
import type { Recording } from "./harness/recorder";
import { scanProbes, scanTimeMs, type Probe } from "./harness/scanCost";
import { round, type Summary } from "./harness/stats";

/**
 * The seeded run: the flows again on databases that already hold 1, 1,000 and
 * 10,000 users, each with an account and a live session. The users are
 * copies of one real sign-up's rows (fixtures.ts), inserted in bounded
 * batches through the bench's seeding function, so seeding 10,000 takes
 * seconds instead of 10,000 password hashes. One app per library and size for
 * all of a size's flows; each call's read and write counts should not move
 * with the size, and its time is reported with the mock's scan time
 * subtracted (harness/scanCost.ts).
 */
export interface SeededCell {
  total: Summary;
  /** convex-test's own scan time for the call's lookups at this size, probed after each timed call. */
  scan: Summary;
  /** Each call's time minus its scan time. */
  minusScan: Summary;
  access: AccessCounts;
  /** The counts without an app-wide sharded limit's rows: what must not move with the size. */
  steadyAccess: AccessCounts;
}

export interface SeededRow {
  flow: Pick<Flow, "id" | "label">;
  /** By size, then library: null when the library cannot run the flow. */
  bySize: Record<number, Record<LibraryId, SeededCell | null>>;
}

export interface SeededRun {
  sizes: number[];
  /** Seconds spent seeding, by size and library. */
  seedingSeconds: Record<number, Record<string, number>>;
  rows: SeededRow[];
}

const probes = new WeakMap<Recording, Probe[]>();

/** The mock's scan time for the lookups the recorded call made, on the app as it is now. */
async function scanTime(app: App, recording: Recording): Promise<number> {
  let found = probes.get(recording);
  if (found === undefined) {
    found = scanProbes(recording);
    probes.set(recording, found);
  }
  return scanTimeMs(app, found);
}

async function seed(library: Library, users: number): Promise<{ app: App; seconds: number }> {
  const app = library.create();
  const start = performance.now();
  await fixture(app).user();
  await fixture(app).copyUsers(users - 1, "seed");
  return { app, seconds: round((performance.now() - start) / 1000) };
}

export async function measureSeeded(flows: readonly Flow[], libraries: readonly Library[], sizes: readonly number[]): Promise<SeededRun> {
  const seeded = flows.filter((flow) => flow.seeded > 0);
  const rows: SeededRow[] = seeded.map((flow) => ({ flow: { id: flow.id, label: flow.label }, bySize: {} }));
  const seedingSeconds: SeededRun["seedingSeconds"] = {};
  for (const size of sizes) {
    const apps = new Map<LibraryId, App>();
    seedingSeconds[size] = {};
    for (const library of libraries) {
      const { app, seconds } = await seed(library, size);
      apps.set(library.id, app);
      seedingSeconds[size]![library.id] = seconds;
    }
    for (const [i, flow] of seeded.entries()) {
      const given = { apps, samples: flow.seeded, correction: scanTime };
      const result = await measure({ ...flow, warmup: Math.min(flow.warmup, 2) }, libraries, given);
      const cells: Partial<Record<LibraryId, SeededCell | null>> = {};
      for (const library of libraries) {
        const measured = result[library.id];
        if (measured === null) {
          cells[library.id] = null;
          continue;
        }
        cells[library.id] = {
          total: measured.total,
          scan: measured.correction!,
          minusScan: measured.corrected!,
          access: measured.access,
          steadyAccess: countAccess(withoutAppWideShards(measured.recording)),
        };
      }
      rows[i]!.bySize[size] = cells as Record<LibraryId, SeededCell | null>;
    }
  }
  return { sizes: [...sizes], seedingSeconds, rows };
}

/**
 * The flows whose counts differ between sizes, with the counts per size. An
 * app-wide sharded limit's rows are left out: which shards a call touches is
 * chosen at random, whatever the size (`withoutAppWideShards`).
 */
export function countsThatMove(run: SeededRun, library: LibraryId) {
  return run.rows.flatMap(({ flow, bySize }) => {
    const counts = run.sizes.map((size) => bySize[size]?.[library]?.steadyAccess ?? null);
    const first = JSON.stringify(counts[0]);
    return counts.every((c) => JSON.stringify(c) === first) ? [] : [{ flow: flow.id, counts }];
  });
}
