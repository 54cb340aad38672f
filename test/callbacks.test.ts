import { expect, test } from "vitest";
import type { GenericId } from "convex/values";
import { requireAuthUserId } from "convex-warden/server";
import { signInTestUser } from "convex-warden/test";
import { Password } from "convex-warden/providers/Password";
import { api } from "../example/convex/_generated/api";
import { exampleApp, signUpParams, wardenTables } from "./setup";

const signUp = (t: ReturnType<typeof exampleApp>) =>
  t.mutation(api.auth.signIn, { provider: "password", params: signUpParams() });

test("createOrUpdateUser writes the user the app's way, in the sign-up transaction", async () => {
  const t = exampleApp({
    callbacks: {
      createOrUpdateUser: async (ctx, { existingUserId, provider, profile }) => {
        expect({ existingUserId, provider }).toEqual({ existingUserId: null, provider: "password" });
        return (await ctx.db.insert("users", { email: profile.email, favoriteColor: "teal" })) as GenericId<"users">;
      },
    },
  });
  const ada = await signInTestUser(t, api.auth.signIn, { provider: "password", params: signUpParams() });
  const user = await t.run((ctx) => ctx.db.get(ada.userId as GenericId<"users">));
  expect(user).toMatchObject({ email: "ada@example.com", favoriteColor: "teal" });
});

test("afterUserCreatedOrUpdated sees the new user", async () => {
  const seen: unknown[] = [];
  const t = exampleApp({
    callbacks: {
      afterUserCreatedOrUpdated: async (ctx, { userId, existingUserId, profile }) => {
        seen.push({ user: await ctx.db.get(userId), existingUserId, email: profile.email });
      },
    },
  });
  const ada = await signInTestUser(t, api.auth.signIn, { provider: "password", params: signUpParams() });
  expect(seen).toMatchObject([{ user: { _id: ada.userId, email: "ada@example.com" }, existingUserId: null }]);
});

test("a callback that throws rolls back the whole sign-up: no user, account or session", async () => {
  const t = exampleApp({
    callbacks: {
      afterUserCreatedOrUpdated: async () => {
        throw new Error("the app refuses this user");
      },
    },
  });
  await expect(signUp(t)).rejects.toThrow();
  expect(await t.run((ctx) => ctx.db.query("users").collect())).toEqual([]);
  const { accounts, sessions } = await wardenTables(t);
  expect({ accounts, sessions }).toEqual({ accounts: [], sessions: [] });
});

test("requireAuthUserId throws NOT_SIGNED_IN without a signed-in user", async () => {
  const t = exampleApp();
  await expect(t.run((ctx) => requireAuthUserId(ctx))).rejects.toMatchObject({ data: { code: "NOT_SIGNED_IN" } });
  const ada = await signInTestUser(t, api.auth.signIn, { provider: "password", params: signUpParams() });
  expect(await ada.as.run((ctx) => requireAuthUserId(ctx))).toBe(ada.userId);
});

test("Password's profile gets the normalized email and, apart, the client's raw params", async () => {
  const seen: unknown[] = [];
  const t = exampleApp({
    providers: [
      Password({
        profile: ({ email, rawParams }) => {
          seen.push({ email, rawParams });
          return { email, name: typeof rawParams.name === "string" ? rawParams.name.slice(0, 50) : undefined };
        },
      }),
    ],
  });
  const params = { ...signUpParams(), email: " ADA@example.com ", name: "Ada" };
  const ada = await signInTestUser(t, api.auth.signIn, { provider: "password", params });
  expect(seen).toEqual([{ email: "ada@example.com", rawParams: params }]);
  const user = await t.run((ctx) => ctx.db.get(ada.userId as GenericId<"users">));
  expect(user).toMatchObject({ email: "ada@example.com", name: "Ada" });
});
