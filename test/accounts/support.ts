import type { GenericId } from "convex/values";
import { Anonymous } from "convex-warden/providers/Anonymous";
import { Password, type PasswordHasher } from "convex-warden/providers/Password";
import { convexAuth, type ConvexAuthOptions } from "convex-warden/server";
import { asTestUser, type TestUser } from "convex-warden/test";
import { api, components } from "../../example/convex/_generated/api";
import { constantTimeEqual, randomBytes, sha256, toHex, hexToBytes } from "../../src/lib/crypto";
import { exampleApp, tokensOf, type ExampleApp } from "../setup";

/**
 * A salted SHA-256 "hasher", for tests whose subject is not hashing (a spray
 * of a thousand sign-ins, many accounts): argon2id would spend minutes of CPU
 * on nothing under test. Never for real passwords.
 */
export const fastHasher: PasswordHasher = {
  async hash(password) {
    const salt = randomBytes(16);
    return `$test-sha256$${toHex(salt)}$${toHex(digest(salt, password))}`;
  },
  async verify(stored, password) {
    const [, scheme, saltHex, hashHex] = stored.split("$");
    const salt = saltHex === undefined ? null : hexToBytes(saltHex);
    const hash = hashHex === undefined ? null : hexToBytes(hashHex);
    return scheme === "test-sha256" && salt !== null && hash !== null && constantTimeEqual(hash, digest(salt, password));
  },
  needsRehash: () => false,
};

function digest(salt: Uint8Array, password: string) {
  const text = new TextEncoder().encode(password);
  const input = new Uint8Array(salt.length + text.length);
  input.set(salt);
  input.set(text, salt.length);
  return sha256(input);
}

const withDefaults = (options: Partial<ConvexAuthOptions>): ConvexAuthOptions => ({
  providers: [Password({ hasher: fastHasher }), Anonymous()],
  ...options,
});

/** The example app with a fast hasher, guests, and the test's options. */
export function accountsApp(options: Partial<ConvexAuthOptions> = {}) {
  return exampleApp(withDefaults(options));
}

/** The `auth` helpers of an app built with the same options, for the app's own functions (`t.run`). */
export const authOf = (options: Partial<ConvexAuthOptions> = {}) => convexAuth(components.warden, withDefaults(options)).auth;

export const who = (name: string) => ({ email: `${name}@example.com`, password: "correct horse battery" });

type Accessor = Pick<ExampleApp, "mutation">;

/** Signs `name` up (as whoever `as` is signed in as, by default nobody) and returns the verified user. */
export async function signUp(t: ExampleApp, name: string, as: Accessor = t, options: { link?: boolean } = {}): Promise<TestUser> {
  const params = { flow: "signUp" as const, ...who(name), ...(options.link ? { link: true } : {}) };
  const result = await as.mutation(api.auth.signIn, { provider: "password", params });
  return asTestUser(t, tokensOf(result));
}

/** Signs `name` in with their password (another device, or as whoever `as` is). */
export async function signIn(t: ExampleApp, name: string, as: Accessor = t): Promise<TestUser> {
  const result = await as.mutation(api.auth.signIn, { provider: "password", params: { flow: "signIn", ...who(name) } });
  return asTestUser(t, tokensOf(result));
}

/** A new guest. */
export async function guest(t: ExampleApp, as: Accessor = t): Promise<TestUser> {
  return asTestUser(t, tokensOf(await as.mutation(api.auth.signIn, { provider: "anonymous", params: {} })));
}

export const userDoc = (t: ExampleApp, userId: string) => t.run((ctx) => ctx.db.get(userId as GenericId<"users">));

export const refresh = (t: ExampleApp, refreshToken: string) => t.mutation(api.auth.refresh, { refreshToken });
