import { convexTest } from "convex-test";
import { componentsGeneric, httpRouter, queryGeneric, type FunctionReference, type GenericDocument } from "convex/server";
import rateLimiterTest from "@convex-dev/rate-limiter/test";
import batchWorkerTest from "@convex-dev/batch-worker/test";
import { expect } from "vitest";
import { convexAuth, type ConvexAuthOptions } from "convex-warden/server";
import { Password } from "convex-warden/providers/Password";
import wardenSchema from "../convex/schema";
import schema from "../example/convex/schema";
import type { DataModel as WardenDataModel, Doc } from "../convex/_generated/dataModel";
import type { SignInResult } from "../src/shared/results";
import type { WardenErrorCode } from "../src/shared/errors/index";

/** The example app under convex-test, exactly as `example/convex` defines it. */
const appModules = import.meta.glob("../example/convex/**/*.ts");
const wardenModules = import.meta.glob(["../convex/**/*.ts", "!../convex/**/*.test.ts"]);

type Tables = { [T in keyof WardenDataModel]: Doc<T>[] } & {
  /** The rate limiter's counters, from the component mounted inside warden. */
  rateLimits: GenericDocument[];
};

type Inspect<R> = FunctionReference<"query", "internal", Record<string, never>, R>;
const limiterInside = componentsGeneric().rateLimiter as unknown as { inspection: { tables: Inspect<GenericDocument[]> } };

// Read-only modules mounted beside the components' own in tests, so tests can
// look at what they store (e.g. that no plaintext secret is kept).
export const wardenInspection = {
  tables: queryGeneric({
    args: {},
    handler: async (ctx): Promise<Tables> => ({
      accounts: await ctx.db.query("accounts").collect(),
      sessions: await ctx.db.query("sessions").collect(),
      challenges: await ctx.db.query("challenges").collect(),
      events: await ctx.db.query("events").collect(),
      disabledUsers: await ctx.db.query("disabledUsers").collect(),
      housekeeping: await ctx.db.query("housekeeping").collect(),
      // The rate limiter mounted inside warden, asked from within warden.
      rateLimits: await ctx.runQuery(limiterInside.inspection.tables, {}),
    }),
  }),
};
export const limiterInspection = {
  tables: queryGeneric({ args: {}, handler: async (ctx) => ctx.db.query("rateLimits").collect() }),
};

/**
 * A fresh example app. `options` replaces the example's `convex/auth.ts`
 * configuration for one test (short windows, counting hashers, bad claims);
 * `extraModules` adds app modules (an `http.ts`, a test's own functions),
 * keyed as `../example/convex/<name>.ts`.
 */
export function exampleApp(options?: Partial<ConvexAuthOptions>, extraModules: Record<string, () => Promise<unknown>> = {}) {
  const modules: Record<string, () => Promise<unknown>> = { ...appModules, ...extraModules };
  if (options !== undefined) {
    const built = convexAuth(componentsGeneric().warden as never, { providers: [Password()], ...options });
    modules["../example/convex/auth.ts"] = async () => built;
    // The providers' routes, mounted as the app's `convex/http.ts` does (the example's own mounts its own auth).
    const http = "../example/convex/http.ts";
    if (!(http in extraModules)) {
      modules[http] = async () => {
        const router = httpRouter();
        built.auth.addHttpRoutes(router);
        return { default: router };
      };
    }
  }
  const t = convexTest(schema, modules);
  t.registerComponent("warden", wardenSchema, { ...wardenModules, "../convex/inspection.ts": async () => wardenInspection });
  t.registerComponent("warden/rateLimiter", rateLimiterTest.schema, {
    ...rateLimiterTest.modules,
    "./component/inspection.ts": async () => limiterInspection,
  });
  batchWorkerTest.register(t, "warden/rateLimiter/batchWorker");
  return t;
}

export type ExampleApp = ReturnType<typeof exampleApp>;

const inspect = componentsGeneric() as unknown as { warden: { inspection: { tables: Inspect<Tables> } } };

/** Everything the warden component stores, its rate limiter's counters included. */
export const wardenTables = (t: ExampleApp): Promise<Tables> => t.query(inspect.warden.inspection.tables, {});

export const ADA = { email: "ada@example.com", password: "correct horse battery" };

export const signUpParams = (who = ADA) => ({ flow: "signUp" as const, ...who });
export const signInParams = (who = ADA) => ({ flow: "signIn" as const, ...who });

/** Narrows a sign-in or refresh result to its tokens, failing the test otherwise. */
export function tokensOf(result: SignInResult) {
  if (result.kind !== "signedIn") throw new Error(`expected signedIn, got ${JSON.stringify(result)}`);
  return result.tokens;
}

/** Asserts a returned failure's code. */
export function expectFailure(result: SignInResult, code: WardenErrorCode) {
  expect(result.kind).toBe("failed");
  expect(result.kind === "failed" && result.error.code).toBe(code);
}
