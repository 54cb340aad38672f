import type { BenchDb, CopiedRow } from "./benchDb";
import type { Recording } from "./recorder";
import { mentions, substitute } from "./substitute";

/**
 * Copies of what a library really wrote: run a flow once for real (a sign-up,
 * a sign-in and N refreshes), take the rows it inserted that belong to it, and
 * insert them again any number of times with fresh ids and, where asked, a new
 * email. Each copy is row for row what the library would have written, without
 * paying for the password hash or the N refreshes again. Nothing here knows
 * either library's tables: the rows are found from the recording, and which
 * rows belong to the flow from the strings that name it (an email, a token).
 */
export interface Template {
  /** The rows, by component, each in creation order; components in the order their ids are needed. */
  groups: { component: string; rows: CopiedRow[] }[];
}

interface Candidate extends CopiedRow {
  component: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The candidate ids each string value of `value` names. */
function idsIn(value: unknown, regex: RegExp | null, into: Set<string>) {
  if (regex === null) return;
  const visit = (v: unknown) => {
    if (typeof v === "string") for (const match of v.matchAll(regex)) into.add(match[0]);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(visit);
  };
  visit(value);
}

/** Every row the recordings inserted that still exists, read back without its system fields. */
async function insertedRows(db: BenchDb, recordings: readonly Recording[]): Promise<Candidate[]> {
  const inserted = recordings.flatMap(({ runs }) =>
    runs.flatMap((run) => run.writes.filter((w) => w.op === "insert").map((w) => ({ component: run.component, table: w.table, id: w.id }))),
  );
  const rows: Candidate[] = [];
  for (const component of new Set(inserted.map((row) => row.component))) {
    const mine = inserted.filter((row) => row.component === component);
    const documents = await db.getMany(component, mine.map((row) => row.id));
    mine.forEach((row, i) => {
      const found = documents[i];
      if (found === null || found === undefined) return; // deleted since
      const { _id, _creationTime, ...document } = found;
      rows.push({ ...row, document });
    });
  }
  return rows;
}

/** Components ordered so that each one's rows only name ids of rows copied before them. */
function componentOrder(rows: readonly Candidate[], names: Map<string, Set<string>>): string[] {
  const componentOf = new Map(rows.map((row) => [row.id, row.component]));
  const needs = new Map<string, Set<string>>();
  for (const row of rows) {
    const set = needs.get(row.component) ?? new Set<string>();
    for (const id of names.get(row.id)!) if (componentOf.get(id) !== row.component) set.add(componentOf.get(id)!);
    needs.set(row.component, set);
  }
  const order: string[] = [];
  while (order.length < needs.size) {
    const next = [...needs].find(([c, deps]) => !order.includes(c) && [...deps].every((d) => order.includes(d)));
    if (next === undefined) throw new Error("copies: the template's components name each other's rows in a cycle");
    order.push(next[0]);
  }
  return order;
}

/**
 * The rows `recordings` inserted that still exist and belong to what `roots`
 * name: a row whose id a root contains (the session id in a refresh token) or
 * that contains a root (an email), and every row that names one of those.
 */
export async function templateOf(db: BenchDb, recordings: readonly Recording[], roots: readonly string[]): Promise<Template> {
  const rows = await insertedRows(db, recordings);
  const regex = rows.length === 0 ? null : new RegExp(`(?<![A-Za-z0-9])(?:${rows.map((r) => escape(r.id)).join("|")})(?![A-Za-z0-9])`, "g");
  const names = new Map(rows.map((row) => [row.id, new Set<string>()]));
  for (const row of rows) idsIn(row.document, regex, names.get(row.id)!);
  const selected = new Set<string>();
  idsIn(roots, regex, selected);
  for (const row of rows) if (roots.some((root) => mentions(row.document, root))) selected.add(row.id);
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of rows) {
      if (selected.has(row.id) || ![...names.get(row.id)!].some((id) => selected.has(id))) continue;
      selected.add(row.id);
      grew = true;
    }
  }
  const kept = rows.filter((row) => selected.has(row.id));
  const position = new Map(kept.map((row, i) => [row.id, i]));
  for (const row of kept) {
    for (const id of names.get(row.id)!) {
      const named = kept[position.get(id) ?? -1];
      if (named?.component === row.component && position.get(id)! > position.get(row.id)!) {
        throw new Error("copies: a template row names a row created after it");
      }
    }
  }
  const groups = componentOrder(kept, names).map((component) => ({
    component,
    rows: kept.filter((row) => row.component === component).map(({ id, table, document }) => ({ id, table, document })),
  }));
  return { groups };
}

/** Rows per copying mutation, at most: the seeding writes in bounded batches. */
const MAX_ROWS_PER_CALL = 1000;

/**
 * Inserts `count` copies of `template`; `replacements(i)` gives copy i's own
 * (e.g. the template's email → a new one). Returns each copy's map: every
 * template id and replaced string → the copy's.
 */
export async function copyTemplate(
  db: BenchDb,
  template: Template,
  count: number,
  replacements: (i: number) => Map<string, string> = () => new Map(),
): Promise<Map<string, string>[]> {
  const widest = Math.max(1, ...template.groups.map((group) => group.rows.length));
  const perCall = Math.max(1, Math.floor(MAX_ROWS_PER_CALL / widest));
  const maps: Map<string, string>[] = [];
  for (let start = 0; start < count; start += perCall) {
    let batch = Array.from({ length: Math.min(perCall, count - start) }, (_, i) => [...replacements(start + i)]);
    for (const { component, rows } of template.groups) batch = await db.copyRows(component, rows, batch);
    maps.push(...batch.map((pairs) => new Map(pairs)));
  }
  return maps;
}

/** A string of the template (a token, a claim) as it reads for one copy. */
export const asCopy = <T>(value: T, map: ReadonlyMap<string, string>): T => substitute(value, map) as T;
