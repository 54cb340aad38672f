import { describe, expect, test, vi } from "vitest";
import { signInTestUser } from "convex-warden/test";
import { Password, argon2idHasher, type PasswordHasher } from "convex-warden/providers/Password";
import { argon2id } from "hash-wasm";
import { api, components } from "../example/convex/_generated/api";
import { encodePhc, parsePhc } from "../src/lib/password/argon2id";
import {
  ADA,
  exampleApp,
  expectFailure,
  signInParams,
  signUpParams,
  tokensOf,
  wardenTables,
  type ExampleApp,
} from "./setup";

// Typed as any record: some tests send malformed params on purpose.
const signIn = (t: ExampleApp, params: Record<string, unknown>) =>
  t.mutation(api.auth.signIn, { provider: "password", params: params as never });

describe("password sign-up and sign-in", () => {
  test("sign-up creates the user, its account and a session", async () => {
    const t = exampleApp();
    const ada = await signInTestUser(t, api.auth.signIn, { provider: "password", params: signUpParams() });
    expect(await ada.as.query(api.users.viewer, {})).toEqual({ id: ada.userId, email: ADA.email });
    const { accounts, sessions } = await wardenTables(t);
    expect(accounts).toMatchObject([{ provider: "password", providerAccountId: ADA.email, userId: ada.userId }]);
    expect(sessions.map((s) => s._id)).toEqual([ada.sessionId]);
  });

  test("sign-in with the right password starts a new session (SES-8)", async () => {
    const t = exampleApp();
    const first = await signInTestUser(t, api.auth.signIn, { provider: "password", params: signUpParams() });
    const second = await signInTestUser(t, api.auth.signIn, { provider: "password", params: signInParams() });
    expect(second.userId).toBe(first.userId);
    expect(second.sessionId).not.toBe(first.sessionId);
  });

  test("signing in while signed in ends the session it replaces", async () => {
    const t = exampleApp();
    const first = await signInTestUser(t, api.auth.signIn, { provider: "password", params: signUpParams() });
    const again = tokensOf(await first.as.mutation(api.auth.signIn, { provider: "password", params: signInParams() }));
    expectFailure(await t.mutation(api.auth.refresh, { refreshToken: first.tokens.refreshToken }), "INVALID_REFRESH_TOKEN");
    expect((await t.mutation(api.auth.refresh, { refreshToken: again.refreshToken })).kind).toBe("signedIn");
  });

  test("a wrong password and an unknown email fail alike (EN-1)", async () => {
    const t = exampleApp();
    await signIn(t, signUpParams());
    const wrong = await signIn(t, { ...signInParams(), password: "not the password" });
    const unknown = await signIn(t, signInParams({ email: "nobody@example.com", password: ADA.password }));
    expectFailure(wrong, "INVALID_CREDENTIALS");
    expect(unknown).toEqual(wrong);
  });

  test("an unknown email still pays for a password hash (EN-1)", async () => {
    const calls: string[] = [];
    const inner = argon2idHasher();
    const counting: PasswordHasher = {
      hash(password) {
        calls.push("hash");
        return inner.hash(password);
      },
      verify(stored, password) {
        calls.push("verify");
        return inner.verify(stored, password);
      },
      needsRehash: (stored) => inner.needsRehash(stored),
    };
    const t = exampleApp({ providers: [Password({ hasher: counting })] });
    expectFailure(await signIn(t, signInParams({ email: "nobody@example.com", password: "whatever1" })), "INVALID_CREDENTIALS");
    expect(calls).toEqual(["hash"]);
  });

  test("emails are trimmed and lower-cased: one address, one account", async () => {
    const t = exampleApp();
    await signIn(t, signUpParams({ email: "  Ada@Example.COM ", password: ADA.password }));
    expect((await signIn(t, signInParams())).kind).toBe("signedIn");
    // Returned, not thrown, so the attempt counts against the sign-up limits.
    expectFailure(await signIn(t, signUpParams({ email: "ADA@example.com", password: "another password" })), "ACCOUNT_EXISTS");
    // No user was created for the refused sign-up.
    expect((await wardenTables(t)).accounts).toHaveLength(1);
    expect(await t.run((ctx) => ctx.db.query("users").collect())).toHaveLength(1);
  });

  test("composed and decomposed spellings of one address are one account (NFC)", async () => {
    const t = exampleApp();
    await signIn(t, signUpParams({ email: "jos\u00e9@example.com", password: ADA.password }));
    expectFailure(await signIn(t, signUpParams({ email: "jose\u0301@example.com", password: "another password" })), "ACCOUNT_EXISTS");
    expect((await signIn(t, signInParams({ email: "JOSE\u0301@example.com", password: ADA.password }))).kind).toBe("signedIn");
    expect((await wardenTables(t)).accounts).toHaveLength(1);
  });

  test("invisible characters and oversized input are INVALID_EMAIL", async () => {
    const t = exampleApp();
    for (const email of ["ada\u200b@example.com", "ada@exam\u202eple.com", "ada\u0000@example.com", `${"a".repeat(10_000)}@example.com`]) {
      expectFailure(await signIn(t, signUpParams({ email, password: ADA.password })), "INVALID_EMAIL");
    }
    // Past a megabyte the param itself is refused, naming it.
    await expect(signIn(t, signUpParams({ email: `${"a".repeat(1 << 20)}@example.com`, password: ADA.password }))).rejects.toMatchObject({
      data: { code: "INVALID_ARGUMENT", field: "email" },
    });
    expect((await wardenTables(t)).accounts).toEqual([]);
  });

  test("a malformed email is INVALID_EMAIL and writes nothing", async () => {
    const t = exampleApp();
    expectFailure(await signIn(t, signUpParams({ email: "not-an-email", password: ADA.password })), "INVALID_EMAIL");
    expect((await wardenTables(t)).accounts).toEqual([]);
    expect(await t.run((ctx) => ctx.db.query("users").collect())).toEqual([]);
  });

  test("malformed params and unknown providers throw typed errors", async () => {
    const t = exampleApp();
    await expect(signIn(t, { flow: "signIn", email: ADA.email })).rejects.toMatchObject({
      data: { code: "INVALID_ARGUMENT" },
    });
    // An unknown id is a type error in the app; a client sending one anyway gets a typed error.
    await expect(t.mutation(api.auth.signIn, { provider: "nope", params: signInParams() } as never)).rejects.toMatchObject({
      data: { code: "PROVIDER_NOT_FOUND" },
    });
  });
});

