import { v } from "convex/values";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { defineProvider, type UserId } from "convex-warden/server";
import { Password } from "convex-warden/providers/Password";
import { asTestUser } from "convex-warden/test";
import { anyApi } from "convex/server";
import { api } from "../example/convex/_generated/api";
import { ADA, exampleApp, expectFailure, signInParams, signUpParams, tokensOf, wardenTables } from "./setup";

/**
 * The frame itself, with providers written for these tests: each step
 * context (the signIn mutation, a scheduled action, a mutation step called
 * back from it, an HTTP route), the stores a provider is handed, param checks,
 * and a second factor completing a sign-in a first factor began.
 */

// Any provider id: these tests configure providers the example's types do not know.
const signIn = anyApi.auth!.signIn as unknown as typeof api.auth.signIn;
const call = (t: ReturnType<typeof exampleApp>, provider: string, params: Record<string, unknown>) =>
  t.mutation(signIn, { provider, params } as never);

/** What the "courier" provider's action delivered, as a mail server would receive it. */
const outbox: { to: string; code: string }[] = [];
let seenStores: string[] = [];

/**
 * A code sent by a network step: signIn (mutation) answers codeSent and
 * schedules `deliver` (action), which calls back into `issue` (mutation) for
 * the code, so the code never sits in a scheduled function's arguments.
 * signIn with the code verifies it.
 */
const courier = defineProvider({
  id: "courier",
  params: v.object({ email: v.string(), code: v.optional(v.string()) }),
  stores: ["challenges", "users"],
  async signIn(step, { email, code }) {
    seenStores = Object.keys(step.stores).sort();
    if (code === undefined) {
      await step.schedule("deliver", { email });
      return { kind: "codeSent", destination: `${email[0]}•••`, resendAfterMs: 60_000 };
    }
    const checked = await step.stores.challenges.verifyCode("courier", email, code);
    if (checked.kind !== "ok") return { kind: "failed", error: { code: checked.code } };
    const userId = await step.stores.users.createOrUpdate({ provider: "courier", profile: { email }, existingUserId: null });
    return { kind: "authorized", userId };
  },
  mutations: {
    async issue(step, { email }) {
      const issued = await step.stores.challenges.issue({
        purpose: "courier",
        identifier: String(email),
        ttlMs: 600_000,
        maxAttempts: 3,
        code: { alphabet: "0123456789", length: 8 },
      });
      return issued.code!;
    },
  },
  actions: {
    async deliver(step, { email }) {
      const code = await step.runMutation("issue", { email: email! });
      outbox.push({ to: String(email), code: String(code) });
    },
  },
});

/** An HTTP route step that calls back into a mutation step, as an OAuth callback does. */
const echo = defineProvider({
  id: "echo",
  params: v.object({}),
  stores: ["accounts"],
  async signIn(step) {
    seenStores = Object.keys(step.stores).sort();
    return { kind: "redirect", url: "https://provider.example/authorize", verifier: "kept-by-the-browser" };
  },
  mutations: {
    async count(step, { provider }) {
      return (await step.stores.accounts.get(String(provider), ADA.email)) === null ? 0 : 1;
    },
  },
  routes: [
    {
      path: "/api/auth/echo",
      method: "GET",
      async handler(step, request) {
        const found = await step.runMutation("count", { provider: new URL(request.url).searchParams.get("provider") });
        return new Response(JSON.stringify({ found }), { headers: { "content-type": "application/json" } });
      },
    },
  ],
});

/** A second factor: the PIN is the last four characters of the user's email, for the test's sake. */
const pin = defineProvider({
  id: "pin",
  factor: "second",
  params: v.object({ pendingToken: v.string(), pin: v.string() }),
  stores: ["users"],
  async signIn(step, { pin: given }) {
    const user = await step.ctx.db.get(step.pending!.userId);
    const expected = String(user?.email ?? "").slice(-4);
    return given === expected ? { kind: "authorized", userId: step.pending!.userId } : { kind: "failed", error: { code: "INVALID_CREDENTIALS" } };
  },
});

/** Runs what a step scheduled to run now, and nothing later (such as the hourly sweep). */
async function runScheduledNow(t: ReturnType<typeof exampleApp>) {
  vi.advanceTimersByTime(1);
  await t.finishInProgressScheduledFunctions();
}

beforeEach(() => {
  vi.useFakeTimers();
  outbox.length = 0;
  seenStores = [];
});
afterEach(() => void vi.useRealTimers());

describe("steps in every context", () => {
  test("a mutation step schedules an action, which calls back a mutation step; the code then signs in", async () => {
    const t = exampleApp({ providers: [Password(), courier] });
    const sent = await call(t, "courier", { email: "ada@example.com" });
    expect(sent).toEqual({ kind: "codeSent", provider: "courier", destination: "a•••", resendAfterMs: 60_000 });
    expect(outbox).toEqual([]); // not inside the transaction
    await runScheduledNow(t);
    expect(outbox).toHaveLength(1);
    const scheduled = await t.run((ctx) => ctx.db.system.query("_scheduled_functions").collect());
    expect(JSON.stringify(scheduled)).not.toContain(outbox[0]!.code);
    const user = await asTestUser(t, tokensOf(await call(t, "courier", { email: "ada@example.com", code: outbox[0]!.code })));
    expect(user.claims.sub).toBe(user.userId);
  });

  test("an HTTP route step runs through the app's router and calls back a mutation step", async () => {
    const t = exampleApp({ providers: [Password(), echo] });
    await call(t, "password", signUpParams());
    const response = await t.fetch("/api/auth/echo?provider=password");
    expect(await response.json()).toEqual({ found: 1 });
  });

  test("a redirect step answers the URL and the verifier the browser keeps", async () => {
    const t = exampleApp({ providers: [Password(), echo] });
    expect(await call(t, "echo", {})).toEqual({
      kind: "redirect",
      provider: "echo",
      url: "https://provider.example/authorize",
      verifier: "kept-by-the-browser",
    });
  });
});

