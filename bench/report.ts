import type { LibraryId } from "./drivers/types";
import type { Flow } from "./flows";
import type { BundleSize } from "./bundle/sizes";
import type { AccessCounts } from "./harness/access";
import type { FlowResult, Measurement } from "./harness/runner";
import { ms, table } from "./harness/table";
import type { Controls, IsolationRow } from "./isolation";
import { hashAloneLines, isolationLines, rowsLeftLines, seededLines, setLines, type HashAlone } from "./reportSections";
import type { SeededRun } from "./seeded";

/** The printed report and `bench/results.json`, from the same figures. */
export interface FlowRow {
  flow: Pick<Flow, "id" | "label" | "attack">;
  result: FlowResult;
}

export interface BundleRow {
  id: string;
  label: string;
  sizes: Record<LibraryId, BundleSize | null>;
}

export interface RunInfo {
  command: string;
  date: string;
  node: string;
  cpus: number;
  /** The 1, 5 and 15 minute load averages when the run started and when it ended (the machine is shared). */
  load: { start: number[]; end: number[] };
  /** Wall-clock seconds of the whole run. */
  seconds: number;
  /** Each library's stored password hash scheme and parameters. */
  passwordHashes: Record<LibraryId, string>;
  wardenEngine: string;
}

export interface Report {
  run: RunInfo;
  hashAlone: HashAlone;
  flows: FlowRow[];
  seeded: SeededRun;
  isolation: { pairs: IsolationRow[]; controls: Controls[] };
  bundles: BundleRow[];
}

export const NOT_YET = "n/a (not implemented yet)";
export const NO_SUCH_API = "n/a (no such API)";

/** What a table cell says for each: the legend under the table spells it out. */
const SHORT: Record<string, string> = { [NOT_YET]: "pending", [NO_SUCH_API]: "no API" };

const ratio = (warden: number | undefined, v1: number | undefined) =>
  warden === undefined || v1 === undefined || v1 === 0 ? null : Math.round((warden / v1) * 100) / 100;

const kb = (bytes: number) => `${(bytes / 1000).toFixed(2)} kB`;

/** "runs r/w ranges(empty) miss" as four cells. */
export const countCells = (a: AccessCounts | undefined) =>
  a === undefined ? ["", "", "", ""] : [String(a.runs), `${a.documentsRead}/${a.documentsWritten}`, `${a.ranges}(${a.emptyRanges})`, String(a.getMisses)];

function flowLine(row: FlowRow, missing: (library: LibraryId, flow: string) => string): string[] {
  const libs = (["warden", "v1"] as const).map((id) => {
    const m = row.result[id];
    if (m === null) return [SHORT[missing(id, row.flow.id)] ?? "n/a", "", "", "", "", "", ""];
    const outside = m.outsideHashing === undefined ? "-" : ms(m.outsideHashing.medianMs);
    return [ms(m.total.medianMs), ms(m.total.p95Ms), outside, ...countCells(m.access)];
  });
  const { warden, v1 } = row.result;
  const r = ratio(warden?.total.medianMs, v1?.total.medianMs);
  return [row.flow.label, ...libs[0]!.slice(0, 3), ...libs[1]!.slice(0, 3), r === null ? "n/a" : r.toFixed(2), ...libs[0]!.slice(3), ...libs[1]!.slice(3)];
}

function headline(flows: readonly FlowRow[], missing: (library: LibraryId, flow: string) => string): string[] {
  const header = ["flow (ms)", "warden med", "p95", "excl.hash", "v1 med", "p95", "excl.hash", "w/v1", "warden runs", "r/w", "rng(∅)", "miss", "v1 runs", "r/w", "rng(∅)", "miss"];
  const users = flows.filter((row) => !row.flow.attack).map((row) => flowLine(row, missing));
  const attacks = flows.filter((row) => row.flow.attack).map((row) => flowLine(row, missing));
  return [
    ...table(header, [...users, "flows an attacker drives:", ...attacks]),
    `pending = ${NOT_YET}; no API = ${NO_SUCH_API}`,
  ];
}

function bundleLines(bundles: readonly BundleRow[]): string[] {
  const size = (s: BundleSize | null) => (s === null ? NOT_YET : `${kb(s.gzipBytes)} (${kb(s.bytes)})`);
  return table(
    ["bundle, gzip (minified)", "warden", "v1", "warden/v1"],
    bundles.map(({ label, sizes }) => {
      const r = ratio(sizes.warden?.gzipBytes, sizes.v1?.gzipBytes);
      return [label, size(sizes.warden), size(sizes.v1), r === null ? "n/a" : r.toFixed(2)];
    }),
  );
}

