import { expect, test } from "vitest";
import { v } from "convex/values";
import { ConvexCredentials } from "convex-warden/providers/ConvexCredentials";
import { Password } from "convex-warden/providers/Password";
import { api } from "../../example/convex/_generated/api";
import { expectFailure, wardenTables } from "../setup";
import { accountsApp, authOf, fastHasher, signIn, signUp, userDoc, who } from "./support";

/** A PIN provider as an app would write it: accounts keyed by username, PINs stored hashed. */
const pin = () =>
  ConvexCredentials({
    id: "pin",
    params: v.object({ username: v.string(), pin: v.string() }),
    identifier: ({ username }) => username.trim().toLowerCase(),
    hasher: fastHasher,
    authorize: async ({ pin }, { identifier, accounts }) => {
      const found = await accounts.retrieve({ id: identifier, secret: pin });
      return found && { userId: found.account.userId };
    },
  });

const pinSignIn = (t: ReturnType<typeof accountsApp>, username: string, code: string) =>
  t.mutation(api.auth.signIn, { provider: "pin" as never, params: { username, pin: code } as never });

test("custom credentials sign in through the app's authorize, with a real token", async () => {
  const options = { providers: [pin()] };
  const t = accountsApp(options);
  const auth = authOf(options);
  const created = await t.run((ctx) =>
    auth.createAccount(ctx, { provider: "pin", account: { id: "ada", secret: "4821" }, profile: { name: "Ada" } }),
  );
  const result = await pinSignIn(t, " ADA ", "4821");
  expect(result.kind).toBe("signedIn");
  expect(await userDoc(t, created.account.userId)).toMatchObject({ name: "Ada" });
  // The PIN is stored hashed, never as typed.
  const { accounts } = await wardenTables(t);
  expect(accounts[0]!.secret).not.toContain("4821");
  expectFailure(await pinSignIn(t, "ada", "0000"), "INVALID_CREDENTIALS");
  expectFailure(await pinSignIn(t, "nobody", "4821"), "INVALID_CREDENTIALS");
});

test("custom credentials are rate-limited like passwords, per identifier (RL-1)", async () => {
  const options = { providers: [pin()], rateLimits: { failedSignIns: { max: 3, windowMs: 60_000 } } };
  const t = accountsApp(options);
  const auth = authOf(options);
  await t.run((ctx) => auth.createAccount(ctx, { provider: "pin", account: { id: "ada", secret: "4821" }, profile: {} }));
  for (let i = 0; i < 3; i++) expectFailure(await pinSignIn(t, "ada", `000${i}`), "INVALID_CREDENTIALS");
  expectFailure(await pinSignIn(t, "ada", "4821"), "RATE_LIMITED");
  // Another identifier is unaffected.
  expectFailure(await pinSignIn(t, "bob", "1111"), "INVALID_CREDENTIALS");
  // The owner's events show the failures and the lockout.
  const types = (await wardenTables(t)).events.map((event) => event.type);
  expect(types.filter((type) => type === "signInFailed")).toHaveLength(3);
  expect(types).toContain("lockout");
});

test("v1's helpers: createAccount refuses a taken id, retrieveAccount checks the secret, modifyAccountCredentials replaces it", async () => {
  const options = { providers: [pin()] };
  const t = accountsApp(options);
  const auth = authOf(options);
  const account = { id: "ada", secret: "4821" };
  await t.run((ctx) => auth.createAccount(ctx, { provider: "pin", account, profile: {} }));
  await expect(t.run((ctx) => auth.createAccount(ctx, { provider: "pin", account, profile: {} }))).rejects.toMatchObject({
    data: { code: "ACCOUNT_EXISTS" },
  });
  expect(await t.run((ctx) => auth.retrieveAccount(ctx, { provider: "pin", account: { id: "ada", secret: "0000" } }))).toBeNull();
  const found = await t.run((ctx) => auth.retrieveAccount(ctx, { provider: "pin", account }));
  expect(found?.account).toMatchObject({ provider: "pin", providerAccountId: "ada" });
  await t.run((ctx) => auth.modifyAccountCredentials(ctx, { provider: "pin", account: { id: "ada", secret: "9999" } }));
  expectFailure(await pinSignIn(t, "ada", "4821"), "INVALID_CREDENTIALS");
  expect((await pinSignIn(t, "ada", "9999")).kind).toBe("signedIn");
  expect((await wardenTables(t)).events.map((event) => event.type)).toContain("credentialsChanged");
  await expect(
    t.run((ctx) => auth.modifyAccountCredentials(ctx, { provider: "pin", account: { id: "nobody", secret: "1" } })),
  ).rejects.toMatchObject({ data: { code: "ACCOUNT_NOT_FOUND" } });
});

