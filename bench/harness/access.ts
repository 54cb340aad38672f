import { compareValues, jsonToConvex, type Value } from "convex/values";
import { qualified } from "./instrument";
import type { Document, FunctionRun, PointRead, RangeRead, Recording, Write } from "./recorder";

/**
 * What a recording adds up to: the counts in the table, the read and write
 * sets as shapes (tables, indexes and the fields of their keys, never the
 * values), and what two recordings have in common.
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

const key = (run: FunctionRun, id: string) => `${run.component}|${id}`;

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

function tally(items: string[]): string[] {
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

// ---- What two recordings share ----

interface Located<T> {
  component: string;
  access: T;
}

const allRanges = ({ runs }: Recording): Located<RangeRead>[] =>
  runs.flatMap((run) => run.reads.filter((r): r is RangeRead => r.kind === "range").map((access) => ({ component: run.component, access })));

const allWrites = ({ runs }: Recording): Located<Write>[] =>
  runs.flatMap((run) => run.writes.map((access) => ({ component: run.component, access })));

function documentsOf({ runs }: Recording): Map<string, string> {
  const documents = new Map<string, string>(); // component|id -> qualified table
  for (const run of runs) {
    const add = (id: string, table: string) => documents.set(key(run, id), qualified(run.component, table));
    for (const read of run.reads) {
      if (read.kind === "get") add(read.id, read.table);
      else for (const id of read.documents) add(id, read.table);
    }
    for (const write of run.writes) add(write.id, write.table);
  }
  return documents;
}

const rangeKey = ({ component, access }: Located<RangeRead>) =>
  `${qualified(component, access.table)}.${access.index}${JSON.stringify(access.conditions)}`;

function fieldValue(document: Document, path: string): Value | undefined {
  let value: unknown = document;
  for (const part of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value as Value | undefined;
}

const bound = (value: unknown): Value | undefined =>
  value !== null && typeof value === "object" && "$undefined" in value ? undefined : jsonToConvex(value as never);

/** Whether a document (in Convex JSON) falls inside an index range. */
function inRange(document: Document, range: RangeRead): boolean {
  if (!range.indexed) return true; // a table scan covers every row
  return range.conditions.every(({ field, op, value }) => {
    const order = compareValues(fieldValue(jsonToConvex(document as never) as Document, field), bound(value));
    return { eq: order === 0, gt: order > 0, gte: order >= 0, lt: order < 0, lte: order <= 0 }[op];
  });
}

export interface Shared {
  /** Tables of documents both read or wrote. */
  documents: string[];
  /** Index ranges both looked up with equal keys, as shapes. */
  ranges: string[];
  /** Writes of one inside an index range the other read ("writer → range"). */
  writesIntoRanges: string[];
}

/** Whether `b`'s writes land in `a`'s ranges, one line per pair found. */
function writesInto(a: Recording, b: Recording): string[] {
  const found: string[] = [];
  for (const range of allRanges(a)) {
    for (const { component, access: write } of allWrites(b)) {
      if (component !== range.component || write.table !== range.access.table) continue;
      const images = [write.before, write.after].filter((d): d is Document => d !== null);
      if (images.some((image) => inRange(image, range.access))) {
        found.push(`${write.op} ${qualified(component, write.table)} → ${rangeShape(range.component, range.access)}`);
      }
    }
  }
  return found;
}

/**
 * What would make two calls conflict under optimistic concurrency: a document
 * both touched, an index range both read with the same key, or a write of one
 * landing in a range the other read.
 */
export function shared(a: Recording, b: Recording): Shared {
  const docsA = documentsOf(a);
  const docsB = documentsOf(b);
  const documents = [...docsA].filter(([id]) => docsB.has(id)).map(([, table]) => table);
  const keysB = new Set(allRanges(b).map(rangeKey));
  const ranges = allRanges(a)
    .filter((range) => keysB.has(rangeKey(range)))
    .map(({ component, access }) => rangeShape(component, access));
  return {
    documents: tally(documents),
    ranges: tally(ranges),
    writesIntoRanges: tally([...writesInto(a, b), ...writesInto(b, a)]),
  };
}

export const sharesNothing = (s: Shared) =>
  s.documents.length === 0 && s.ranges.length === 0 && s.writesIntoRanges.length === 0;
