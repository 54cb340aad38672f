// @vitest-environment node
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createLocalJWKSet, decodeJwt, jwtVerify } from "jose";
import { identityFromClaims } from "convex-warden/test";
import { parseV1ScryptHash } from "../../src/lib/password/v1Scrypt";
import { parsePhc } from "../../src/lib/password/argon2id";
import { startGitHub, type GitHubUser } from "../oauth/support/github";
import { expectFailure, tokensOf } from "../setup";
import { api, components, internal } from "./v1app/convex/_generated/api";
import {
  CONVEX_SITE_URL,
  migrationApp,
  setUpV1Environment,
  v1Accounts,
  v1GitHubSignIn,
  v1SignUp,
  wardenAccounts,
  wardenSessions,
  wardenSignIn,
  type MigrationApp,
} from "./support";

// Accounts are made by @convex-dev/auth 0.0.95 itself: password sign-ups
// through its `signIn` action (lucia's scrypt, as v1 hashes by default) and a
// GitHub sign-in through its action and HTTP routes against a GitHub on
// loopback. Then the importer runs, and users sign in through convex-warden.

const OCTOCAT: GitHubUser = {
  id: 583231,
  login: "octocat",
  name: "The Octocat",
  avatar_url: "https://avatars.example/583231",
  email: null,
  emails: [{ email: "octocat@example.com", primary: true, verified: true, visibility: "public" }],
};

const ADA = { email: "ada@example.com", password: "correct horse battery" };
/** v1 kept emails as typed: this one is stored with its capitals. */
const GRACE = { email: "Grace.Hopper@Example.COM", password: "cobol forever 1959" };

let github: Awaited<ReturnType<typeof startGitHub>>;
let jwks: Awaited<ReturnType<typeof setUpV1Environment>>["jwks"];
beforeAll(async () => {
  github = await startGitHub([OCTOCAT]);
  ({ jwks } = await setUpV1Environment(github.url));
});
afterAll(() => github.close());

const importAll = (t: MigrationApp, args: { cursor?: string | null; batchSize?: number; maxBatches?: number } = {}) =>
  t.action(internal.authImport.importAll, args);

const v1AccountOf = async (t: MigrationApp, provider: string, providerAccountId: string) => {
  const row = (await v1Accounts(t)).find((a) => a.provider === provider && a.providerAccountId === providerAccountId);
  if (row === undefined) throw new Error(`no v1 account ${provider}`);
  return row;
};

const wardenAccountOf = async (t: MigrationApp, provider: string, providerAccountId: string) =>
  (await wardenAccounts(t)).find((a) => a.provider === provider && a.providerAccountId === providerAccountId);

