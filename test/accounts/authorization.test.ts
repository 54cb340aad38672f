import { afterEach, expect, test, vi } from "vitest";
import { signInTestUser } from "convex-warden/test";
import { api } from "../../example/convex/_generated/api";
import { auth } from "../../example/convex/auth";
import { exampleApp, signUpParams } from "../setup";

/**
 * The checks apps build on, with the example app's own configuration (its
 * real `convex/auth.ts`): the user-id helper's live option, requireUser, and
 * the function builders of `convex/functions.ts`.
 */
afterEach(() => void vi.useRealTimers());

const signUpAda = (t: ReturnType<typeof exampleApp>) =>
  signInTestUser(t, api.auth.signIn, { provider: "password", params: signUpParams() });

test("getUserId checks the live session by default, the token only with live: false (SES-5)", async () => {
  const t = exampleApp();
  const ada = await signUpAda(t);
  expect(await ada.as.run((ctx) => auth.getUserId(ctx))).toBe(ada.userId);
  await ada.as.mutation(api.auth.signOut, {});
  expect(await ada.as.run((ctx) => auth.getUserId(ctx))).toBeNull();
  expect(await ada.as.run((ctx) => auth.getUserId(ctx, { live: false }))).toBe(ada.userId);
});

test("requireUser returns the user document, or throws the typed error", async () => {
  const t = exampleApp();
  await expect(t.run((ctx) => auth.requireUser(ctx))).rejects.toMatchObject({ data: { code: "NOT_SIGNED_IN" } });
  const ada = await signUpAda(t);
  expect(await ada.as.run((ctx) => auth.requireUser(ctx))).toMatchObject({ _id: ada.userId, email: "ada@example.com" });
  const visitor = await signInTestUser(t, api.auth.signIn, { provider: "anonymous", params: {} });
  await expect(visitor.as.run((ctx) => auth.requireUser(ctx, { allowGuests: false }))).rejects.toMatchObject({
    data: { code: "GUEST_NOT_ALLOWED" },
  });
  await ada.as.mutation(api.auth.signOut, {});
  await expect(ada.as.run((ctx) => auth.requireUser(ctx))).rejects.toMatchObject({ data: { code: "NOT_SIGNED_IN" } });
  expect(await ada.as.run((ctx) => auth.requireUser(ctx, { live: false }))).toMatchObject({ _id: ada.userId });
});

test("a function declared with authQuery gets ctx.user, and refuses callers without a live session", async () => {
  const t = exampleApp();
  await expect(t.query(api.users.me, {})).rejects.toMatchObject({ data: { code: "NOT_SIGNED_IN" } });
  const ada = await signUpAda(t);
  expect(await ada.as.query(api.users.me, {})).toEqual({ id: ada.userId, email: "ada@example.com", guest: false });
  await ada.as.mutation(api.auth.signOut, {});
  await expect(ada.as.query(api.users.me, {})).rejects.toMatchObject({ data: { code: "NOT_SIGNED_IN" } });
});

test("a member-only mutation refuses guests and serves members", async () => {
  const t = exampleApp();
  const visitor = await signInTestUser(t, api.auth.signIn, { provider: "anonymous", params: {} });
  expect(await visitor.as.query(api.users.me, {})).toMatchObject({ guest: true });
  await expect(visitor.as.mutation(api.profile.setName, { name: "Guest" })).rejects.toMatchObject({
    data: { code: "GUEST_NOT_ALLOWED" },
  });
  const ada = await signUpAda(t);
  await ada.as.mutation(api.profile.setName, { name: "Ada" });
  expect(await t.run((ctx) => ctx.db.get(ada.userId))).toMatchObject({ name: "Ada" });
});
