import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { SESSION_BATCH } from "../../convex/lib/userRows";
import type { GenericId } from "convex/values";
import { api, components } from "../../example/convex/_generated/api";
import { expectFailure, wardenTables } from "../setup";
import { accountsApp, authOf, guest, refresh, signIn, signUp, who } from "./support";

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

const users = (t: ReturnType<typeof accountsApp>) => t.run((ctx) => ctx.db.query("users").collect());

/** `count` more sessions of the user, as that many sign-ins would leave them. */
async function manySessions(t: ReturnType<typeof accountsApp>, userId: string, count: number) {
  await t.run(async (ctx) => {
    for (let i = 0; i < count; i++) {
      await ctx.runMutation(components.warden.sessions.create, { userId, totalDurationMs: 86_400_000 });
    }
  });
}

test("deleting a user leaves nothing of theirs in the component, and deletes their user document", async () => {
  const t = accountsApp();
  const auth = authOf();
  const ada = await signUp(t, "ada");
  await signIn(t, "ada");
  await t.mutation(api.auth.signIn, { provider: "password", params: { flow: "signIn", ...who("ada"), password: "wrong one" } });
  const bob = await signUp(t, "bob");
  await t.run((ctx) => auth.deleteUser(ctx, ada.userId));
  const tables = await wardenTables(t);
  const stored = JSON.stringify(tables);
  expect(stored).not.toContain(ada.userId);
  expect(stored).not.toContain("ada@example.com");
  expect(tables.disabledUsers).toEqual([]);
  // Bob is untouched.
  expect(tables.accounts).toMatchObject([{ userId: bob.userId }]);
  expect((await users(t)).map((user) => user._id)).toEqual([bob.userId]);
  expectFailure(await refresh(t, ada.tokens.refreshToken), "INVALID_REFRESH_TOKEN");
  expectFailure(
    await t.mutation(api.auth.signIn, { provider: "password", params: { flow: "signIn", ...who("ada") } }),
    "INVALID_CREDENTIALS",
  );
});

test("the app deletes its own data in a callback, and the event reaches onEvent only", async () => {
  const events: unknown[] = [];
  const options = {
    callbacks: {
      deleteUser: async (ctx: { db: { delete(id: GenericId<"users">): Promise<void> } }, { userId }: { userId: GenericId<"users"> }) => {
        events.push({ deleted: userId });
        await ctx.db.delete(userId);
      },
      onEvent: (_ctx: unknown, event: { type: string; userId: string | null }) => void events.push({ type: event.type, userId: event.userId }),
    },
  };
  const t = accountsApp(options as never);
  const auth = authOf(options as never);
  const ada = await signUp(t, "ada");
  events.length = 0;
  await t.run((ctx) => auth.deleteUser(ctx, ada.userId));
  expect(events).toEqual([{ deleted: ada.userId }, { type: "userDeleted", userId: ada.userId }]);
  expect(await users(t)).toEqual([]);
  expect((await wardenTables(t)).events).toEqual([]);
});

test("a user with more rows than a batch is deleted in bounded batches, and cannot sign in meanwhile", async () => {
  const t = accountsApp();
  const auth = authOf();
  const ada = await signUp(t, "ada");
  await manySessions(t, ada.userId, SESSION_BATCH + 10);
  const { done } = await t.run((ctx) => auth.deleteUser(ctx, ada.userId));
  expect(done).toBe(false);
  expect((await wardenTables(t)).disabledUsers).toMatchObject([{ userId: ada.userId, deleting: true }]);
  await t.finishAllScheduledFunctions(() => vi.advanceTimersByTime(1));
  expect(JSON.stringify(await wardenTables(t))).not.toContain(ada.userId);
});

