import { convexTest } from "convex-test";
import {
  internalMutationGeneric,
  internalQueryGeneric,
  makeFunctionReference,
  type GenericSchema,
  type SchemaDefinition,
} from "convex/server";
import { jsonToConvex, v } from "convex/values";
import { enter, type Document, type FunctionKind } from "./recorder";
import { substituter } from "./substitute";

/**
 * `convexTest` for the bench: the same instance, with two additions that
 * change no behaviour of the apps.
 *
 * - Every function the app and its components register (through
 *   `t.registerComponent`, which the libraries' test helpers call for their
 *   components and child components alike) has its handler wrapped, so
 *   `recorder.ts` sees each function run.
 * - Beside each component's modules (and the app's) sits a bench-only module,
 *   `benchDb`, that writes and reads rows directly: seeding users, copying
 *   sessions, counting what a spray left behind, probing the mock's scan cost.
 *
 * Tables are discovered from the schemas handed to `convexTest` and
 * `registerComponent`, so nothing here knows either library's tables.
 */
type Glob = Record<string, () => Promise<any>>;
type AnySchema = SchemaDefinition<GenericSchema, boolean>;

export interface ComponentTables {
  /** "" for the app, else the component path ("warden", "warden/rateLimiter"). */
  path: string;
  tables: string[];
}

/** "accounts" in the app, "warden/accounts" in a component. */
export const qualified = (component: string, table: string) => (component === "" ? table : `${component}/${table}`);

/** Rows written and read directly, by component path; outside any recording. */
export interface BenchDb {
  components(): ComponentTables[];
  insertMany(component: string, table: string, documents: Record<string, unknown>[]): Promise<string[]>;
  getMany(component: string, ids: string[]): Promise<(Document | null)[]>;
  /**
   * Inserts copies of `rows` (in order, in one mutation), once per entry of
   * `copies`: each copy's rows get that entry's substitutions (old string →
   * new), plus each earlier row's id → its copy's id. Returns, per copy, the
   * full map it ended with.
   */
  copyRows(component: string, rows: CopiedRow[], copies: [string, string][][]): Promise<[string, string][][]>;
  /** Rows in every table of every component, keyed by `qualified` name. */
  countRows(): Promise<Record<string, number>>;
  /**
   * `lookups` index lookups on `table` that find nothing, in one query: the
   * fields of `prefix` equal to their values (Convex JSON), then `field` equal
   * to a value no row holds. What convex-test spends scanning.
   */
  probe(component: string, probe: ProbeLookup, lookups: number): Promise<void>;
}

/** A row to copy: its id in the template, its table, its fields (no system fields). */
export interface CopiedRow {
  id: string;
  table: string;
  document: Record<string, unknown>;
}

/** An index lookup to time: `prefix` as recorded, then `field` equal to nothing. */
export interface ProbeLookup {
  table: string;
  index: string;
  prefix: { field: string; value: unknown }[];
  field: string;
}

/** A value no row holds: probes use it so their lookups come back empty. */
const NOTHING = "\u0000bench-probe-matches-nothing";

function benchDbModule(tables: readonly string[]) {
  return {
    insertMany: internalMutationGeneric({
      args: { table: v.string(), documents: v.array(v.any()) },
      handler: async (ctx, { table, documents }) => {
        const ids: string[] = [];
        for (const document of documents) ids.push(await ctx.db.insert(table, document));
        return ids;
      },
    }),
    copyRows: internalMutationGeneric({
      args: {
        rows: v.array(v.object({ id: v.string(), table: v.string(), document: v.any() })),
        copies: v.array(v.array(v.array(v.string()))),
      },
      handler: async (ctx, { rows, copies }) => {
        const froms = [...new Set([...rows.map((row) => row.id), ...copies.flatMap((pairs) => pairs.map(([from]) => from!))])];
        const replace = substituter(froms);
        const maps: [string, string][][] = [];
        for (const pairs of copies) {
          const to = new Map(pairs as [string, string][]);
          for (const row of rows) {
            to.set(row.id, await ctx.db.insert(row.table, replace(row.document, to) as Record<string, unknown>));
          }
          maps.push([...to]);
        }
        return maps;
      },
    }),
    getMany: internalQueryGeneric({
      args: { ids: v.array(v.string()) },
      handler: async (ctx, { ids }) => Promise.all(ids.map((id) => ctx.db.get(id as never))),
    }),
    countRows: internalQueryGeneric({
      args: {},
      handler: async (ctx) => {
        const counts: Record<string, number> = {};
        for (const table of tables) counts[table] = (await ctx.db.query(table).collect()).length;
        return counts;
      },
    }),
    // A mutation, as the flows' lookups mostly run in one: the mock checks
    // each row against the transaction's pending writes as it scans.
    probe: internalMutationGeneric({
      args: { table: v.string(), index: v.string(), prefix: v.array(v.object({ field: v.string(), value: v.any() })), field: v.string(), lookups: v.number() },
      handler: async (ctx, { table, index, prefix, field, lookups }) => {
        for (let i = 0; i < lookups; i++) {
          const found = await ctx.db
            .query(table)
            .withIndex(index, (q) => {
              let range = q as unknown as { eq(field: string, value: unknown): typeof range };
              for (const each of prefix) range = range.eq(each.field, jsonToConvex(each.value as never));
              return range.eq(field, NOTHING) as never;
            })
            .first();
          if (found !== null) throw new Error("benchDb.probe: the probe value matched a row");
        }
        return null;
      },
    }),
  };
}

