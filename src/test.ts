/**
 * convex-warden/test: run the warden component under `convex-test` and sign
 * real users in, so an app's own tests exercise its auth for real.
 *
 * ```ts
 * const t = convexTest(schema, modules);
 * registerWarden(t);
 * const ada = await signInTestUser(t, api.auth.signIn, {
 *   provider: "password",
 *   params: { flow: "signUp", email: "ada@example.com", password: "correct horse" },
 * });
 * await ada.as.query(api.users.viewer, {}); // getAuthUserId(ctx) === ada.userId
 * ```
 * Add `server: { deps: { inline: ["convex-test", "convex-warden"] } }` to the
 * vitest config, and set CONVEX_CLOUD_URL there (tokens are issued for it).
 */
import type { FunctionReference, GenericSchema, SchemaDefinition, UserIdentity } from "convex/server";
import { createLocalJWKSet, jwtVerify, type JWTPayload } from "jose";
import type { TestConvex } from "convex-test";
import schema from "../convex/schema.js";
import { deploymentUrl } from "./lib/env.js";
import { wardenError } from "./shared/errors.js";
import type { SignInResult, Tokens } from "./shared/results.js";
import { TOKEN_AUDIENCE } from "./server/identity.js";

const modules = import.meta.glob([
  "../convex/**/*.{ts,js}",
  "!../convex/**/*.d.ts",
  "!../convex/**/*.test.ts",
]);

// Any `convexTest` instance, whatever the app's schema.
type AnyTest = TestConvex<SchemaDefinition<GenericSchema, boolean>>;
type Accessor = ReturnType<AnyTest["withIdentity"]>;

/** Mounts the warden component in a `convexTest` instance, as `app.use(warden)` does. */
export function registerWarden(t: AnyTest, name = "warden"): void {
  t.registerComponent(name, schema, modules);
}

export type SignInReference = FunctionReference<
  "mutation",
  "public",
  { provider: string; params?: Record<string, unknown> },
  SignInResult
>;

export interface TestUser {
  userId: string;
  sessionId: string;
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

/** Runs the app's real `signIn` mutation, verifies the token it minted, and returns the user. */
export async function signInTestUser(
  t: AnyTest,
  signIn: SignInReference,
  args: { provider: string; params?: Record<string, unknown> },
): Promise<TestUser> {
  const result = await t.mutation(signIn, args);
  if (result.kind === "failed") throw wardenError(result.error);
  return asTestUser(t, result.tokens);
}

/** A `TestUser` for tokens obtained some other way (e.g. after a refresh). */
export async function asTestUser(t: AnyTest, tokens: Tokens): Promise<TestUser> {
  const claims = await verifyAccessToken(t, tokens.token);
  return {
    userId: claims.sub!,
    sessionId: claims.sid as string,
    tokens,
    claims,
    as: t.withIdentity(identityFromClaims(claims)),
  };
}