test("disabling a user mid-session ends their sessions and refuses refresh and sign-in", async () => {
  const t = accountsApp();
  const auth = authOf();
  const laptop = await signUp(t, "ada");
  const phone = await signIn(t, "ada");
  expect(await phone.as.query(api.users.viewerLive, {})).toBe(phone.userId);
  const disabled = await t.run((ctx) => auth.disableUser(ctx, laptop.userId, { reason: "abuse" }));
  expect(disabled).toEqual({ changed: true, revoked: 2 });
  expect(await phone.as.query(api.users.viewerLive, {})).toBeNull();
  for (const device of [laptop, phone]) expectFailure(await refresh(t, device.tokens.refreshToken), "INVALID_REFRESH_TOKEN");
  const attempt = await t.mutation(api.auth.signIn, { provider: "password", params: { flow: "signIn", ...who("ada") } });
  expectFailure(attempt, "USER_DISABLED");
  expect(await t.run((ctx) => auth.getUserStatus(ctx, laptop.userId))).toMatchObject({ disabled: true, reason: "abuse" });
  // A wrong password still answers as usual: disabled status is only told to whoever proved the password.
  expectFailure(
    await t.mutation(api.auth.signIn, { provider: "password", params: { flow: "signIn", ...who("ada"), password: "nope nope" } }),
    "INVALID_CREDENTIALS",
  );
});

test("disabling ends up to a batch of sessions at once; a session beyond it fails live checks until its batch runs", async () => {
  const t = accountsApp();
  const auth = authOf();
  const ada = await signUp(t, "ada");
  await manySessions(t, ada.userId, SESSION_BATCH - 2);
  const last = await signIn(t, "ada");
  // ada now has SESSION_BATCH sessions: every one ends in the disabling transaction itself.
  expect(await t.run((ctx) => auth.disableUser(ctx, ada.userId))).toEqual({ changed: true, revoked: SESSION_BATCH });
  expect((await wardenTables(t)).sessions).toEqual([]);
  expectFailure(await refresh(t, last.tokens.refreshToken), "INVALID_REFRESH_TOKEN");

  const bob = await signUp(t, "bob");
  await manySessions(t, bob.userId, SESSION_BATCH);
  const straggler = await signIn(t, "bob");
  expect(await t.run((ctx) => auth.disableUser(ctx, bob.userId))).toEqual({ changed: true, revoked: SESSION_BATCH });
  // The newest session waits for the batch scheduled at once, and no live check passes it meanwhile.
  expect((await wardenTables(t)).sessions.map((s) => s._id)).toContain(straggler.sessionId);
  expect(await straggler.as.query(api.users.viewerLive, {})).toBeNull();
  await t.finishAllScheduledFunctions(() => vi.advanceTimersByTime(1));
  expect((await wardenTables(t)).sessions).toEqual([]);
  expectFailure(await refresh(t, straggler.tokens.refreshToken), "INVALID_REFRESH_TOKEN");
});

test("re-enabling lets the user sign in again; their old sessions stay ended", async () => {
  const t = accountsApp();
  const auth = authOf();
  const ada = await signUp(t, "ada");
  await t.run((ctx) => auth.disableUser(ctx, ada.userId));
  expect(await t.run((ctx) => auth.enableUser(ctx, ada.userId))).toEqual({ changed: true });
  expectFailure(await refresh(t, ada.tokens.refreshToken), "INVALID_REFRESH_TOKEN");
  expect((await signIn(t, "ada")).userId).toBe(ada.userId);
  expect(await t.run((ctx) => auth.getUserStatus(ctx, ada.userId))).toEqual({ disabled: false });
});

test("a disabled guest cannot continue as that guest: asking again makes a new one", async () => {
  const t = accountsApp();
  const auth = authOf();
  const visitor = await guest(t);
  await t.run((ctx) => auth.disableUser(ctx, visitor.userId));
  expect(await visitor.as.query(api.users.viewerLive, {})).toBeNull();
  const again = await guest(t, visitor.as);
  expect(again.userId).not.toBe(visitor.userId);
});

test("disable, enable and delete are events (delete only to the callback)", async () => {
  const t = accountsApp();
  const auth = authOf();
  const ada = await signUp(t, "ada");
  await t.run((ctx) => auth.disableUser(ctx, ada.userId));
  await t.run((ctx) => auth.enableUser(ctx, ada.userId));
  const events = await t.run((ctx) => auth.listEvents(ctx, ada.userId));
  expect(events.map((event) => event.type)).toEqual(["userEnabled", "userDisabled", "signIn"]);
});
