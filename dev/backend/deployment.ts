/**
 * The deployment: the example app and the warden component inside one
 * `convexTest` instance, holding the data (in memory), the signing key behind
 * `ctx.auth.signJwt` and the scheduled functions. The servers in front of it
 * can stop and start again without touching it.
 */
import { convexTest } from "convex-test";
import type { AuthConfig, GenericSchema, SchemaDefinition, UserIdentity } from "convex/server";
import exampleSchema from "../../example/convex/schema";
import { publicFunction, type FunctionKind } from "./functions.js";
import { loadModules, type ModuleExports } from "./modules.js";
import { callArgs, failure, success, type FunctionOutcome, type Timestamp } from "./values.js";

/** Who is calling: what functions see through `ctx.auth` and `ctx.meta.getRequestMetadata()`. */
export interface Caller {
  /** The identity derived from a verified token; null when the call carries none. */
  identity: Partial<UserIdentity> | null;
  ip: string | null;
  userAgent: string | null;
}

export const NOBODY: Caller = { identity: null, ip: null, userAgent: null };

export interface DeploymentOptions {
  /** The app's schema. Default `example/convex/schema.ts`. */
  schema?: SchemaDefinition<GenericSchema, boolean>;
  /**
   * App modules to add or replace, by module path: `{ testing: { ping } }` is
   * `convex/testing.ts` and `api.testing.ping`; `http` holds HTTP routes.
   * Default none: the example app as it is.
   */
  modules?: Record<string, ModuleExports>;
}

export interface QueryRequest {
  udfPath: string;
  args: unknown;
}

export type Deployment = Awaited<ReturnType<typeof createDeployment>>;

/** Loads the modules and creates the in-memory deployment. Call after CONVEX_CLOUD_URL is set. */
export async function createDeployment(options: DeploymentOptions = {}) {
  const modules = await loadModules(options.modules);
  const t = convexTest(options.schema ?? exampleSchema, modules.app);
  for (const { name, schema, glob } of modules.components) t.registerComponent(name, schema, glob);

  const as = ({ identity, ip, userAgent }: Caller) =>
    (identity ? t.withIdentity(identity) : t).withRequestMetadata({ ip, userAgent });

  /** Runs one public function as `caller`; failures (and unknown functions) are outcomes. */
  async function call(kind: FunctionKind, udfPath: unknown, args: unknown, caller: Caller): Promise<FunctionOutcome> {
    try {
      const ref = publicFunction(modules.byPath, kind, udfPath);
      const accessor = as(caller);
      const parsed = callArgs(args);
      const run = { query: accessor.query, mutation: accessor.mutation, action: accessor.action }[kind] as (
        ref: unknown,
        args: unknown,
      ) => Promise<unknown>;
      return success(await run(ref, parsed));
    } catch (error) {
      return failure(error);
    }
  }

  /**
   * Runs queries in one read transaction, so their results and the returned
   * timestamp describe one snapshot of the database.
   */
  async function queryAll(queries: QueryRequest[], caller: Caller) {
    const outcomes: FunctionOutcome[] = [];
    const ts = await as(caller).query(async (ctx) => {
      for (const { udfPath, args } of queries) {
        try {
          const ref = publicFunction(modules.byPath, "query", udfPath);
          outcomes.push(success(await ctx.runQuery(ref, callArgs(args))));
        } catch (error) {
          outcomes.push(failure(error));
        }
      }
      return ctx.meta.getSnapshotTs();
    });
    return { ts: ts as Timestamp, outcomes };
  }

  /** The latest commit's timestamp (0 before the first). Writes by anyone advance it. */
  const snapshotTs = async (): Promise<Timestamp> => t.query(async (ctx) => ctx.meta.getSnapshotTs());

  /** Runs the app's HTTP action for a request, as `caller`. */
  async function httpAction(path: string, init: RequestInit, caller: Caller): Promise<Response> {
    if (!modules.byPath.has("http")) return new Response("No HTTP routes are defined (convex/http.ts)", { status: 404 });
    try {
      return await as(caller).fetch(path, init);
    } catch (error) {
      const outcome = failure(error);
      return new Response(outcome.success ? "" : outcome.errorMessage, { status: 500 });
    }
  }

  const authConfig = (): AuthConfig =>
    (modules.byPath.get("auth.config")?.default as AuthConfig | undefined) ?? { providers: [] };

  return {
    call,
    queryAll,
    snapshotTs,
    httpAction,
    authConfig,
    jwks: () => t.jwks(),
    /** The `convexTest` instance itself, for tests that seed or inspect data (`t.run`). */
    t,
  };
}