describe("a v1 app's users, imported, sign in through convex-warden", () => {
  test("with their original passwords, and each stored hash becomes argon2id (PW-2)", async () => {
    const t = migrationApp();
    await v1SignUp(t, ADA.email, ADA.password);
    await v1SignUp(t, GRACE.email, GRACE.password);
    const v1Ada = await v1AccountOf(t, "password", ADA.email);
    const v1Grace = await v1AccountOf(t, "password", GRACE.email);
    // Before the import convex-warden knows nobody.
    expectFailure(await wardenSignIn(t, ADA.email, ADA.password), "INVALID_CREDENTIALS");

    const report = await importAll(t);
    expect(report).toMatchObject({ imported: 2, alreadyPresent: 0, excluded: 0, unimportedCount: 0, done: true });

    for (const [who, v1Row] of [[ADA, v1Ada], [GRACE, v1Grace]] as const) {
      const key = who.email.toLowerCase();
      const imported = await wardenAccountOf(t, "password", key);
      // Imported as v1 stored it: its scrypt hash, its user.
      expect(imported?.userId).toBe(v1Row.userId);
      expect(imported?.secret).toBe(v1Row.secret);
      expect(parseV1ScryptHash(imported!.secret!)).not.toBeNull();

      // A wrong password is refused, and leaves the v1 hash in place.
      expectFailure(await wardenSignIn(t, who.email, `${who.password}!`), "INVALID_CREDENTIALS");
      expect((await wardenAccountOf(t, "password", key))?.secret).toBe(v1Row.secret);

      const tokens = tokensOf(await wardenSignIn(t, who.email, who.password));
      expect(decodeJwt(tokens.token).sub).toBe(v1Row.userId);
      const upgraded = (await wardenAccountOf(t, "password", key))!.secret!;
      expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(parsePhc(upgraded)).not.toBeNull();

      // The next sign-in verifies the argon2id hash and writes nothing new.
      tokensOf(await wardenSignIn(t, who.email, who.password));
      expect((await wardenAccountOf(t, "password", key))?.secret).toBe(upgraded);
    }
  });

  test("a v1 email stored with capitals signs in as typed, or in any case; a v1 twin differing only in case is reported", async () => {
    const t = migrationApp();
    await v1SignUp(t, GRACE.email, GRACE.password);
    // v1 matched emails exactly, so another user could sign up with the same address in other capitals.
    await v1SignUp(t, "GRACE.HOPPER@example.com", "another person's password");
    const first = await v1AccountOf(t, "password", GRACE.email);
    const twin = await v1AccountOf(t, "password", "GRACE.HOPPER@example.com");
    expect(twin.userId).not.toBe(first.userId);

    const report = await importAll(t);
    expect(report).toMatchObject({ imported: 1, unimportedCount: 1, done: true });
    expect(report.unimported).toEqual([{ v1AccountId: twin._id, provider: "password", reason: "identifierTaken" }]);
    // The normalized address belongs to the older account.
    expect(await wardenAccounts(t)).toEqual([
      expect.objectContaining({ provider: "password", providerAccountId: "grace.hopper@example.com", userId: first.userId }),
    ]);

    for (const typed of [GRACE.email, "grace.hopper@example.com", "  GRACE.hopper@EXAMPLE.com "]) {
      const tokens = tokensOf(await wardenSignIn(t, typed, GRACE.password));
      expect(decodeJwt(tokens.token).sub).toBe(first.userId);
    }
    expectFailure(await wardenSignIn(t, "GRACE.HOPPER@example.com", "another person's password"), "INVALID_CREDENTIALS");
  });

  test("an address v1 took but convex-warden does not accept as an email is reported, not imported", async () => {
    const t = migrationApp();
    await v1SignUp(t, "grace at navy", GRACE.password); // v1's Password takes any string as the email
    const row = await v1AccountOf(t, "password", "grace at navy");
    const report = await importAll(t);
    expect(report).toMatchObject({ imported: 0, unimportedCount: 1, done: true });
    expect(report.unimported).toEqual([{ v1AccountId: row._id, provider: "password", reason: "invalidEmail" }]);
    expect(await wardenAccounts(t)).toEqual([]);
  });

  test("an account whose user is gone is reported, not imported", async () => {
    const t = migrationApp();
    await v1SignUp(t, ADA.email, ADA.password);
    const row = await v1AccountOf(t, "password", ADA.email);
    await t.run((ctx) => ctx.db.delete(row.userId));
    const report = await importAll(t);
    expect(report.unimported).toEqual([{ v1AccountId: row._id, provider: "password", reason: "userMissing" }]);
    expect(await wardenAccounts(t)).toEqual([]);
  });

  test("a GitHub account keeps its (provider, subject) and its user, whose fields stay as v1 wrote them", async () => {
    const t = migrationApp();
    const v1Tokens = await v1GitHubSignIn(t);
    expect(github.requests.map((r) => `${r.method} ${r.path}`)).toContain("POST /login/oauth/access_token");
    const row = await v1AccountOf(t, "github", String(OCTOCAT.id));
    expect(decodeJwt(v1Tokens.token).sub?.split("|")[0]).toBe(row.userId);
    const user = await t.run((ctx) => ctx.db.get(row.userId));
    expect(user).toMatchObject({ name: "The Octocat", email: "octocat@example.com", image: OCTOCAT.avatar_url });

    const report = await importAll(t);
    expect(report).toMatchObject({ imported: 1, unimportedCount: 0, done: true });
    expect(await wardenAccounts(t)).toEqual([
      expect.objectContaining({ provider: "github", providerAccountId: "583231", userId: row.userId }),
    ]);
    // What an OAuth provider looks up on a returning user's callback.
    const found = await t.run((ctx) =>
      ctx.runQuery(components.warden.accounts.get, { provider: "github", providerAccountId: "583231" }),
    );
    expect(found?.userId).toBe(row.userId);
    expect(found?.secret).toBeUndefined();
    expect(await t.run((ctx) => ctx.db.get(row.userId))).toEqual(user);
  });
});

