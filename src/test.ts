/**
 * convex-warden/test: run the warden component under `convex-test` and sign
 * real users in, so an app's own tests exercise its auth for real.
 *
 * ```ts
 * const t = convexTest(schema, modules);
 * register(t);
 * const ada = await signInTestUser(t, api.auth.signIn, {
 *   provider: "password",
 *   params: { flow: "signUp", email: "ada@example.com", password: "correct horse" },
 * });
 * await ada.as.query(api.users.viewer, {}); // getAuthUserId(ctx) === ada.userId
 * ```
 * The vitest config must inline this package and the components it mounts
 * (see `VITEST_INLINE_DEPS`), and set CONVEX_CLOUD_URL (tokens are issued for it).
 */
import type { DefaultFunctionArgs, FunctionReference, GenericSchema, SchemaDefinition, UserIdentity } from "convex/server";
import { createLocalJWKSet, jwtVerify, type JWTPayload } from "jose";
import type { TestConvex } from "convex-test";
import schema from "../convex/schema.js";
import { deploymentUrl } from "./lib/env.js";
import { wardenError } from "./shared/errors/index.js";
import type { SignInResult, Tokens } from "./shared/results.js";
import { TOKEN_AUDIENCE } from "./server/identity.js";
import type { SessionId, UserId } from "./server/types.js";

/** What vitest's `server.deps.inline` must list for this kit (its modules are found with `import.meta.glob`). */
export const VITEST_INLINE_DEPS = ["convex-test", "convex-warden", "@convex-dev/rate-limiter", "@convex-dev/batch-worker"];

const NOT_INLINED =
  "convex-warden/test: vitest loaded this module without transforming it. Add " +
  `test: { server: { deps: { inline: ${JSON.stringify(VITEST_INLINE_DEPS)} } } } to your vitest config.`;

function wardenModules() {
  try {
    return import.meta.glob(["../convex/**/*.{ts,js}", "!../convex/**/*.d.ts", "!../convex/**/*.test.ts"]);
  } catch {
    throw new TypeError(NOT_INLINED);
  }
}

const modules = wardenModules();

// The rate limiter's kit is TypeScript source: without inlining it fails to load, and says nothing useful.
const rateLimiter = await import("@convex-dev/rate-limiter/test").then(
  (kit) => kit.default,
  () => null,
);

// Any `convexTest` instance, whatever the app's schema.
type AnyTest = TestConvex<SchemaDefinition<GenericSchema, boolean>>;
type Accessor = ReturnType<AnyTest["withIdentity"]>;

/**
 * Mounts the warden component, and the rate limiter it mounts, in a
 * `convexTest` instance, as `app.use(warden)` does.
 */
export function register(t: AnyTest, name = "warden"): void {
  if (rateLimiter === null) throw new TypeError(NOT_INLINED);
  t.registerComponent(name, schema, modules);
  rateLimiter.register(t, `${name}/rateLimiter`);
}

/** The old name of `register`. */
export const registerWarden = register;

export type SignInReference = FunctionReference<
  "mutation",
  "public",
  { provider: string; params?: Record<string, unknown> },
  SignInResult
>;

export interface TestUser {
  userId: UserId;
  sessionId: SessionId;
  tokens: Tokens;
  /** The verified access token's claims. */
  claims: JWTPayload;
  /** Calls functions as this user, with the identity Convex derives from the token. */
  as: Accessor;
}

/** The identity Convex would derive from a verified access token. */
export function identityFromClaims(claims: JWTPayload): Partial<UserIdentity> {
  const { iss, sub, aud: _aud, iat: _iat, exp: _exp, nbf: _nbf, jti: _jti, ...custom } = claims;
  return { ...(custom as Record<string, never>), issuer: iss, subject: sub, tokenIdentifier: `${iss}|${sub}` };
}

/** Verifies an access token against the test deployment's JWKS, like Convex does. */
export async function verifyAccessToken(t: AnyTest, token: string): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, createLocalJWKSet(await t.jwks()), {
    issuer: deploymentUrl(),
    audience: TOKEN_AUDIENCE,
    algorithms: ["ES256"],
  });
  return payload;
}

/**
 * Runs the app's real `signIn` mutation, verifies the token it minted, and
 * returns the user. Throws the failure's `ConvexError` if it did not sign in.
 */
export async function signInTestUser<Args extends DefaultFunctionArgs>(
  t: AnyTest,
  signIn: FunctionReference<"mutation", "public", Args, SignInResult>,
  args: Args,
): Promise<TestUser> {
  const result = await t.mutation(signIn, args as never);
  if (result.kind === "failed") throw wardenError(result.error);
  if (result.kind !== "signedIn") throw new TypeError(`signInTestUser: the sign-in answered ${result.kind}`);
  return asTestUser(t, result.tokens);
}

/** A `TestUser` for tokens obtained some other way (e.g. after a refresh). */
export async function asTestUser(t: AnyTest, tokens: Tokens): Promise<TestUser> {
  const claims = await verifyAccessToken(t, tokens.token);
  return {
    userId: claims.sub as UserId,
    sessionId: claims.sid as SessionId,
    tokens,
    claims,
    as: t.withIdentity(identityFromClaims(claims)),
  };
}

export default { register, schema, modules };
