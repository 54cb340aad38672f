import type { App, Library, LibraryId } from "../drivers/types";
import type { Flow } from "../flows";
import { countAccess, shapes, type AccessCounts, type RunShape } from "./access";
import { hashingTime, resetHashingTime } from "./hashTimer";
import { record, type Recording } from "./recorder";
import { summarize, type Summary } from "./stats";

export interface Measurement {
  total: Summary;
  /** For flows that hash a password: the time inside the hasher, and the rest. */
  hashing?: Summary;
  outsideHashing?: Summary;
  /** Counted on the last warm-up call (untimed). */
  access: AccessCounts;
  /** That call's function runs with their read and write sets. */
  runs: RunShape[];
  /** That call's full recording (not written to results.json). */
  recording: Recording;
  /** With `Given.correction`: each sample's correction, and the samples minus it. */
  correction?: Summary;
  corrected?: Summary;
  /** For `rowsLeftBehind` flows: rows the timed calls added, per table (every table listed). */
  rowsLeftBehind?: Record<string, number>;
}

/** Per library: its figures, or null when its app cannot run the flow. */
export type FlowResult = Record<LibraryId, Measurement | null>;

/** Apps to measure on instead of fresh ones (the seeded run), and how many timed calls. */
export interface Given {
  apps: ReadonlyMap<LibraryId, App>;
  samples: number;
  /** Timed right after each timed call (untimed itself), to subtract from it: the mock's scan time. */
  correction?: (app: App, recording: Recording) => Promise<number>;
}

interface Samples {
  total: number[];
  hashing: number[];
  correction: number[];
}

/**
 * Measures one flow for every library: warm-up calls, the last of them
 * recorded, then the timed samples, alternating the libraries call by call
 * (ABBA order), so drift and noise on the machine hit both alike. A fresh app
 * every `flow.samplesPerApp` samples: convex-test scans whole tables for
 * indexed queries, so a database that keeps growing would slow the later
 * samples down for reasons a real deployment does not have.
 */
export async function measure(flow: Flow, libraries: readonly Library[], given?: Given): Promise<FlowResult> {
  const appFor = (library: Library) => given?.apps.get(library.id) ?? library.create();
  let apps = new Map<LibraryId, App>(libraries.map((library) => [library.id, appFor(library)]));
  const runnable = libraries.filter((library) => flow.supports(apps.get(library.id)!));
  const recordings = new Map<LibraryId, Recording>();
  for (const library of runnable) recordings.set(library.id, await warmUp(flow, apps.get(library.id)!));
  const rowsBefore = new Map<LibraryId, Record<string, number>>();
  if (flow.rowsLeftBehind) {
    for (const library of runnable) rowsBefore.set(library.id, await apps.get(library.id)!.db.countRows());
  }
  const samples = new Map<LibraryId, Samples>(runnable.map((library) => [library.id, { total: [], hashing: [], correction: [] }]));
  const count = given?.samples ?? flow.samples;
  const perApp = given === undefined ? flow.samplesPerApp : 0;
  for (let i = 0; i < count; i++) {
    if (perApp > 0 && i > 0 && i % perApp === 0) apps = new Map(runnable.map((l) => [l.id, l.create()]));
    const order = i % 2 === 0 ? runnable : [...runnable].reverse();
    for (const library of order) {
      const call = await flow.prepare(apps.get(library.id)!);
      resetHashingTime();
      const start = performance.now();
      await call();
      const elapsed = performance.now() - start;
      const series = samples.get(library.id)!;
      series.total.push(elapsed);
      series.hashing.push(hashingTime());
      if (given?.correction) series.correction.push(await given.correction(apps.get(library.id)!, recordings.get(library.id)!));
    }
  }
  const result: Partial<FlowResult> = {};
  for (const library of libraries) {
    const series = samples.get(library.id);
    if (series === undefined) {
      result[library.id] = null;
      continue;
    }
    const measurement = summarizeSamples(flow, series, recordings.get(library.id)!);
    const before = rowsBefore.get(library.id);
    if (before !== undefined) measurement.rowsLeftBehind = difference(before, await apps.get(library.id)!.db.countRows());
    result[library.id] = measurement;
  }
  return result as FlowResult;
}

async function warmUp(flow: Flow, app: App): Promise<Recording> {
  for (let i = 1; i < flow.warmup; i++) await (await flow.prepare(app))();
  const call = await flow.prepare(app);
  return record(call);
}

const difference = (before: Record<string, number>, after: Record<string, number>) =>
  Object.fromEntries(Object.keys(after).map((table) => [table, after[table]! - (before[table] ?? 0)]));

function summarizeSamples(flow: Flow, series: Samples, recording: Recording): Measurement {
  const measured: Measurement = { total: summarize(series.total), access: countAccess(recording), runs: shapes(recording), recording };
  if (series.correction.length > 0) {
    measured.correction = summarize(series.correction);
    measured.corrected = summarize(series.total.map((ms, i) => ms - series.correction[i]!));
  }
  if (!flow.hashes) return measured;
  return {
    ...measured,
    hashing: summarize(series.hashing),
    outsideHashing: summarize(series.total.map((ms, i) => ms - series.hashing[i]!)),
  };
}