describe("password storage and policy", () => {
  test("new hashes are argon2id PHC strings at OWASP parameters with a 128-bit salt (PW-1)", async () => {
    const t = exampleApp();
    await signIn(t, signUpParams());
    const [account] = (await wardenTables(t)).accounts;
    expect(account!.secret).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=1\$/);
    const phc = parsePhc(account!.secret!)!;
    expect(phc.memoryKiB).toBeGreaterThanOrEqual(19456);
    expect(phc.iterations).toBeGreaterThanOrEqual(2);
    expect(phc.parallelism).toBe(1);
    expect(phc.salt.length).toBeGreaterThanOrEqual(16);
    expect(account!.secret).not.toContain(ADA.password);
  });

  test("a hash with weaker parameters is upgraded on the next sign-in", async () => {
    const t = exampleApp();
    await signIn(t, signUpParams());
    const [account] = (await wardenTables(t)).accounts;
    const weak = parsePhc(account!.secret!)!;
    // The same password hashed at t=1, below today's t=2, as an older version might have stored it.
    const hash = await argon2id({
      password: ADA.password, salt: weak.salt, iterations: 1, memorySize: 19456, parallelism: 1, hashLength: 32, outputType: "binary",
    });
    const stale = encodePhc({ ...weak, iterations: 1, hash });
    await t.run((ctx) =>
      ctx.runMutation(components.warden.accounts.setSecret, { accountId: account!._id, secret: stale }),
    );
    expect((await signIn(t, signInParams())).kind).toBe("signedIn");
    const upgraded = parsePhc((await wardenTables(t)).accounts[0]!.secret!)!;
    expect(upgraded.iterations).toBe(2);
    expect((await signIn(t, signInParams())).kind).toBe("signedIn");
  });

  test("the minimum length counts code points, default 8 (PW-3)", async () => {
    const t = exampleApp();
    // Seven emoji: fourteen UTF-16 units, seven code points.
    const seven = "😀".repeat(7);
    const result = await signIn(t, signUpParams({ email: ADA.email, password: seven }));
    expectFailure(result, "PASSWORD_REJECTED");
    expect(result).toMatchObject({ kind: "failed", error: { code: "PASSWORD_REJECTED", reason: "too_short" } });
    expect((await signIn(t, signUpParams({ email: ADA.email, password: "😀".repeat(8) }))).kind).toBe("signedIn");
  });

  test("the minimum length is configurable", async () => {
    const t = exampleApp({ providers: [Password({ minLength: 15 })] });
    expectFailure(await signIn(t, signUpParams({ email: ADA.email, password: "fourteen chars" })), "PASSWORD_REJECTED");
    expect((await signIn(t, signUpParams({ email: ADA.email, password: "fifteen chars!!" }))).kind).toBe("signedIn");
  });

  test("long passwords are accepted and not truncated; the cap is 1024 bytes (PW-4, PW-6)", async () => {
    const t = exampleApp();
    const long = "a quite long passphrase ".repeat(8); // 192 characters
    await signIn(t, signUpParams({ email: ADA.email, password: long }));
    expect((await signIn(t, signInParams({ email: ADA.email, password: long }))).kind).toBe("signedIn");
    expectFailure(await signIn(t, signInParams({ email: ADA.email, password: long.slice(0, 72) })), "INVALID_CREDENTIALS");
    const tooLong = await signIn(t, signUpParams({ email: "bob@example.com", password: "x".repeat(1025) }));
    expectFailure(tooLong, "PASSWORD_REJECTED");
    expect(tooLong).toMatchObject({ kind: "failed", error: { code: "PASSWORD_REJECTED", reason: "too_long" } });
  });

  test("the byte cap applies to the raw input, before normalization (PW-4)", async () => {
    const t = exampleApp({ rateLimits: { failedSignIns: { max: 2 } } });
    await signIn(t, signUpParams());
    // U+FDFA is 3 bytes and NFKC-expands to 18 characters: 1 MiB of it would be 6 MiB normalized.
    const huge = "\uFDFA".repeat(1 << 20);
    const normalize = vi.spyOn(String.prototype, "normalize");
    try {
      const rejected = await signIn(t, signUpParams({ email: "bob@example.com", password: huge }));
      expect(rejected.kind === "failed" && rejected.error).toMatchObject({ code: "PASSWORD_REJECTED", reason: "too_long" });
      // At sign-in it is a counted failure, not an error: the limiter still sees it.
      expectFailure(await signIn(t, signInParams({ email: ADA.email, password: huge })), "INVALID_CREDENTIALS");
      expectFailure(await signIn(t, signInParams({ email: ADA.email, password: huge })), "INVALID_CREDENTIALS");
      expectFailure(await signIn(t, signInParams()), "RATE_LIMITED");
      const normalizedHuge = normalize.mock.contexts.filter((text) => String(text).length > 10_000);
      expect(normalizedHuge).toEqual([]);
    } finally {
      normalize.mockRestore();
    }
  });

  test("a password under the cap whose normalized form is over it is refused too", async () => {
    const t = exampleApp();
    const expands = "\uFDFA".repeat(300); // 900 bytes typed, about 10 kB after NFKC
    const rejected = await signIn(t, signUpParams({ email: ADA.email, password: expands }));
    expect(rejected.kind === "failed" && rejected.error).toMatchObject({ code: "PASSWORD_REJECTED", reason: "too_long" });
  });

  test("no composition rules (PW-5)", async () => {
    const t = exampleApp();
    expect((await signIn(t, signUpParams({ email: ADA.email, password: "aaaaaaaa" }))).kind).toBe("signedIn");
  });

  test("passwords are NFKC-normalized the same way at set and verify time (PW-6)", async () => {
    const t = exampleApp();
    // U+FB01 (the "fi" ligature) is NFKC-equivalent to "fi".
    await signIn(t, signUpParams({ email: ADA.email, password: "\uFB01\uFB01\uFB01\uFB01 password" }));
    const plain = await signIn(t, signInParams({ email: ADA.email, password: "fifififi password" }));
    expect(plain.kind).toBe("signedIn");
  });
});
