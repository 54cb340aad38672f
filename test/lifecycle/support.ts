import { anyApi } from "convex/server";
import { expect, vi } from "vitest";
import { Password, type PasswordHasher, type PasswordOptions } from "convex-warden/providers/Password";
import type { ConvexAuthOptions } from "convex-warden/server";
import { asTestUser, type TestUser } from "convex-warden/test";
import type { SignInResult } from "../../src/shared/results";
import { fastHasher } from "../accounts/support";
import { outbox, sendScheduled, type Outbox } from "../codes/support";
import { exampleApp, tokensOf, wardenTables, type ExampleApp } from "../setup";

/**
 * The example app with a Password provider whose messages land in an
 * outbox, for the lifecycle flows. Hashing is the fast test hasher (counted,
 * so tests can tell who paid for a hash) unless a test passes its own.
 */
export const SITE = "https://app.example.com";
export const ADA = "ada@example.com";
export const BOB = "bob@example.com";
export const PASSWORD = "correct horse battery";
export const OTHER_PASSWORD = "a different passphrase";
/** The resend cooldown, and a little: convex-test may run a transaction a millisecond ahead of the clock. */
export const COOLDOWN = 30_000 + 10;

const signInRef = anyApi.auth!.signIn!;

/** A hasher that counts its work. */
export function countingHasher(inner: PasswordHasher = fastHasher) {
  const counts = { hash: 0, verify: 0 };
  const hasher: PasswordHasher = {
    hash: (password) => (counts.hash++, inner.hash(password)),
    verify: (stored, password) => (counts.verify++, inner.verify(stored, password)),
    needsRehash: (stored) => inner.needsRehash(stored),
  };
  return { hasher, counts };
}

type Accessor = Pick<ExampleApp, "mutation">;

export interface LifecycleApp {
  t: ExampleApp;
  box: Outbox;
  counts: { hash: number; verify: number };
  /** `signIn("password", params)`, as nobody or as `as`. */
  call(params: Record<string, unknown>, as?: Accessor): Promise<SignInResult>;
  /** Runs the scheduled sends, then the code last sent to `to`. */
  codeFor(to: string): Promise<string>;
  linkFor(to: string): Promise<URL>;
  /** Signs `email` up and in, verifying it when the app verifies. */
  signUp(email?: string, password?: string): Promise<TestUser>;
  signIn(email?: string, password?: string): Promise<TestUser>;
}

/** The app, with the email option always set (the flows that need it are turned on by the test). */
export function lifecycleApp(
  options: Omit<PasswordOptions<"password">, "email"> & { email?: Partial<NonNullable<PasswordOptions["email"]>> } = {},
  auth: Partial<ConvexAuthOptions> = {},
  extraModules: Record<string, () => Promise<unknown>> = {},
): LifecycleApp & { password: ReturnType<typeof Password<"password">> } {
  const box = outbox();
  const { hasher, counts } = countingHasher(options.hasher);
  const password = Password({ ...options, hasher, email: { appName: "Acme", sender: box.email, ...options.email } });
  const t = exampleApp({ providers: [password], logLevel: "silent", ...auth }, extraModules);
  const call = async (params: Record<string, unknown>, as: Accessor = t) =>
    (await as.mutation(signInRef, { provider: "password", params })) as SignInResult;
  const app: LifecycleApp = {
    t,
    box,
    counts,
    call,
    async codeFor(to) {
      await sendScheduled(t);
      return box.codeFor(to);
    },
    async linkFor(to) {
      await sendScheduled(t);
      return box.linkFor(to);
    },
    async signUp(email = ADA, pw = PASSWORD) {
      const first = await call({ flow: "signUp", email, password: pw });
      if (first.kind === "signedIn") return asTestUser(t, first.tokens);
      expect(first.kind).toBe("codeSent");
      const code = await app.codeFor(email);
      return asTestUser(t, tokensOf(await call({ flow: "emailVerification", email, password: pw, code })));
    },
    async signIn(email = ADA, pw = PASSWORD) {
      return asTestUser(t, tokensOf(await call({ flow: "signIn", email, password: pw })));
    },
  };
  return { ...app, password };
}

/** The subjects of the emails sent to `to`, oldest first. */
export const subjectsTo = (box: Outbox, to: string) => box.emails.filter((email) => email.to === to).map((email) => email.subject);

/** The code of a failed result, or null. */
export const failureOf = (result: SignInResult) => (result.kind === "failed" ? result.error : null);

/** The types of the events kept for a user, oldest first. */
export async function eventTypes(t: ExampleApp): Promise<string[]> {
  return (await wardenTables(t)).events.map((event) => event.type);
}

/** Every password-shaped secret that must never be stored or logged. */
export function expectNoneOf(haystack: unknown, secrets: string[]) {
  const text = JSON.stringify(haystack);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

/** Moves the clock on (fake timers). */
export const later = (ms: number) => vi.advanceTimersByTime(ms);
