import { convexTest } from "convex-test";
import { componentsGeneric, queryGeneric, type FunctionReference } from "convex/server";
import { expect } from "vitest";
import { convexAuth, type ConvexAuthOptions } from "convex-warden/server";
import { Password } from "convex-warden/providers/Password";
import wardenSchema from "../convex/schema";
import schema from "../example/convex/schema";
import type { DataModel as WardenDataModel, Doc } from "../convex/_generated/dataModel";
import type { SignInResult } from "../src/shared/results";
import type { WardenErrorCode } from "../src/shared/errors";

/** The example app under convex-test, exactly as `example/convex` defines it. */
const appModules = import.meta.glob("../example/convex/**/*.ts");
const wardenModules = import.meta.glob(["../convex/**/*.ts", "!../convex/**/*.test.ts"]);

type Tables = { [T in keyof WardenDataModel]: Doc<T>[] };

// A read-only module mounted beside the component's own in tests, so tests can
// look at what the component stores (e.g. that no plaintext secret is kept).
const inspection = {
  tables: queryGeneric({
    args: {},
    handler: async (ctx): Promise<Tables> => ({
      accounts: await ctx.db.query("accounts").collect(),
      sessions: await ctx.db.query("sessions").collect(),
      rateLimits: await ctx.db.query("rateLimits").collect(),
    }),
  }),
};

/**
 * A fresh example app. `options` replaces the example's `convex/auth.ts`
 * configuration for one test (short windows, counting hashers, bad claims).
 */
export function exampleApp(options?: Partial<ConvexAuthOptions>) {
  const modules = { ...appModules };
  if (options !== undefined) {
    modules["../example/convex/auth.ts"] = async () =>
      convexAuth(componentsGeneric().warden as never, { providers: [Password()], ...options });
  }
  const t = convexTest(schema, modules);
  t.registerComponent("warden", wardenSchema, {
    ...wardenModules,
    "../convex/inspection.ts": async () => inspection,
  });
  return t;
}

export type ExampleApp = ReturnType<typeof exampleApp>;

const tablesRef = (componentsGeneric() as unknown as {
  warden: { inspection: { tables: FunctionReference<"query", "internal", Record<string, never>, Tables> } };
}).warden.inspection.tables;

/** Everything the warden component stores. */
export const wardenTables = (t: ExampleApp) => t.query(tablesRef, {});

export const ADA = { email: "ada@example.com", password: "correct horse battery" };

export const signUpParams = (who = ADA) => ({ flow: "signUp", ...who });
export const signInParams = (who = ADA) => ({ flow: "signIn", ...who });

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