describe("the importer runs in bounded batches", () => {
  /** Five v1 password users. */
  async function fiveUsers(t: MigrationApp) {
    const emails = ["a", "b", "c", "d", "e"].map((name) => `${name}@example.com`);
    for (const email of emails) await v1SignUp(t, email, `${email} password`);
    return emails;
  }

  test("a run stopped after one batch resumes from its cursor and imports each account once", async () => {
    const t = migrationApp();
    const emails = await fiveUsers(t);
    const first = await importAll(t, { batchSize: 2, maxBatches: 1 });
    expect(first).toMatchObject({ imported: 2, alreadyPresent: 0, done: false });
    expect(await wardenAccounts(t)).toHaveLength(2);

    const rest = await importAll(t, { batchSize: 2, cursor: first.cursor });
    expect(rest).toMatchObject({ imported: 3, alreadyPresent: 0, done: true });
    const keys = (await wardenAccounts(t)).map((a) => a.providerAccountId).sort();
    expect(keys).toEqual(emails);
    for (const email of emails) tokensOf(await wardenSignIn(t, email, `${email} password`));
  });

  test("a batch whose report was lost runs again from the same cursor and imports nothing twice", async () => {
    const t = migrationApp();
    await fiveUsers(t);
    const first = await t.mutation(internal.authImport.importBatch, { batchSize: 3 });
    expect(first).toMatchObject({ imported: 3, done: false });
    // The caller never saw `first.cursor`: it starts again from where it last knew.
    const again = await t.mutation(internal.authImport.importBatch, { batchSize: 3, cursor: null });
    expect(again).toMatchObject({ imported: 0, alreadyPresent: 3, cursor: first.cursor, done: false });
    const last = await t.mutation(internal.authImport.importBatch, { batchSize: 3, cursor: again.cursor });
    expect(last).toMatchObject({ imported: 2, alreadyPresent: 0, done: true });
    expect(await wardenAccounts(t)).toHaveLength(5);
  });

  test("a second full run imports nothing and changes nothing", async () => {
    const t = migrationApp();
    await fiveUsers(t);
    await v1GitHubSignIn(t);
    expect(await importAll(t, { batchSize: 4 })).toMatchObject({ imported: 6, done: true });
    const before = await wardenAccounts(t);
    expect(await importAll(t, { batchSize: 4 })).toMatchObject({ imported: 0, alreadyPresent: 6, unimportedCount: 0, done: true });
    expect(await wardenAccounts(t)).toEqual(before);
  });

  test("with no time budget left, each call runs one batch and says where the next starts", async () => {
    const t = migrationApp();
    await fiveUsers(t);
    let cursor: string | null = null;
    let calls = 0;
    for (let done = false; !done; calls++) {
      const report: { cursor: string; done: boolean } = await t.action(internal.authImportByBudget.importAll, { batchSize: 2, cursor });
      ({ cursor, done } = report);
    }
    expect(calls).toBe(3);
    expect(await wardenAccounts(t)).toHaveLength(5);
  });

  test("a batch of the largest size stays within Convex's transaction limits: two queries and three documents an account", async () => {
    const t = migrationApp({ databaseQueries: 2 * 1000 + 10, documentsRead: 3 * 1000 + 10 });
    // 1000 accounts written the way v1's createAccount writes them (a user, then its account);
    // signing each up through v1 would cost 1000 scrypt hashes.
    await t.run(async (ctx) => {
      for (let i = 0; i < 1000; i++) {
        const email = `user${i}@example.com`;
        const userId = await ctx.db.insert("users", { email });
        await ctx.db.insert("authAccounts", { userId, provider: "password", providerAccountId: email, secret: `${"0".repeat(32)}:${"0".repeat(128)}` });
      }
    });
    const report = await t.mutation(internal.authImport.importBatch, { batchSize: 1000 });
    expect(report).toMatchObject({ imported: 1000, done: true });
    // Run again, each account is also read back from convex-warden: the most a batch reads.
    expect(await t.mutation(internal.authImport.importBatch, { batchSize: 1000 })).toMatchObject({ alreadyPresent: 1000 });
    await expect(t.mutation(internal.authImport.importBatch, { batchSize: 1001 })).rejects.toThrow(/batchSize/);
    await expect(t.mutation(internal.authImport.importBatch, { batchSize: 0 })).rejects.toThrow(/batchSize/);
  });
});

describe("live v1 sessions", () => {
  test("a v1 refresh token is refused by convex-warden's refresh with a typed code, and starts no session", async () => {
    const t = migrationApp();
    const v1 = await v1SignUp(t, ADA.email, ADA.password);
    await importAll(t);
    expectFailure(await t.mutation(api.wardenAuth.refresh, { refreshToken: v1.refreshToken }), "INVALID_REFRESH_TOKEN");
    expect(await wardenSessions(t)).toEqual([]);
    // Signing out with it ends nothing, and throws nothing.
    await t.mutation(api.wardenAuth.signOut, { refreshToken: v1.refreshToken });
    // v1's own session is untouched: convex-warden never writes v1's tables.
    expect(await t.run((ctx) => ctx.db.query("authSessions").collect())).toHaveLength(1);
  });

  test("a v1 access token names the same user convex-warden signs in, but only v1's helper reads it", async () => {
    const t = migrationApp();
    const v1 = await v1SignUp(t, ADA.email, ADA.password);
    await importAll(t);
    // Convex accepts the v1 token while auth.config.ts keeps v1's entry (issuer CONVEX_SITE_URL, RS256).
    const { payload } = await jwtVerify(v1.token, createLocalJWKSet(jwks as never), {
      issuer: CONVEX_SITE_URL,
      audience: "convex",
      algorithms: ["RS256"],
    });
    const asV1 = await t.withIdentity(identityFromClaims(payload)).query(api.users.viewer, {});
    const warden = tokensOf(await wardenSignIn(t, ADA.email, ADA.password));
    const asWarden = await t.withIdentity(identityFromClaims(decodeJwt(warden.token))).query(api.users.viewer, {});
    expect(asV1.warden).toBeNull(); // not a token this deployment's convex-warden minted
    expect(asV1.v1).toBe(asWarden.warden);
    expect(asWarden).toEqual({ warden: decodeJwt(warden.token).sub, v1: decodeJwt(warden.token).sub });
  });
});
