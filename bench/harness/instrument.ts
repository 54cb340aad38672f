import { convexTest } from "convex-test";
import type { GenericSchema, SchemaDefinition } from "convex/server";
import { benchDb, benchDbModule, type ComponentTables } from "./benchDb";
import { enter, type FunctionKind } from "./recorder";

/**
 * `convexTest` for the bench: the same instance, with two additions that
 * change no behaviour of the apps.
 *
 * - Every function the app and its components register (through
 *   `t.registerComponent`, which the libraries' test helpers call for their
 *   components and child components alike) has its handler wrapped, so
 *   `recorder.ts` sees each function run.
 * - Beside each component's modules (and the app's) sits the bench-only
 *   `benchDb` module (benchDb.ts), that writes and reads rows directly.
 *
 * Tables are discovered from the schemas handed to `convexTest` and
 * `registerComponent`, so nothing here knows either library's tables.
 */
type Glob = Record<string, () => Promise<any>>;
type AnySchema = SchemaDefinition<GenericSchema, boolean>;

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
  return { t, db: benchDb(t, components) };
}