/** What convex-test takes as the modules' root: the path up to `_generated`. */
function modulesRoot(glob: Glob): string {
  const generated = Object.keys(glob).find((path) => path.includes("_generated"));
  if (generated === undefined) throw new Error("benchTest: the modules have no _generated directory");
  return generated.split("_generated", 2)[0]!;
}

interface Registered {
  _handler: (...args: unknown[]) => unknown;
  isQuery?: boolean;
  isMutation?: boolean;
  isAction?: boolean;
  isHttp?: boolean;
}

function kindOf(value: unknown): FunctionKind | null {
  if (typeof value !== "function" && (typeof value !== "object" || value === null)) return null;
  const f = value as Partial<Registered>;
  if (typeof f._handler !== "function") return null;
  if (f.isQuery) return "query";
  if (f.isMutation) return "mutation";
  if (f.isAction) return "action";
  if (f.isHttp) return "http";
  return null;
}

/** The registered function with its handler run inside `enter`. */
function wrapFunction<T extends object>(func: T, kind: FunctionKind, component: string, name: string): T {
  const handler = (func as unknown as Registered)._handler;
  const wrapped = (...args: unknown[]) => enter({ kind, component, name }, () => handler(...args));
  return new Proxy(func, { get: (target, key, receiver) => (key === "_handler" ? wrapped : Reflect.get(target, key, receiver)) });
}

type Router = { isRouter: true; lookup: (...args: unknown[]) => [unknown, ...unknown[]] | null };

/** An HTTP router whose routed actions are wrapped as they are looked up. */
function wrapRouter(router: Router, component: string): Router {
  return new Proxy(router, {
    get(target, key, receiver) {
      if (key !== "lookup") return Reflect.get(target, key, receiver);
      return (...args: unknown[]) => {
        const found = target.lookup(...args);
        if (found === null) return null;
        const [func, method, path] = found as [object, string, string];
        return [wrapFunction(func, "http", component, `http ${method} ${path}`), method, path];
      };
    },
  });
}

function wrapModule(namespace: Record<string, unknown>, component: string, modulePath: string) {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(namespace)) {
    const kind = kindOf(value);
    if (kind !== null) wrapped[name] = wrapFunction(value as object, kind, component, `${modulePath}:${name}`);
    else if ((value as Partial<Router> | null)?.isRouter === true) wrapped[name] = wrapRouter(value as Router, component);
    else wrapped[name] = value;
  }
  return wrapped;
}

function instrumentGlob(glob: Glob, component: string, schema: AnySchema | undefined): Glob {
  const root = modulesRoot(glob);
  const instrumented: Glob = {};
  for (const [path, load] of Object.entries(glob)) {
    const modulePath = path.slice(root.length).replace(/\.[^.]+$/, "");
    let cached: Promise<Record<string, unknown>> | undefined;
    instrumented[path] = () => (cached ??= load().then((ns: Record<string, unknown>) => wrapModule(ns, component, modulePath)));
  }
  const tables = Object.keys(schema?.tables ?? {});
  const bench = benchDbModule(tables);
  instrumented[`${root}benchDb.ts`] = async () => bench;
  return instrumented;
}

type Caller = {
  query(ref: unknown, args: unknown): Promise<any>;
  mutation(ref: unknown, args: unknown): Promise<any>;
};

function benchDb(t: Caller, components: ComponentTables[]): BenchDb {
  // The app's functions by name; a component's by function handle.
  const ref = (component: string, name: string) =>
    component === "" ? makeFunctionReference(`benchDb:${name}`) : `function://${component};benchDb:${name}`;
  return {
    components: () => components.map((c) => ({ ...c, tables: [...c.tables] })),
    insertMany: (component, table, documents) => t.mutation(ref(component, "insertMany"), { table, documents }),
    getMany: (component, ids) => t.query(ref(component, "getMany"), { ids }),
    copyRows: (component, rows, copies) => t.mutation(ref(component, "copyRows"), { rows, copies }),
    async countRows() {
      const counts: Record<string, number> = {};
      for (const { path } of components) {
        const rows = (await t.query(ref(path, "countRows"), {})) as Record<string, number>;
        for (const [table, n] of Object.entries(rows)) counts[qualified(path, table)] = n;
      }
      return counts;
    },
    async probe(component, probe, lookups) {
      await t.mutation(ref(component, "probe"), { ...probe, lookups });
    },
  };
}

/**
 * A `convexTest` instance with instrumented modules, and its `BenchDb`.
 * Register components on the returned `t` (as `registerWarden(t)` does).
 */
export function benchTest<Schema extends GenericSchema>(schema: SchemaDefinition<Schema, boolean>, modules: Glob) {
  const components: ComponentTables[] = [{ path: "", tables: Object.keys(schema.tables) }];
  const t = convexTest(schema, instrumentGlob(modules, "", schema as AnySchema));
  const register = t.registerComponent;
  t.registerComponent = ((path: string, componentSchema: AnySchema, glob: Glob) => {
    const known = components.findIndex((c) => c.path === path);
    if (known >= 0) components.splice(known, 1);
    components.push({ path, tables: Object.keys(componentSchema.tables) });
    return register(path, componentSchema, instrumentGlob(glob, path, componentSchema));
  }) as typeof t.registerComponent;
  return { t, db: benchDb(t as unknown as Caller, components) };
}
