import { qualified } from "./benchDb";
import type { FunctionRun, PointRead, RangeRead, Recording, Write } from "./recorder";

/**
 * What a recording adds up to: the counts in the table, and the read and
 * write sets as shapes (tables, indexes and the fields of their keys, never
 * the values). What two recordings have in common is in conflicts.ts.
 */
export interface AccessCounts {
  /** Function runs: the top-level call plus each nested query, mutation, action and component call. */
  runs: number;
  /** Distinct documents read: returned by a get or a range, or read by a patch, replace or delete. */
  documentsRead: number;
  /** Distinct documents inserted, patched, replaced or deleted. */
  documentsWritten: number;
  /** Index range lookups (table scans and counts included), the empty ones too. */
  ranges: number;
  /** Of those, the ones that yielded no document. */
  emptyRanges: number;
  /** `db.get`s that found no document. */
  getMisses: number;
}

export const key = (run: FunctionRun, id: string) => `${run.component}|${id}`;

export function countAccess({ runs }: Recording): AccessCounts {
  const read = new Set<string>();
  const written = new Set<string>();
  let ranges = 0;
  let emptyRanges = 0;
  let getMisses = 0;
  for (const run of runs) {
    for (const access of run.reads) {
      if (access.kind === "range") {
        ranges++;
        if (access.documents.length === 0) emptyRanges++;
        for (const id of access.documents) read.add(key(run, id));
      } else if (access.found) read.add(key(run, access.id));
      else getMisses++;
    }
    for (const write of run.writes) {
      if (write.op !== "insert") read.add(key(run, write.id));
      written.add(key(run, write.id));
    }
  }
  return { runs: runs.length, documentsRead: read.size, documentsWritten: written.size, ranges, emptyRanges, getMisses };
}

/** `warden/accounts.providerAndAccountId[provider=?, providerAccountId=?]`; `+filter` when filtered. */
export function rangeShape(component: string, range: RangeRead): string {
  const table = qualified(component, range.table);
  if (!range.indexed) return `${table} ${range.index}${range.filtered ? " +filter" : ""}`;
  const ops = { eq: "=", gt: ">", gte: ">=", lt: "<", lte: "<=" };
  const fields = range.conditions.map((c) => `${c.field}${ops[c.op]}?`).join(", ");
  return `${table}.${range.index}[${fields}]${range.filtered ? " +filter" : ""}`;
}

const pointShape = (component: string, read: PointRead) => `${qualified(component, read.table)}.by_id[_id=?]`;

export interface RunShape {
  depth: number;
  /** "mutation auth:signIn", "query warden/accounts:get". */
  call: string;
  /** Distinct read shapes, "(empty)" or "(miss)" appended when nothing was found, ×n when repeated. */
  reads: string[];
  /** "insert warden/sessions", "delete authRefreshTokens ×1001". */
  writes: string[];
  /** This run's own counts (`runs` is 1). */
  counts: AccessCounts;
}

export function tally(items: string[]): string[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].map(([item, n]) => (n === 1 ? item : `${item} ×${n}`));
}

function depthOf(runs: readonly FunctionRun[], run: FunctionRun): number {
  let depth = 0;
  for (let parent = run.parent; parent !== null; parent = runs[parent]!.parent) depth++;
  return depth;
}

/** Each function run in call order with its read and write set, as shapes. */
export function shapes({ runs }: Recording): RunShape[] {
  return runs.map((run) => {
    const reads = run.reads.map((read) =>
      read.kind === "range"
        ? `${rangeShape(run.component, read)}${read.documents.length === 0 ? " (empty)" : ""}`
        : `${pointShape(run.component, read)}${read.found ? "" : " (miss)"}`,
    );
    const writes = run.writes.map((write) => `${write.op} ${qualified(run.component, write.table)}`);
    const name = run.component === "" ? run.name : `${run.component}/${run.name}`;
    return {
      depth: depthOf(runs, run),
      call: `${run.kind} ${name}`,
      reads: tally(reads),
      writes: tally(writes),
      counts: countAccess({ runs: [run] }),
    };
  });
}

const isUndefinedValue = (value: unknown) =>
  value === undefined || (value !== null && typeof value === "object" && "$undefined" in value);

/**
 * The recording without its reads and writes of an app-wide sharded limit's
 * rows (the rate limiter's rows whose key is undefined): which shards a call
 * touches, one or two, depends on which shards exist, chosen at random, not on
 * how many users there are. What is left must stay constant as the database
 * grows.
 */
export function withoutAppWideShards({ runs }: Recording): Recording {
  const shardRows = new Set<string>();
  const isShardRange = (run: FunctionRun, read: RangeRead | PointRead) =>
    read.kind === "range" &&
    run.component.endsWith("rateLimiter") &&
    read.table === "rateLimits" &&
    read.conditions.some((condition) => condition.field === "key" && isUndefinedValue(condition.value));
  for (const run of runs) {
    for (const read of run.reads) {
      if (read.kind === "range" && isShardRange(run, read)) read.documents.forEach((id) => shardRows.add(key(run, id)));
    }
  }
  const isShardWrite = (run: FunctionRun, write: Write) =>
    shardRows.has(key(run, write.id)) ||
    (write.op === "insert" && run.component.endsWith("rateLimiter") && write.table === "rateLimits" && isUndefinedValue(write.after?.key));
  return {
    runs: runs.map((run) => ({
      ...run,
      reads: run.reads.filter((read) => !isShardRange(run, read)),
      writes: run.writes.filter((write) => !isShardWrite(run, write)),
    })),
  };
}
