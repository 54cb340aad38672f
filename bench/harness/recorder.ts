import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Records what one call does to the database, function run by function run:
 * every index range it looks up (the empty ones too), every point read, every
 * write, and which function did each. This is the read and write set Convex's
 * optimistic concurrency checks: two transactions conflict when one writes
 * what the other read, and an index range read conflicts with any write that
 * lands inside it, whether or not the range returned a document.
 *
 * How:
 * - Function runs: `instrument.ts` wraps the handler of every function the
 *   apps and their components register, so each run (the top-level call, each
 *   `runQuery`/`runMutation`/`runAction`, each component call) enters `enter`
 *   and gets a frame in an AsyncLocalStorage; whatever it does is attributed
 *   to that frame, its parent being the frame it was called from.
 * - Database work: Convex functions reach the database only through the
 *   runtime's syscalls, which `convex-test` installs as `globalThis.Convex`.
 *   While recording, a wrapper object stands in its place, forwards every
 *   syscall and looks at the database ones: `1.0/queryStream` (sync) opens an
 *   index range or table scan and `1.0/queryStreamNext` yields its documents,
 *   `1.0/queryPage` reads a page, `1.0/count` a whole table, `1.0/get` is a
 *   point read, `1.0/insert`, `1.0/shallowMerge` (patch), `1.0/replace` and
 *   `1.0/remove` write.
 * - A write's document before and after it is read through the unwrapped
 *   syscalls, so a later check can tell whether it lands in another call's
 *   index range.
 *
 * Recording adds work, so it runs on untimed calls only.
 */

/** One condition of an index range: `field op value`, the value as Convex JSON. */
export interface RangeCondition {
  field: string;
  op: "eq" | "gt" | "gte" | "lt" | "lte";
  value: unknown;
}

/** An index range lookup, a table scan or a count. */
export interface RangeRead {
  kind: "range";
  table: string;
  /** The index name, "by_creation_time" for a plain `query(table)`, "(count)" for a count. */
  index: string;
  /** False for a scan of the whole table (no index). */
  indexed: boolean;
  conditions: RangeCondition[];
  /** A `.filter()` after the range: the range is still what is read. */
  filtered: boolean;
  /** Ids of the documents it yielded. */
  documents: string[];
}

/** A `db.get`: the id and whether a document was there. */
export interface PointRead {
  kind: "get";
  table: string;
  id: string;
  found: boolean;
}

export type Document = Record<string, unknown> & { _id: string };

export interface Write {
  op: "insert" | "patch" | "replace" | "delete";
  table: string;
  id: string;
  /** The document before the write (null for an insert) and after it (null for a delete). */
  before: Document | null;
  after: Document | null;
}

export type FunctionKind = "query" | "mutation" | "action" | "http";

/** One function run: a transaction of its own, or part of its caller's. */
export interface FunctionRun {
  index: number;
  /** Index of the run that called this one; null for a call from the bench. */
  parent: number | null;
  kind: FunctionKind;
  /** The component path: "" for the app, "warden", "warden/rateLimiter", … */
  component: string;
  /** `module:export`, e.g. "auth:signIn". */
  name: string;
  reads: (RangeRead | PointRead)[];
  writes: Write[];
}

export interface Recording {
  runs: FunctionRun[];
}

export interface FunctionInfo {
  kind: FunctionKind;
  component: string;
  name: string;
}

type Syscall = (op: string, jsonArgs: string) => string;
type AsyncSyscall = (op: string, jsonArgs: string) => Promise<string>;
type JsSyscall = (op: string, args: Record<string, unknown>) => Promise<unknown>;

interface ConvexSyscalls {
  readonly syscall: Syscall;
  readonly asyncSyscall: AsyncSyscall;
  readonly jsSyscall: JsSyscall;
}

type Host = { Convex?: ConvexSyscalls };

const frames = new AsyncLocalStorage<FunctionRun>();
let active: Recording | null = null;

/** Runs one function's handler in a frame of its own while a recording is on. */
export function enter<T>(info: FunctionInfo, handler: () => T): T {
  if (active === null) return handler();
  const parent = frames.getStore();
  const run: FunctionRun = {
    index: active.runs.length,
    parent: parent?.index ?? null,
    ...info,
    reads: [],
    writes: [],
  };
  active.runs.push(run);
  return frames.run(run, handler);
}

/** convex-test's ids are a counter followed by the table name. */
export const tableOfId = (id: string) => id.replace(/^[0-9]+/, "");

const OPS: Record<string, RangeCondition["op"]> = { Eq: "eq", Gt: "gt", Gte: "gte", Lt: "lt", Lte: "lte" };

interface QuerySource {
  type: "FullTableScan" | "IndexRange" | "Search";
  tableName?: string;
  indexName?: string;
  range?: { type: string; fieldPath: string; value: unknown }[];
}

