import type { App } from "../drivers/types";
import type { ProbeLookup } from "./benchDb";
import type { RangeRead, Recording } from "./recorder";

/**
 * What convex-test itself spends on a call's index lookups. It answers an
 * indexed query by scanning the whole table, so its cost grows with the
 * table, where a real deployment walks the index. For each index range a
 * recorded call looked up, a probe query on the same table and index makes a
 * lookup that finds nothing; its time minus that of a probe making none is the
 * mock's cost of one lookup on that table at its current size. Summed over the
 * call's lookups it is the time to subtract, so what is left grows only if the
 * library's own work does. The runner times the probes right after each timed
 * call, so a busy moment on the machine hits the call and its probes alike. Table scans without an index are not subtracted:
 * they cost as much on a real deployment.
 */
export interface Probe extends ProbeLookup {
  component: string;
}

/**
 * The lookup as recorded, its last equality's value swapped for one no row
 * holds (bounds after it dropped): convex-test evaluates the same conditions
 * on every row, and the probe finds nothing.
 */
function probeFor(component: string, range: RangeRead): Probe {
  const equalities = range.conditions.filter((c) => c.op === "eq");
  const last = equalities.at(-1);
  if (last === undefined) {
    // No equality to swap: any field of the table scans it alike.
    return { component, table: range.table, index: "by_creation_time", prefix: [], field: "_creationTime" };
  }
  const prefix = equalities.slice(0, -1).map(({ field, value }) => ({ field, value }));
  return { component, table: range.table, index: range.index, prefix, field: last.field };
}

/** A probe for every indexed lookup of the recorded call (table scans are real work: none for them). */
export function scanProbes(recording: Recording): Probe[] {
  return recording.runs.flatMap((run) =>
    run.reads.filter((read): read is RangeRead => read.kind === "range" && read.indexed).map((read) => probeFor(run.component, read)),
  );
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/** The mock's scan time for `probes` on `app` as it is now: each probe's lookup, minus an empty probe query. */
export async function scanTimeMs(app: App, probes: readonly Probe[]): Promise<number> {
  let total = 0;
  for (const { component, ...lookup } of probes) {
    const none = await timed(() => app.db.probe(component, lookup, 0));
    const one = await timed(() => app.db.probe(component, lookup, 1));
    total += Math.max(0, one - none);
  }
  return total;
}
