/**
 * Counts the documents one call reads and writes, across every transaction it
 * runs: the function itself, its component calls and, for an action, each
 * mutation it runs.
 *
 * How: Convex functions reach the database only through the runtime's
 * syscalls. `convex-test` installs them once as `globalThis.Convex`, an object
 * whose getters return the current test's implementation. While counting we
 * put a wrapper object in its place that forwards every syscall and looks at
 * the database ones on the way back:
 *
 * - read: a document returned by `1.0/get`, `1.0/queryStreamNext` (one per
 *   document a query yields) or `1.0/queryPage`, and the document a
 *   `1.0/shallowMerge` (patch), `1.0/replace` or `1.0/remove` acts on, which
 *   Convex also reads;
 * - written: a document created by `1.0/insert` or changed by patch, replace
 *   or remove.
 *
 * Documents are counted once each, keyed by component and id, as Convex
 * commits a document written twice in one transaction once. The wrapper adds
 * work, so counting runs on an untimed call, never on a timed sample.
 */
export interface DocumentCounts {
  read: number;
  written: number;
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

interface Doc {
  _id: string;
}

const docIds = (value: unknown): string[] =>
  value !== null && typeof value === "object" && "_id" in value
    ? [String((value as Doc)._id)]
    : [];

/** The documents a database syscall read and wrote; null for other syscalls. */
function touched(op: string, args: Record<string, unknown>, result: unknown) {
  switch (op) {
    case "1.0/get":
      return { read: docIds(result), written: [] };
    case "1.0/queryStreamNext":
      return { read: docIds((result as { value: unknown }).value), written: [] };
    case "1.0/queryPage":
      return { read: (result as { page: unknown[] }).page.flatMap(docIds), written: [] };
    case "1.0/insert":
      return { read: [], written: docIds(result) };
    case "1.0/shallowMerge":
    case "1.0/replace":
    case "1.0/remove":
      return { read: [String(args.id)], written: [String(args.id)] };
    default:
      return null;
  }
}

/** Runs `work` with database syscalls counted; restores the syscalls after. */
export async function countDocuments(work: () => Promise<unknown>): Promise<DocumentCounts> {
  const host = globalThis as Host;
  const original = host.Convex;
  if (original === undefined) {
    throw new Error("countDocuments: create a convexTest instance first");
  }
  const read = new Set<string>();
  const written = new Set<string>();
  const componentOf = async () => {
    const metadata = await original.asyncSyscall("1.0/getFunctionMetadata", "{}");
    return (JSON.parse(metadata) as { componentPath: string }).componentPath;
  };
  const asyncSyscall: AsyncSyscall = async (op, jsonArgs) => {
    const result = await original.asyncSyscall(op, jsonArgs);
    const ids = touched(op, JSON.parse(jsonArgs) as Record<string, unknown>, JSON.parse(result));
    if (ids !== null) {
      const component = await componentOf();
      for (const id of ids.read) read.add(`${component}/${id}`);
      for (const id of ids.written) written.add(`${component}/${id}`);
    }
    return result;
  };
  host.Convex = {
    // Each call goes through the original getters, so it still reaches the
    // implementation of whichever test is running.
    syscall: (op, jsonArgs) => original.syscall(op, jsonArgs),
    asyncSyscall,
    jsSyscall: (op, args) => original.jsSyscall(op, args),
  };
  try {
    await work();
  } finally {
    host.Convex = original;
  }
  return { read: read.size, written: written.size };
}