describe("what a provider is handed", () => {
  test("only the stores it declared", async () => {
    const t = exampleApp({ providers: [Password(), courier, echo] });
    await call(t, "courier", { email: "ada@example.com" });
    expect(seenStores).toEqual(["challenges", "users"]);
    await call(t, "echo", {});
    expect(seenStores).toEqual(["accounts"]);
  });

  test("params checked against its validator: a wrong one is INVALID_ARGUMENT naming the field, thrown, nothing written", async () => {
    const t = exampleApp({ providers: [Password(), courier] });
    await expect(call(t, "courier", { email: 42 })).rejects.toMatchObject({ data: { code: "INVALID_ARGUMENT", field: "email" } });
    await expect(call(t, "courier", {})).rejects.toMatchObject({ data: { code: "INVALID_ARGUMENT", field: "email" } });
    await expect(call(t, "nope", {})).rejects.toMatchObject({ data: { code: "PROVIDER_NOT_FOUND" } });
    await runScheduledNow(t);
    expect(outbox).toEqual([]);
  });

  test("fields it does not declare pass through as rawParams only", async () => {
    let seen: unknown;
    const spy = defineProvider({
      id: "spy",
      params: v.object({ a: v.string() }),
      stores: [],
      async signIn(_step, params, rawParams) {
        seen = { params, rawParams };
        return { kind: "failed", error: { code: "INVALID_CREDENTIALS" } };
      },
    });
    const t = exampleApp({ providers: [spy] });
    await call(t, "spy", { a: "x", extra: "y" });
    expect(seen).toEqual({ params: { a: "x" }, rawParams: { a: "x", extra: "y" } });
  });

  test("the user signed in on this client, for linking and upgrades", async () => {
    const seen: (UserId | null)[] = [];
    const t = exampleApp({
      providers: [Password(), Password({ id: "work" })],
      callbacks: {
        createOrUpdateUser: async (ctx, { signedInUserId, profile }) => {
          seen.push(signedInUserId);
          return (await ctx.db.insert("users", { email: profile.email })) as UserId;
        },
      },
    });
    const ada = await asTestUser(t, tokensOf(await call(t, "password", signUpParams())));
    await ada.as.mutation(signIn, { provider: "work", params: signUpParams({ email: "ada@work.example", password: ADA.password }) } as never);
    expect(seen).toEqual([null, ada.userId]);
  });
});

describe("a second factor (secondFactorRequired)", () => {
  const options = {
    providers: [Password(), pin],
    secondFactor: { required: async () => true, maxAttempts: 2 },
  };

  test("the first factor answers a pending token instead of tokens, and no session exists yet", async () => {
    const t = exampleApp(options);
    const first = await call(t, "password", signUpParams());
    expect(first).toMatchObject({ kind: "secondFactorRequired", factors: ["pin"], expiresInMs: 300_000 });
    expect((await wardenTables(t)).sessions).toEqual([]);
    const pendingToken = first.kind === "secondFactorRequired" ? first.pendingToken : "";
    expect(JSON.stringify(await wardenTables(t))).not.toContain(pendingToken);
  });

  test("the second factor completes it once: signed in as the first factor's user", async () => {
    const t = exampleApp(options);
    const first = await call(t, "password", signUpParams());
    const pendingToken = first.kind === "secondFactorRequired" ? first.pendingToken : "";
    const done = await asTestUser(t, tokensOf(await call(t, "pin", { pendingToken, pin: ".com" })));
    expect((await wardenTables(t)).sessions.map((session) => session.userId)).toEqual([done.userId]);
    expectFailure(await call(t, "pin", { pendingToken, pin: ".com" }), "INVALID_CODE");
  });

  test("wrong second factors spend the pending sign-in's attempts; then even the right one fails", async () => {
    const t = exampleApp(options);
    const first = await call(t, "password", signUpParams());
    const pendingToken = first.kind === "secondFactorRequired" ? first.pendingToken : "";
    expectFailure(await call(t, "pin", { pendingToken, pin: "0000" }), "INVALID_CREDENTIALS");
    expectFailure(await call(t, "pin", { pendingToken, pin: "0000" }), "INVALID_CREDENTIALS");
    expectFailure(await call(t, "pin", { pendingToken, pin: ".com" }), "INVALID_CODE");
  });

  test("a pending sign-in expires", async () => {
    const t = exampleApp(options);
    const first = await call(t, "password", signInParams());
    expectFailure(first, "INVALID_CREDENTIALS"); // no account yet: the first factor decides first
    const signedUp = await call(t, "password", signUpParams());
    const pendingToken = signedUp.kind === "secondFactorRequired" ? signedUp.pendingToken : "";
    vi.advanceTimersByTime(300_001);
    expectFailure(await call(t, "pin", { pendingToken, pin: ".com" }), "CODE_EXPIRED");
  });

  test("a second factor needs a pending token, and refuses a forged one", async () => {
    const t = exampleApp(options);
    await expect(call(t, "pin", { pin: ".com" })).rejects.toMatchObject({ data: { code: "INVALID_ARGUMENT", field: "pendingToken" } });
    expectFailure(await call(t, "pin", { pendingToken: "forged", pin: ".com" }), "INVALID_CODE");
  });

  test("without a second-factor provider, the option is refused at configuration time", () => {
    expect(() => exampleApp({ providers: [Password()], secondFactor: { required: async () => true } })).toThrow(
      expect.objectContaining({ code: "INVALID_CONFIG", option: "secondFactor" }),
    );
  });
});
