import { internalMutationGeneric, internalQueryGeneric, makeFunctionReference } from "convex/server";
import { jsonToConvex, v } from "convex/values";
import type { Document } from "./recorder";
import { substituter } from "./substitute";

/**
 * The bench's own module, mounted beside each component's modules and the
 * app's by `instrument.ts`, and its client: rows written and read directly,
 * outside any recording, for seeding users, copying sessions, counting what a
 * spray left behind and probing the mock's scan cost. Mounted by the bench
 * only; neither library knows it is there.
 */
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

export function benchDbModule(tables: readonly string[]) {
  return {
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
      args: {
        table: v.string(),
        index: v.string(),
        // `value` absent: the recorded key was `undefined` (e.g. an app-wide limit's key).
        prefix: v.array(v.object({ field: v.string(), value: v.optional(v.any()) })),
        field: v.string(),
        lookups: v.number(),
      },
      handler: async (ctx, { table, index, prefix, field, lookups }) => {
        for (let i = 0; i < lookups; i++) {
          const found = await ctx.db
            .query(table)
            .withIndex(index, (q) => {
              let range = q as unknown as { eq(field: string, value: unknown): typeof range };
              for (const each of prefix) {
                range = range.eq(each.field, each.value === undefined ? undefined : jsonToConvex(each.value as never));
              }
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

type Caller = {
  query(ref: unknown, args: unknown): Promise<any>;
  mutation(ref: unknown, args: unknown): Promise<any>;
};

export function benchDb(test: unknown, components: ComponentTables[]): BenchDb {
  const t = test as Caller;
  // The app's functions by name; a component's by function handle.
  const ref = (component: string, name: string) =>
    component === "" ? makeFunctionReference(`benchDb:${name}`) : `function://${component};benchDb:${name}`;
  return {
    components: () => components.map((c) => ({ ...c, tables: [...c.tables] })),
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
      // Convex JSON spells `undefined` as { $undefined: null }, which no argument may carry.
      const isUndefined = (value: unknown) => value !== null && typeof value === "object" && "$undefined" in value;
      const prefix = probe.prefix.map(({ field, value }) => (isUndefined(value) ? { field } : { field, value }));
      await t.mutation(ref(component, "probe"), { ...probe, prefix, lookups });
    },
  };
}

