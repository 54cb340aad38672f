import type { App } from "../drivers/types";
import type { RangeRead, Recording } from "./recorder";
import { summarize } from "./stats";

/**
 * What convex-test itself spends on a call's index lookups. It answers an
 * indexed query by scanning the whole table, so its cost grows with the
 * table, where a real deployment walks the index. For each index range a
 * recorded call looked up, a probe query on the same table and index makes
 * lookups that find nothing; (time of K lookups − time of none) / K is the
 * mock's cost of one lookup on that table at its current size. Summed over the
 * call's lookups it is the time to subtract, so what is left grows only if the
 * library's own work does. Table scans without an index are not subtracted:
 * they cost as much on a real deployment.
 */
const LOOKUPS = 4;
const REPEATS = 5;

interface Probe {
  component: string;
  table: string;
  index: string;
  field: string;
}

function probeFor(component: string, range: RangeRead): Probe {
  const field =
    range.conditions[0]?.field ?? (range.index === "by_id" ? "_id" : range.index === "by_creation_time" ? "_creationTime" : null);
  // An index range with no condition: any field of the table scans it alike.
  if (field === null) return { component, table: range.table, index: "by_creation_time", field: "_creationTime" };
  return { component, table: range.table, index: range.index, field };
}

async function perLookupMs(app: App, { component, table, index, field }: Probe): Promise<number> {
  const time = async (lookups: number) => {
    const start = performance.now();
    await app.db.probe(component, table, index, field, lookups);
    return performance.now() - start;
  };
  await time(1);
  const none: number[] = [];
  const some: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    none.push(await time(0));
    some.push(await time(LOOKUPS));
  }
  return Math.max(0, (summarize(some).medianMs - summarize(none).medianMs) / LOOKUPS);
}

const cache = new WeakMap<App, Map<string, Promise<number>>>();

/** The mock's scan time for every indexed lookup `recording` made, on `app` as it is now (cached per app). */
export async function scanTimeMs(app: App, recording: Recording): Promise<number> {
  let known = cache.get(app);
  if (known === undefined) {
    known = new Map();
    cache.set(app, known);
  }
  let total = 0;
  for (const run of recording.runs) {
    for (const read of run.reads) {
      if (read.kind !== "range" || !read.indexed) continue;
      const probe = probeFor(run.component, read);
      const key = JSON.stringify(probe);
      let cost = known.get(key);
      if (cost === undefined) {
        cost = perLookupMs(app, probe);
        known.set(key, cost);
      }
      total += await cost;
    }
  }
  return Math.round(total * 1000) / 1000;
}