function rangeOf(query: { source: QuerySource; operators?: object[] }): RangeRead {
  const { source } = query;
  const filtered = (query.operators ?? []).some((operator) => "filter" in operator);
  if (source.type === "FullTableScan") {
    return { kind: "range", table: source.tableName!, index: "(table scan)", indexed: false, conditions: [], filtered, documents: [] };
  }
  const [table, index] = source.indexName!.split(".") as [string, string];
  const conditions = (source.range ?? []).map((c) => ({ field: c.fieldPath, op: OPS[c.type] ?? "eq", value: c.value }));
  return { kind: "range", table, index, indexed: source.type === "IndexRange", conditions, filtered, documents: [] };
}

const idOf = (value: unknown): string | null =>
  value !== null && typeof value === "object" && "_id" in value ? String((value as Document)._id) : null;

/** Wraps the syscalls for one recording; `own` is where a syscall outside any frame goes. */
function recordingSyscalls(original: ConvexSyscalls, own: () => FunctionRun): ConvexSyscalls {
  const streams = new Map<string, RangeRead>();
  const current = () => frames.getStore() ?? own();
  const streamKey = (run: FunctionRun, queryId: unknown) => `${run.component}:${String(queryId)}`;
  const readDocument = async (id: string): Promise<Document | null> =>
    JSON.parse(await original.asyncSyscall("1.0/get", JSON.stringify({ id, isSystem: false }))) as Document | null;

  const syscall: Syscall = (op, jsonArgs) => {
    const result = original.syscall(op, jsonArgs);
    if (op === "1.0/queryStream") {
      const run = current();
      const range = rangeOf((JSON.parse(jsonArgs) as { query: Parameters<typeof rangeOf>[0] }).query);
      run.reads.push(range);
      streams.set(streamKey(run, (JSON.parse(result) as { queryId: unknown }).queryId), range);
    }
    return result;
  };

  const asyncSyscall: AsyncSyscall = async (op, jsonArgs) => {
    const args = JSON.parse(jsonArgs) as Record<string, unknown>;
    const run = current();
    const writeOp = { "1.0/shallowMerge": "patch", "1.0/replace": "replace", "1.0/remove": "delete" }[op] as
      | Write["op"]
      | undefined;
    const before = writeOp === undefined ? null : await readDocument(String(args.id));
    const result = await original.asyncSyscall(op, jsonArgs);
    const value = JSON.parse(result) as unknown;
    switch (op) {
      case "1.0/queryStreamNext": {
        const id = idOf((value as { value: unknown }).value);
        if (id !== null) streams.get(streamKey(run, args.queryId))?.documents.push(id);
        break;
      }
      case "1.0/queryPage": {
        const range = rangeOf(args.query as Parameters<typeof rangeOf>[0]);
        range.documents = (value as { page: unknown[] }).page.map(idOf).filter((id) => id !== null);
        run.reads.push(range);
        break;
      }
      case "1.0/count": {
        const table = String(args.table);
        run.reads.push({ kind: "range", table, index: "(count)", indexed: false, conditions: [], filtered: false, documents: [] });
        break;
      }
      case "1.0/get": {
        const id = String(args.id);
        run.reads.push({ kind: "get", table: tableOfId(id), id, found: value !== null });
        break;
      }
      case "1.0/insert": {
        const id = String((value as { _id: string })._id);
        run.writes.push({ op: "insert", table: String(args.table), id, before: null, after: await readDocument(id) });
        break;
      }
      default:
        if (writeOp !== undefined) {
          const id = String(args.id);
          const after = writeOp === "delete" ? null : await readDocument(id);
          run.writes.push({ op: writeOp, table: tableOfId(id), id, before, after });
        }
    }
    return result;
  };

  return {
    // Each call goes through the original getters, so it still reaches the
    // implementation of whichever convex-test instance is running.
    syscall,
    asyncSyscall,
    jsSyscall: (op, args) => original.jsSyscall(op, args),
  };
}

/** Runs `work` with every function run and database access recorded. */
export async function record(work: () => Promise<unknown>): Promise<Recording> {
  const host = globalThis as Host;
  const original = host.Convex;
  if (original === undefined) throw new Error("record: create a convexTest instance first");
  if (active !== null) throw new Error("record: recordings do not nest");
  const recording: Recording = { runs: [] };
  // Database work outside any wrapped function (an inline `t.run`) still counts.
  let outside: FunctionRun | null = null;
  const own = () => {
    if (outside === null) {
      outside = { index: recording.runs.length, parent: null, kind: "mutation", component: "", name: "(inline)", reads: [], writes: [] };
      recording.runs.push(outside);
    }
    return outside;
  };
  active = recording;
  host.Convex = recordingSyscalls(original, own);
  try {
    await work();
  } finally {
    host.Convex = original;
    active = null;
  }
  return recording;
}
