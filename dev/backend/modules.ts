/**
 * The function modules the local backend runs: the example app
 * (`example/convex`, which mounts the warden component) plus whatever a test
 * adds, loaded once, before the first call.
 *
 * convex-test loads a module the first time a function of it runs, inside the
 * transaction. Outside vitest's edge-runtime environment that import goes
 * through Vite's module runner, which sets a timer, and convex-test forbids
 * timers in transactions; so every module is imported up front and handed to
 * convex-test already loaded.
 */
import type { GenericSchema, SchemaDefinition } from "convex/server";
import { registerWarden } from "convex-warden/test";
/**
 * Every module of the package. Some are imported on first use (the argon2id
 * binary, the password blocklist, the code messenger): inside a transaction,
 * a first import goes through Vite's module runner, which sets timers
 * convex-test refuses there. Importing them all at start means a later
 * `import()` finds each already evaluated.
 */
const packageModules = import.meta.glob(["../../src/**/*.ts", "!../../src/**/*.d.ts", "!../../src/**/*.test.ts"]);

export type ModuleExports = Record<string, unknown>;
type Loader = () => Promise<ModuleExports>;
type Glob = Record<string, Loader>;

/** `example/convex`, keyed the way convex-test finds the app root (by `_generated`). */
const exampleGlob = import.meta.glob<ModuleExports>("../../example/convex/**/*.ts");
const EXAMPLE_PREFIX = "../../example/convex/";

/** A component to register, as `registerWarden` asks for it. */
interface Registration {
  name: string;
  schema: SchemaDefinition<GenericSchema, boolean>;
  glob: Glob;
}

/** What `registerWarden` mounts (the component and any child components), captured. */
function wardenRegistrations(): Registration[] {
  const registrations: Registration[] = [];
  const recorder = {
    registerComponent(name: string, schema: Registration["schema"], glob: Glob) {
      registrations.push({ name, schema, glob });
    },
  };
  registerWarden(recorder as unknown as Parameters<typeof registerWarden>[0]);
  return registrations;
}

// Config files run only in Convex's bundler, and a component's own tests only
// in its test runner (some components' globs include them); convex-test loads neither.
const isConfig = (path: string) => /(^|\/)convex\.config\.[jt]s$/.test(path) || /\.test\.[jt]s$/.test(path);

/** Imports every module of a glob now; the result serves each from memory. */
async function preload(glob: Glob): Promise<Glob> {
  const entries = await Promise.all(
    Object.entries(glob).map(async ([path, load]): Promise<[string, Loader]> => {
      if (isConfig(path)) return [path, load];
      const exports = await load();
      return [path, async () => exports];
    }),
  );
  return Object.fromEntries(entries);
}

/** A module path of the app (`users`, `auth.config`, `nested/module`), from a glob key. */
const modulePath = (key: string) => key.slice(EXAMPLE_PREFIX.length).replace(/\.[jt]s$/, "");

export interface LoadedModules {
  /** The app's modules for `convexTest`. */
  app: Glob;
  /** The app's modules by module path, for looking functions up. */
  byPath: Map<string, ModuleExports>;
  components: Registration[];
}

/**
 * Loads the example app and the warden component. `extra` adds or replaces
 * app modules by module path (`{ testing: { ping: queryGeneric(...) } }`).
 */
export async function loadModules(extra: Record<string, ModuleExports> = {}): Promise<LoadedModules> {
  const glob: Glob = { ...exampleGlob };
  for (const [path, exports] of Object.entries(extra)) {
    if (!/^[\w.]+(\/[\w.]+)*$/.test(path)) throw new TypeError(`local backend: bad module path "${path}"`);
    glob[`${EXAMPLE_PREFIX}${path}.ts`] = async () => exports;
  }
  const app = await preload(glob);
  const byPath = new Map<string, ModuleExports>();
  for (const [key, load] of Object.entries(app)) {
    if (!isConfig(key) && !key.includes("/_generated/")) byPath.set(modulePath(key), await load());
  }
  const components = await Promise.all(
    wardenRegistrations().map(async (r) => ({ ...r, glob: await preload(r.glob) })),
  );
  await Promise.all(Object.values(packageModules).map((load) => load()));
  return { app, byPath, components };
}
