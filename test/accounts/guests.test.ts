import { expect, test } from "vitest";
import { Anonymous } from "convex-warden/providers/Anonymous";
import { Password } from "convex-warden/providers/Password";
import { isGuest, requireAuthUserId } from "convex-warden/server";
import { asTestUser } from "convex-warden/test";
import { api } from "../../example/convex/_generated/api";
import { expectFailure, wardenTables } from "../setup";
import { accountsApp, fastHasher, guest, refresh, signIn, signUp, userDoc, who } from "./support";

const ADA = who("ada");

test("a guest is a user and a session made in one mutation, with no account", async () => {
  const t = accountsApp();
  const visitor = await guest(t);
  expect(await userDoc(t, visitor.userId)).toMatchObject({ isAnonymous: true });
  const { accounts, sessions } = await wardenTables(t);
  expect(accounts).toEqual([]);
  expect(sessions).toMatchObject([{ userId: visitor.userId, guest: true }]);
});

test("guest tokens carry the guest claim, other tokens do not (JWT-3)", async () => {
  const t = accountsApp();
  const visitor = await guest(t);
  const ada = await signUp(t, "ada");
  expect(visitor.claims.guest).toBe(true);
  expect(ada.claims).not.toHaveProperty("guest");
  // The claim survives a refresh, verified against the JWKS again.
  const refreshed = await refresh(t, visitor.tokens.refreshToken);
  expect(refreshed.kind === "signedIn" && (await asTestUser(t, refreshed.tokens)).claims.guest).toBe(true);
});

test("custom claims may not set the guest claim", async () => {
  const t = accountsApp({ jwt: { customClaims: () => ({ guest: false }) } });
  await expect(guest(t)).rejects.toMatchObject({ data: { code: "INVALID_CONFIG", reason: "reserved_claim" } });
});

test("backends can refuse guests: GUEST_NOT_ALLOWED, and isGuest", async () => {
  const t = accountsApp();
  const visitor = await guest(t);
  const ada = await signUp(t, "ada");
  await expect(visitor.as.run((ctx) => requireAuthUserId(ctx, { allowGuests: false }))).rejects.toMatchObject({
    data: { code: "GUEST_NOT_ALLOWED" },
  });
  expect(await visitor.as.run((ctx) => requireAuthUserId(ctx))).toBe(visitor.userId);
  expect(await ada.as.run((ctx) => requireAuthUserId(ctx, { allowGuests: false }))).toBe(ada.userId);
  expect(await visitor.as.run((ctx) => isGuest(ctx))).toBe(true);
  expect(await ada.as.run((ctx) => isGuest(ctx))).toBe(false);
});

test("a guest who signs up keeps their user id and data, in a new session (SES-8)", async () => {
  const t = accountsApp();
  const visitor = await guest(t);
  await visitor.as.mutation(api.profile.setFavoriteColor, { color: "teal" });
  const upgraded = await signUp(t, "ada", visitor.as);
  expect(upgraded.userId).toBe(visitor.userId);
  expect(upgraded.sessionId).not.toBe(visitor.sessionId);
  expect(upgraded.claims).not.toHaveProperty("guest");
  expect(await userDoc(t, upgraded.userId)).toMatchObject({ email: ADA.email, favoriteColor: "teal" });
  expect(await userDoc(t, upgraded.userId)).not.toHaveProperty("isAnonymous");
  // The guest's session ended; the new one is the only one.
  expectFailure(await refresh(t, visitor.tokens.refreshToken), "INVALID_REFRESH_TOKEN");
  const { sessions, accounts } = await wardenTables(t);
  expect(sessions.map((session) => session._id)).toEqual([upgraded.sessionId]);
  expect(accounts).toMatchObject([{ userId: visitor.userId, provider: "password", providerAccountId: ADA.email }]);
  // Signing in later with the password reaches the same user.
  expect((await signIn(t, "ada")).userId).toBe(visitor.userId);
  const types = (await wardenTables(t)).events.map((event) => event.type);
  expect(types).toEqual(expect.arrayContaining(["accountLinked", "guestUpgraded"]));
});

