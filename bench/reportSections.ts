import type { LibraryId } from "./drivers/types";
import type { AccessCounts } from "./harness/access";
import type { Shared } from "./harness/conflicts";
import { ms, table } from "./harness/table";
import type { Controls, IsolationRow } from "./isolation";
import type { FlowRow } from "./report";
import type { SeededRun } from "./seeded";

/** The sections of the report past the headline table. */
export interface HashAlone {
  params: { memoryKiB: number; iterations: number; parallelism: number; tagBytes: number };
  runs: number;
  node: string;
  floor: string;
  results: Record<string, { medianMs: number; p95Ms: number; samples: number; ratioToFloor: number }>;
}

export function hashAloneLines(hash: HashAlone): string[] {
  const { memoryKiB, iterations, parallelism } = hash.params;
  return [
    `One password hash alone, measured first, in a fresh Node process (bench/hashAlone.mjs), ${hash.runs} runs each in turn;`,
    `argon2id at m=${memoryKiB} KiB, t=${iterations}, p=${parallelism}. The floor: ${hash.floor}, not usable in Convex's default runtime.`,
    ...table(
      ["hash", "median ms", "p95", "× floor"],
      Object.entries(hash.results).map(([name, r]) => [name, ms(r.medianMs), ms(r.p95Ms), r.ratioToFloor.toFixed(2)]),
    ),
  ];
}

export function rowsLeftLines(flows: readonly FlowRow[]): string[] {
  return flows.flatMap(({ flow, result }) => {
    const lines: string[] = [];
    for (const id of ["warden", "v1"] as const) {
      const rows = result[id]?.rowsLeftBehind;
      if (rows === undefined) continue;
      const cells = Object.entries(rows).map(([tableName, n]) => `${tableName} ${n >= 0 ? "+" : ""}${n}`);
      lines.push(`  ${id}: ${cells.join(", ")}`);
    }
    const samples = result.warden?.total.samples ?? result.v1?.total.samples ?? 0;
    return lines.length === 0 ? [] : [`Rows left behind by the ${samples} timed calls of "${flow.label}", every table:`, ...lines];
  });
}

const counts = (a: AccessCounts) => `${a.runs} ${a.documentsRead}/${a.documentsWritten} ${a.ranges}(${a.emptyRanges}) ${a.getMisses}`;

/** The counts once when every size agrees, else per size. */
function countsAcross(run: SeededRun, bySize: SeededRun["rows"][number]["bySize"], library: LibraryId): string {
  const each = run.sizes.map((size) => bySize[size]?.[library]);
  if (each.some((cell) => cell === null || cell === undefined)) return "";
  const texts = each.map((cell) => counts(cell!.access));
  return texts.every((text) => text === texts[0]) ? texts[0]! : texts.join(" → ");
}

export function seededLines(run: SeededRun): string[] {
  const sizes = run.sizes.map((size) => size.toLocaleString("en-US"));
  const header = ["seeded flow (ms)"];
  for (const [i, size] of sizes.entries()) header.push(`${size} user${run.sizes[i] === 1 ? "" : "s"}: warden`, "v1");
  header.push(`scan at ${sizes.at(-1)}: warden`, "v1", "counts warden", "counts v1");
  const last = run.sizes.at(-1)!;
  const rows = run.rows.map(({ flow, bySize }) => {
    const cells = [flow.label];
    for (const size of run.sizes) {
      for (const id of ["warden", "v1"] as const) {
        const cell = bySize[size]?.[id];
        cells.push(cell ? ms(cell.minusScan.medianMs) : "n/a");
      }
    }
    for (const id of ["warden", "v1"] as const) {
      const cell = bySize[last]?.[id];
      cells.push(cell ? ms(cell.scan.medianMs) : "");
    }
    cells.push(countsAcross(run, bySize, "warden"), countsAcross(run, bySize, "v1"));
    return cells;
  });
  const seeding = run.sizes
    .map((size) => `${size.toLocaleString("en-US")}: ${Object.entries(run.seedingSeconds[size] ?? {}).map(([id, s]) => `${id} ${s.toFixed(1)} s`).join(", ")}`)
    .join("; ");
  return [
    `Seeded: the flows again with ${sizes.join(", ")} users already there, each with an account and a live session`,
    "(copies of one real sign-up's rows, seeded in batches). Each time is the median of (call MINUS convex-test's own",
    "scan time): the mock answers an index lookup by scanning the whole table, so right after each timed call a probe",
    "query timed each of its lookups again, finding nothing, on that table at that size (scan = their sum, median shown",
    "for the largest size). What is left grows only with the library's own work. Counts (runs r/w ranges(empty) miss)",
    "are shown once when every size agrees, else per size.",
    `Seeding took ${seeding}.`,
    ...table(header, rows),
  ];
}

function sharedText(s: Shared): string {
  const parts = [
    ...s.documents.map((d) => `document in ${d}`),
    ...s.ranges.map((r) => `range ${r}`),
    ...s.writesIntoRanges.map((w) => `write into range: ${w}`),
  ];
  return parts.length === 0 ? "nothing" : parts.join("; ");
}

export function isolationLines({ pairs, controls }: { pairs: readonly IsolationRow[]; controls: readonly Controls[] }): string[] {
  const lines = ["Two users at once, each from its own client: what their two calls share (a conflict under optimistic concurrency):"];
  for (const row of pairs) {
    lines.push(`  ${row.label}${row.asserted ? "" : " (not asserted)"}:`);
    for (const id of ["warden", "v1"] as const) lines.push(`    ${id}: ${sharedText(row.result[id])}`);
  }
  lines.push("  controls, which must share something (the comparison sees conflicts):");
  for (const control of controls) {
    lines.push(`    ${control.library}, one user signing in twice: ${sharedText(control.sameUserTwice)}`);
    lines.push(`    ${control.library}, unknown email then its sign-up: ${sharedText(control.unknownThenSignUp)}`);
  }
  return lines;
}

/** Each flow's function runs, indented by depth, with their read and write sets (shapes, no values). */
export function setLines(flows: readonly FlowRow[]): string[] {
  const lines = ["Read and write sets, per flow and function run (one recorded call; keys shown by shape, never by value):"];
  for (const { flow, result } of flows) {
    lines.push(`${flow.label}`);
    for (const id of ["warden", "v1"] as const) {
      const m = result[id];
      if (m === null) continue;
      lines.push(`  ${id}:`);
      for (const run of m.runs) {
        const indent = "    " + "  ".repeat(run.depth);
        const sets = [run.reads.length > 0 ? `reads ${run.reads.join(", ")}` : "", run.writes.length > 0 ? `writes ${run.writes.join(", ")}` : ""];
        lines.push(`${indent}${run.call}${sets.filter(Boolean).map((s) => `  ${s}`).join(";")}`);
      }
    }
  }
  return lines;
}