function samplesNote(flows: readonly FlowRow[]) {
  const counts = flows.map(({ flow, result }) => `${flow.id} ${result.warden?.total.samples ?? result.v1?.total.samples ?? 0}`);
  return `samples per library: ${counts.join(", ")}`;
}

const loads = (values: number[]) => values.map((v) => v.toFixed(2)).join(" ");

export function formatReport(report: Report, missing: (library: LibraryId, flow: string) => string): string {
  const { run } = report;
  return [
    `convex-warden vs @convex-dev/auth 0.0.95 (v1), same convex-test harness, one process`,
    `${run.command} | ${run.date} | Node ${run.node} | ${run.cpus} CPUs | load average ${loads(run.load.start)} at start, ${loads(run.load.end)} at end | ${run.seconds.toFixed(0)} s`,
    `password hashes stored: warden ${run.passwordHashes.warden} (${run.wardenEngine}); v1 ${run.passwordHashes.v1}`,
    "",
    ...hashAloneLines(report.hashAlone),
    "",
    "Flows, on a near-empty database: median and p95 ms of calls alternating between the libraries; excl.hash = median",
    "outside password hashing. Counts from one recorded call: runs = function runs (the call, and each runQuery,",
    "runMutation, runAction and component call it makes); r/w = distinct documents read / written; rng(∅) = index",
    "range lookups (of them, empty ones: they are read-set entries too); miss = db.get that found nothing.",
    "Note: convex-test runs an action's inner queries and mutations as plain in-process calls. On a deployment each is",
    "a transaction of its own, with its own round trip; every v1 sign-in, refresh and sign-out is such an action, so",
    "its times here flatter v1 (see v1's runs column: each run past the first is one more transaction).",
    "",
    ...headline(report.flows, missing),
    "",
    ...rowsLeftLines(report.flows),
    "",
    ...seededLines(report.seeded),
    "",
    ...isolationLines(report.isolation),
    "",
    ...setLines(report.flows),
    "",
    ...bundleLines(report.bundles),
    "",
    samplesNote(report.flows),
  ].join("\n");
}

function measurementJson(m: Measurement | null) {
  if (m === null) return null;
  const { medianMs, p95Ms, samples } = m.total;
  return {
    medianMs,
    p95Ms,
    samples,
    ...m.access,
    ...(m.hashing && { hashing: { medianMs: m.hashing.medianMs, p95Ms: m.hashing.p95Ms } }),
    ...(m.outsideHashing && { outsideHashing: { medianMs: m.outsideHashing.medianMs, p95Ms: m.outsideHashing.p95Ms } }),
    ...(m.rowsLeftBehind && { rowsLeftBehind: m.rowsLeftBehind }),
    functionRuns: m.runs,
  };
}

/** `{ flow: { warden, v1, ratio } }` and bundles by id, plus `$run`, `$hashAlone`, `$seeded`, `$isolation`. */
export function resultsJson(report: Report, missing: (library: LibraryId, flow: string) => string) {
  const json: Record<string, unknown> = { $run: report.run, $hashAlone: report.hashAlone };
  for (const { flow, result } of report.flows) {
    const { warden, v1 } = result;
    json[flow.id] = {
      label: flow.label,
      warden: measurementJson(warden),
      v1: measurementJson(v1),
      ratio: ratio(warden?.total.medianMs, v1?.total.medianMs),
      ...(warden?.hashing && {
        ratioOutsideHashing: ratio(warden.outsideHashing?.medianMs, v1?.outsideHashing?.medianMs),
      }),
      ...(warden === null && { note: `warden: ${missing("warden", flow.id)}` }),
      ...(v1 === null && { note: `v1: ${missing("v1", flow.id)}` }),
    };
  }
  for (const { id, sizes } of report.bundles) {
    json[id] = {
      warden: sizes.warden,
      v1: sizes.v1,
      ratio: ratio(sizes.warden?.gzipBytes, sizes.v1?.gzipBytes),
      ...((sizes.warden === null || sizes.v1 === null) && { note: NOT_YET }),
    };
  }
  json.$seeded = report.seeded;
  json.$isolation = report.isolation;
  return json;
}
