import type { App, Library, LibraryId } from "../drivers/types";
import type { Flow } from "../flows";
import { countDocuments, type DocumentCounts } from "./documentCounter";
import { hashingTime, resetHashingTime } from "./hashTimer";
import { summarize, type Summary } from "./stats";

export interface Measurement {
  total: Summary;
  /** For flows that hash a password: the time inside the hasher, and the rest. */
  hashing?: Summary;
  outsideHashing?: Summary;
  documents: DocumentCounts;
}

/** Per library: its figures, or null when its app cannot run the flow yet. */
export type FlowResult = Record<LibraryId, Measurement | null>;

/**
 * A fresh app every this many samples: convex-test scans whole tables for
 * indexed queries, so a database that keeps growing would slow the later
 * samples down for reasons a real deployment does not have.
 */
const SAMPLES_PER_APP = 50;

interface Samples {
  total: number[];
  hashing: number[];
}

/**
 * Measures one flow for every library: warm-up calls, the last of them with
 * its documents counted, then the timed samples, alternating the libraries
 * call by call (ABBA order), so drift and noise on the machine hit both alike.
 */
export async function measure(flow: Flow, libraries: readonly Library[]): Promise<FlowResult> {
  const runnable = libraries.filter((library) => flow.supports(library.create()));
  const documents = new Map<LibraryId, DocumentCounts>();
  // The warmed-up apps take the first timed calls.
  let apps = new Map<LibraryId, App>();
  for (const library of runnable) {
    const app = library.create();
    documents.set(library.id, await warmUp(flow, app));
    apps.set(library.id, app);
  }
  const samples = new Map<LibraryId, Samples>(
    runnable.map((library) => [library.id, { total: [], hashing: [] }]),
  );
  for (let i = 0; i < flow.samples; i++) {
    if (i > 0 && i % SAMPLES_PER_APP === 0) apps = new Map(runnable.map((l) => [l.id, l.create()]));
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
    }
  }
  const result: Partial<FlowResult> = {};
  for (const library of libraries) {
    const series = samples.get(library.id);
    result[library.id] = series ? summarizeSamples(flow, series, documents.get(library.id)!) : null;
  }
  return result as FlowResult;
}

async function warmUp(flow: Flow, app: App): Promise<DocumentCounts> {
  for (let i = 1; i < flow.warmup; i++) await (await flow.prepare(app))();
  return countDocuments(await flow.prepare(app));
}

function summarizeSamples(flow: Flow, series: Samples, documents: DocumentCounts): Measurement {
  const total = summarize(series.total);
  if (!flow.hashes) return { total, documents };
  return {
    total,
    hashing: summarize(series.hashing),
    outsideHashing: summarize(series.total.map((ms, i) => ms - series.hashing[i]!)),
    documents,
  };
}