test("a guest asking to be a guest again stays the same guest, in a new session", async () => {
  const t = accountsApp();
  const visitor = await guest(t);
  const again = await guest(t, visitor.as);
  expect(again.userId).toBe(visitor.userId);
  expect(again.sessionId).not.toBe(visitor.sessionId);
  expect(await t.run((ctx) => ctx.db.query("users").collect())).toHaveLength(1);
});

test("a signed-in user asking for a guest session gets a new guest, never a guest flag on themselves", async () => {
  const t = accountsApp();
  const ada = await signUp(t, "ada");
  const visitor = await guest(t, ada.as);
  expect(visitor.userId).not.toBe(ada.userId);
  expect(await userDoc(t, ada.userId)).not.toHaveProperty("isAnonymous");
});

test("a guest signing in to another user's account switches to it by default; the guest is left alone", async () => {
  const t = accountsApp();
  await signUp(t, "ada");
  const visitor = await guest(t);
  await visitor.as.mutation(api.profile.setFavoriteColor, { color: "teal" });
  const ada = await signIn(t, "ada", visitor.as);
  expect(ada.userId).not.toBe(visitor.userId);
  expect(await userDoc(t, visitor.userId)).toMatchObject({ isAnonymous: true, favoriteColor: "teal" });
  expect(await userDoc(t, ada.userId)).not.toHaveProperty("favoriteColor");
  expectFailure(await refresh(t, visitor.tokens.refreshToken), "INVALID_REFRESH_TOKEN");
});

test("the app can refuse it: GUEST_UPGRADE_REFUSED, and the guest stays signed in", async () => {
  const seen: unknown[] = [];
  const t = accountsApp({
    callbacks: {
      guestConflict: (_ctx, args) => {
        seen.push(args);
        return "refuse";
      },
    },
  });
  const ada = await signUp(t, "ada");
  const visitor = await guest(t);
  const result = await visitor.as.mutation(api.auth.signIn, { provider: "password", params: { flow: "signIn", ...ADA } });
  expectFailure(result, "GUEST_UPGRADE_REFUSED");
  expect(seen).toEqual([{ guestUserId: visitor.userId, userId: ada.userId, provider: "password" }]);
  expect(await visitor.as.query(api.users.viewerLive, {})).toBe(visitor.userId);
});

test("or merge: the callback moves the guest's data, then the guest is deleted", async () => {
  const t = accountsApp({
    callbacks: {
      guestConflict: async (ctx, { guestUserId, userId }) => {
        const guestDoc = await ctx.db.get(guestUserId);
        await ctx.db.patch(userId, { favoriteColor: (guestDoc as { favoriteColor?: string }).favoriteColor });
        return "merge" as const;
      },
    },
  });
  const ada = await signUp(t, "ada");
  const visitor = await guest(t);
  await visitor.as.mutation(api.profile.setFavoriteColor, { color: "teal" });
  const signedIn = await signIn(t, "ada", visitor.as);
  expect(signedIn.userId).toBe(ada.userId);
  expect(await userDoc(t, ada.userId)).toMatchObject({ favoriteColor: "teal" });
  expect(await userDoc(t, visitor.userId)).toBeNull();
  const tables = await wardenTables(t);
  expect(JSON.stringify(tables)).not.toContain(visitor.userId);
});

test("each new guest counts as a sign-up (RL-3)", async () => {
  const t = accountsApp({ rateLimits: { signUpsPerIp: { max: 2, windowMs: 60_000 } } });
  const client = t.withRequestMetadata({ ip: "203.0.113.7" });
  await guest(t, client);
  await guest(t, client);
  expectFailure(await client.mutation(api.auth.signIn, { provider: "anonymous", params: {} }), "RATE_LIMITED");
  expect(await t.run((ctx) => ctx.db.query("users").collect())).toHaveLength(2);
});

test("the provider id is configurable and typed", async () => {
  const t = accountsApp({ providers: [Password({ hasher: fastHasher }), Anonymous({ id: "visitor" })] });
  const result = await t.mutation(api.auth.signIn, { provider: "visitor" as never, params: {} });
  expect(result.kind).toBe("signedIn");
  const users = await t.run((ctx) => ctx.db.query("users").collect());
  expect(users).toMatchObject([{ isAnonymous: true }]);
});