test("signInViaProvider runs a provider's step from the app's own mutation, counting failures, starting no session", async () => {
  const t = accountsApp();
  const auth = authOf();
  const ada = await signUp(t, "ada");
  const sessionsBefore = (await wardenTables(t)).sessions.length;
  const right = await t.run((ctx) => auth.signInViaProvider(ctx, "password", { flow: "signIn", ...who("ada") }));
  expect(right).toEqual({ kind: "authorized", userId: ada.userId });
  const wrong = await t.run((ctx) => auth.signInViaProvider(ctx, "password", { flow: "signIn", ...who("ada"), password: "nope nope" }));
  expect(wrong).toMatchObject({ kind: "failed", error: { code: "INVALID_CREDENTIALS" } });
  expect((await wardenTables(t)).sessions.length).toBe(sessionsBefore);
  expect((await wardenTables(t)).rateLimits.filter((row) => row.name === "failedSignIns")).toHaveLength(1);
});

test("Password can key accounts by username: normalized and unique", async () => {
  const t = accountsApp({ providers: [Password({ identifier: "username", hasher: fastHasher })] });
  const signInAs = (flow: "signUp" | "signIn", username: string) =>
    t.mutation(api.auth.signIn, { provider: "password", params: { flow, username, password: "correct horse battery" } as never });
  const result = await signInAs("signUp", "  Ada.Lovelace ");
  expect(result.kind).toBe("signedIn");
  expect((await wardenTables(t)).accounts).toMatchObject([{ provider: "password", providerAccountId: "ada.lovelace" }]);
  const users = await t.run((ctx) => ctx.db.query("users").collect());
  expect(users).toMatchObject([{ name: "ada.lovelace" }]);
  // Full-width letters fold to the same name (NFKC): one name, one account.
  expectFailure(await signInAs("signUp", "ＡＤＡ.lovelace"), "ACCOUNT_EXISTS");
  expect((await signInAs("signIn", "ADA.LOVELACE")).kind).toBe("signedIn");
  for (const bad of ["ab", "a".repeat(33), "ada lovelace", "аda", "_ada", "ada@example"]) {
    expectFailure(await signInAs("signUp", bad), "INVALID_USERNAME");
  }
});

test("linking: a signed-in user who signs up with another identifier and link: true gains an account, not a new user", async () => {
  const t = accountsApp();
  const ada = await signUp(t, "ada");
  const linked = await signUp(t, "ada.work", ada.as, { link: true });
  expect(linked.userId).toBe(ada.userId);
  expect(await userDoc(t, ada.userId)).toMatchObject({ email: "ada@example.com" });
  expect(await linked.as.query(api.auth.listAccounts, {})).toEqual([
    { provider: "password", providerAccountId: "ada@example.com" },
    { provider: "password", providerAccountId: "ada.work@example.com" },
  ]);
  expect((await wardenTables(t)).events.map((event) => event.type)).toContain("accountLinked");
});

test("without link: true, a sign-up while signed in makes a new user: linking is never implicit", async () => {
  const t = accountsApp();
  const ada = await signUp(t, "ada");
  const other = await signUp(t, "someone.else", ada.as);
  expect(other.userId).not.toBe(ada.userId);
  // The sign-up replaced the session on this client (SES-8); Ada's user kept its one account.
  const again = await signIn(t, "ada");
  expect(await again.as.query(api.auth.listAccounts, {})).toEqual([{ provider: "password", providerAccountId: "ada@example.com" }]);
});

test("a token that outlived its session links nothing: the new account gets a user of its own", async () => {
  const t = accountsApp();
  const ada = await signUp(t, "ada");
  await ada.as.mutation(api.auth.signOut, {});
  const other = await signUp(t, "mallory", ada.as, { link: true });
  expect(other.userId).not.toBe(ada.userId);
  expect(await t.run((ctx) => ctx.db.query("users").collect())).toHaveLength(2);
});

test("unlinking removes one sign-in method, never the last (LAST_ACCOUNT), never another user's", async () => {
  const t = accountsApp();
  const ada = await signUp(t, "ada");
  const linked = await signUp(t, "ada.work", ada.as, { link: true });
  const bob = await signUp(t, "bob");
  await expect(
    bob.as.mutation(api.auth.unlinkAccount, { provider: "password", providerAccountId: "ada@example.com" }),
  ).rejects.toMatchObject({ data: { code: "ACCOUNT_NOT_FOUND" } });
  await linked.as.mutation(api.auth.unlinkAccount, { provider: "password", providerAccountId: "ada@example.com" });
  expectFailure(
    await t.mutation(api.auth.signIn, { provider: "password", params: { flow: "signIn", ...who("ada") } }),
    "INVALID_CREDENTIALS",
  );
  await expect(
    linked.as.mutation(api.auth.unlinkAccount, { provider: "password", providerAccountId: "ada.work@example.com" }),
  ).rejects.toMatchObject({ data: { code: "LAST_ACCOUNT" } });
  expect(await linked.as.query(api.auth.listAccounts, {})).toEqual([
    { provider: "password", providerAccountId: "ada.work@example.com" },
  ]);
});
