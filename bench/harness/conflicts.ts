import { compareValues, jsonToConvex, type Value } from "convex/values";
import { key, rangeShape, tally } from "./access";
import { qualified } from "./benchDb";
import type { Document, RangeRead, Recording, Write } from "./recorder";

/**
 * What two recordings have in common that would make the two calls conflict
 * under Convex's optimistic concurrency: a document both touched, an index
 * range both read with equal keys, or a write of one landing inside a range
 * the other read (checked against the document before and after the write).
 */

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
