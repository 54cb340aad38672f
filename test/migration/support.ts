import { convexTest } from "convex-test";
import { componentsGeneric, queryGeneric, type FunctionReference } from "convex/server";
import rateLimiterTest from "@convex-dev/rate-limiter/test";
import batchWorkerTest from "@convex-dev/batch-worker/test";
import { exportJWK, exportPKCS8, generateKeyPair } from "jose";
import wardenSchema from "../../convex/schema";
import type { Doc } from "../../convex/_generated/dataModel";
import { GITHUB_CLIENT } from "../oauth/support/github";
import { api } from "./v1app/convex/_generated/api";
import schema from "./v1app/convex/schema";

/**
 * The app of `v1app/convex` under convex-test, with Convex's transaction
 * limits enforced: @convex-dev/auth 0.0.95 signs users up through its own
 * functions, the warden component is mounted beside it, and the importer
 * moves the accounts across.
 */
const appModules = import.meta.glob("./v1app/convex/**/*.ts");
const wardenModules = import.meta.glob(["../../convex/**/*.ts", "!../../convex/**/*.test.ts"]);

export const CONVEX_SITE_URL = "https://warden-example.convex.site";

declare const process: { env: Record<string, string | undefined> };

/**
 * What v1 reads from the deployment's environment, as its setup docs have
 * it: an RS256 key pair (the private key in PKCS#8 with spaces for newlines,
 * the public one as a JWKS), the site URLs and the GitHub app's credentials.
 */
export async function setUpV1Environment(githubUrl: string) {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  process.env.JWT_PRIVATE_KEY = (await exportPKCS8(privateKey)).trimEnd().replace(/\n/g, " ");
  process.env.JWKS = JSON.stringify({ keys: [{ use: "sig", ...(await exportJWK(publicKey)) }] });
  process.env.SITE_URL = "http://localhost:5173";
  process.env.CONVEX_SITE_URL = CONVEX_SITE_URL;
  process.env.AUTH_GITHUB_ID = GITHUB_CLIENT.id;
  process.env.AUTH_GITHUB_SECRET = GITHUB_CLIENT.secret;
  process.env.AUTH_LOG_LEVEL = "ERROR";
  process.env.TEST_GITHUB_URL = githubUrl;
  return { jwks: JSON.parse(process.env.JWKS) as { keys: JsonWebKey[] } };
}

type Inspect<R> = FunctionReference<"query", "internal", Record<string, never>, R>;
const wardenInspection = {
  accounts: queryGeneric({ args: {}, handler: (ctx) => ctx.db.query("accounts").collect() }),
  sessions: queryGeneric({ args: {}, handler: (ctx) => ctx.db.query("sessions").collect() }),
};
const inspect = componentsGeneric() as unknown as {
  warden: { inspection: { accounts: Inspect<Doc<"accounts">[]>; sessions: Inspect<Doc<"sessions">[]> } };
};

/** `limits` tightens Convex's own per-transaction limits, which are enforced either way. */
export function migrationApp(limits: Partial<Record<"databaseQueries" | "documentsRead" | "documentsWritten", number>> = {}) {
  const t = convexTest({ schema, modules: appModules, transactionLimits: limits });
  t.registerComponent("warden", wardenSchema, { ...wardenModules, "../../convex/inspection.ts": async () => wardenInspection });
  t.registerComponent("warden/rateLimiter", rateLimiterTest.schema, rateLimiterTest.modules);
  batchWorkerTest.register(t, "warden/rateLimiter/batchWorker");
  return t;
}

export type MigrationApp = ReturnType<typeof migrationApp>;

/** Every account convex-warden stores. */
export const wardenAccounts = (t: MigrationApp) => t.query(inspect.warden.inspection.accounts, {});
export const wardenSessions = (t: MigrationApp) => t.query(inspect.warden.inspection.sessions, {});

/** v1's `authAccounts` rows. */
export const v1Accounts = (t: MigrationApp) => t.run((ctx) => ctx.db.query("authAccounts").collect());

interface V1Tokens {
  token: string;
  refreshToken: string;
}

function v1Tokens(result: { tokens?: V1Tokens | null }): V1Tokens {
  if (!result.tokens) throw new Error("v1 signIn returned no tokens");
  return result.tokens;
}

/** A password sign-up through v1's own `signIn` action, as its React client calls it. */
export async function v1SignUp(t: MigrationApp, email: string, password: string) {
  return v1Tokens(await t.action(api.auth.signIn, { provider: "password", params: { flow: "signUp", email, password } }));
}

function location(response: Response): URL {
  const target = response.headers.get("Location");
  if (response.status !== 302 || target === null) throw new Error(`expected a redirect, got ${response.status}`);
  return new URL(target);
}

/**
 * A GitHub sign-in through v1's own action and HTTP routes, the browser's
 * part played here: to the deployment's sign-in route, to the loopback
 * GitHub's authorize endpoint, back to v1's callback with the PKCE cookie,
 * and the code handed to `signIn` with the verifier.
 */
export async function v1GitHubSignIn(t: MigrationApp) {
  const started = await t.action(api.auth.signIn, { provider: "github" });
  if (started.verifier === undefined) throw new Error("v1 GitHub sign-in did not start");
  const toGitHub = await t.fetch(`/api/auth/signin/github?code=${started.verifier}`);
  const cookie = toGitHub.headers
    .getSetCookie()
    .map((header) => header.split(";")[0])
    .join("; ");
  const back = location(await fetch(location(toGitHub), { redirect: "manual" }));
  if (back.origin !== CONVEX_SITE_URL) throw new Error(`GitHub sent the browser to ${back.origin}`);
  const toApp = await t.fetch(`${back.pathname}${back.search}`, { headers: { Cookie: cookie } });
  const code = location(toApp).searchParams.get("code");
  if (code === null) throw new Error("v1's GitHub callback gave no code");
  return v1Tokens(await t.action(api.auth.signIn, { params: { code }, verifier: started.verifier }));
}

/** A password sign-in through convex-warden's `signIn` mutation. */
export const wardenSignIn = (t: MigrationApp, email: string, password: string) =>
  t.mutation(api.wardenAuth.signIn, { provider: "password", params: { flow: "signIn", email, password } });
