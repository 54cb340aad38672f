import type { LibraryId } from "./drivers/types";
import type { Flow } from "./flows";
import type { BundleSize } from "./bundle/sizes";
import type { FlowResult, Measurement } from "./harness/runner";
import type { HashCosts } from "./harness/hashEngines";
import type { Summary } from "./harness/stats";

/** The printed table and `bench/results.json`, from the same figures. */
export interface FlowRow {
  flow: Pick<Flow, "id" | "label">;
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
  /** Each library's stored password hash scheme and parameters. */
  passwordHashes: Record<LibraryId, string>;
  hashCosts: HashCosts;
}

const NOT_YET = "n/a (not implemented yet)";

const ratio = (warden: number | undefined, v1: number | undefined) =>
  warden === undefined || v1 === undefined || v1 === 0 ? null : Math.round((warden / v1) * 100) / 100;

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const kb = (bytes: number) => `${(bytes / 1000).toFixed(2)} kB`;

function pad(cells: readonly string[], widths: readonly number[]) {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
}

function timeCells(summary: Summary | undefined) {
  return summary === undefined ? ["", ""] : [ms(summary.medianMs), ms(summary.p95Ms)];
}

const docs = (m: Measurement | null) => (m === null ? "" : `${m.documents.read} / ${m.documents.written}`);

function flowLines(row: FlowRow): string[][] {
  const { warden, v1 } = row.result;
  const cells = (label: string, pick: (m: Measurement) => Summary | undefined, withDocs: boolean) => {
    const w = warden === null ? undefined : pick(warden);
    const v = v1 === null ? undefined : pick(v1);
    const r = ratio(w?.medianMs, v?.medianMs);
    return [
      label,
      ...(warden === null && withDocs ? [NOT_YET, ""] : timeCells(w)),
      ...(v1 === null && withDocs ? [NOT_YET, ""] : timeCells(v)),
      r === null ? (withDocs ? "n/a" : "") : r.toFixed(2),
      withDocs ? docs(warden) : "",
      withDocs ? docs(v1) : "",
    ];
  };
  const lines = [cells(row.flow.label, (m) => m.total, true)];
  if (warden?.hashing !== undefined || v1?.hashing !== undefined) {
    lines.push(cells("  in password hashing", (m) => m.hashing, false));
    lines.push(cells("  outside hashing", (m) => m.outsideHashing, false));
  }
  return lines;
}

function bundleLine(row: BundleRow): string[] {
  const { warden, v1 } = row.sizes;
  const size = (s: BundleSize | null) => (s === null ? NOT_YET : `${kb(s.gzipBytes)} (${kb(s.bytes)})`);
  const r = ratio(warden?.gzipBytes, v1?.gzipBytes);
  return [row.label, size(warden), size(v1), r === null ? "n/a" : r.toFixed(2)];
}

function samplesNote(flows: readonly FlowRow[]) {
  const counts = flows.map(({ flow, result }) => {
    const n = result.warden?.total.samples ?? result.v1?.total.samples ?? 0;
    return `${flow.id} ${n}`;
  });
  return `samples per library: ${counts.join(", ")}`;
}

export function formatReport(flows: readonly FlowRow[], bundles: readonly BundleRow[], run: RunInfo): string {
  const header = ["flow (ms)", "warden med", "p95", "v1 med", "p95", "warden/v1", "docs r/w warden", "v1"];
  const flowRows = [header, ...flows.flatMap(flowLines)];
  const flowWidths = header.map((_, i) => Math.max(...flowRows.map((row) => row[i]!.length)));
  const bundleHeader = ["bundle, gzip (minified)", "warden", "v1", "warden/v1"];
  const bundleRows = [bundleHeader, ...bundles.map(bundleLine)];
  const bundleWidths = bundleHeader.map((_, i) => Math.max(...bundleRows.map((row) => row[i]!.length)));
  const rule = (widths: number[]) => "-".repeat(widths.reduce((a, b) => a + b + 2, -2));
  return [
    `convex-warden vs @convex-dev/auth 0.0.95 (v1), same convex-test harness, one process`,
    `${run.command} | ${run.date} | Node ${run.node} | ${run.cpus} CPUs`,
    `median and p95 of calls alternating between the libraries; docs = documents read / written per call`,
    `password hashes: warden ${run.passwordHashes.warden} (${run.hashCosts.wardenEngine}); v1 ${run.passwordHashes.v1}`,
    `one hash alone, median: ${Object.entries(run.hashCosts.medianMs)
      .map(([name, median]) => `${name} ${ms(median)} ms`)
      .join(", ")}`,
    "",
    pad(flowRows[0]!, flowWidths),
    rule(flowWidths),
    ...flowRows.slice(1).map((row) => pad(row, flowWidths)),
    "",
    pad(bundleRows[0]!, bundleWidths),
    rule(bundleWidths),
    ...bundleRows.slice(1).map((row) => pad(row, bundleWidths)),
    "",
    samplesNote(flows),
  ].join("\n");
}

function measurementJson(m: Measurement | null) {
  if (m === null) return null;
  const { medianMs, p95Ms, samples } = m.total;
  return {
    medianMs,
    p95Ms,
    samples,
    documentsRead: m.documents.read,
    documentsWritten: m.documents.written,
    ...(m.hashing && { hashing: { medianMs: m.hashing.medianMs, p95Ms: m.hashing.p95Ms } }),
    ...(m.outsideHashing && {
      outsideHashing: { medianMs: m.outsideHashing.medianMs, p95Ms: m.outsideHashing.p95Ms },
    }),
  };
}

/** `{ flow: { warden, v1, ratio } }`, plus `$run` saying where the figures come from. */
export function resultsJson(flows: readonly FlowRow[], bundles: readonly BundleRow[], run: RunInfo) {
  const json: Record<string, unknown> = { $run: run };
  for (const { flow, result } of flows) {
    const { warden, v1 } = result;
    json[flow.id] = {
      warden: measurementJson(warden),
      v1: measurementJson(v1),
      ratio: ratio(warden?.total.medianMs, v1?.total.medianMs),
      ...(warden?.hashing && {
        ratioOutsideHashing: ratio(warden.outsideHashing?.medianMs, v1?.outsideHashing?.medianMs),
      }),
      ...((warden === null || v1 === null) && { note: NOT_YET }),
    };
  }
  for (const { id, sizes } of bundles) {
    json[id] = {
      warden: sizes.warden,
      v1: sizes.v1,
      ratio: ratio(sizes.warden?.gzipBytes, sizes.v1?.gzipBytes),
      ...((sizes.warden === null || sizes.v1 === null) && { note: NOT_YET }),
    };
  }
  return json;
}
