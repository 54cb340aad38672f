/**
 * The example app plus a `notes` module and HTTP routes the local backend's
 * tests drive: writes by a mutation, by an action, by a scheduled function and
 * by an HTTP action, a failing mutation, the caller's identity.
 */
import {
  actionGeneric,
  defineSchema,
  defineTable,
  httpActionGeneric,
  httpRouter,
  internalMutationGeneric,
  makeFunctionReference,
  mutationGeneric,
  queryGeneric,
} from "convex/server";
import { ConvexError, v } from "convex/values";
import { expect } from "vitest";
import { WebSocket } from "ws";
import { ConvexClient, ConvexHttpClient } from "convex/browser";
import exampleSchema from "../../example/convex/schema";
import { startBackend, type Backend, type BackendOptions } from "../../dev/backend";

export const schema = defineSchema({
  ...exampleSchema.tables,
  notes: defineTable({ text: v.string(), by: v.optional(v.string()) }),
});

const ref = {
  insert: makeFunctionReference<"mutation", { text: string; by?: string }, number>("notes:insert"),
};

/** The `notes` module; `api` below names its functions. */
const notes = {
  list: queryGeneric({
    args: {},
    handler: async (ctx) => (await ctx.db.query("notes").collect()).map((note) => note.text as string),
  }),
  whoami: queryGeneric({
    args: {},
    handler: async (ctx) => (await ctx.auth.getUserIdentity())?.subject ?? null,
  }),
  add: mutationGeneric({
    args: { text: v.string() },
    handler: async (ctx, { text }) => {
      const by = (await ctx.auth.getUserIdentity())?.subject;
      await ctx.db.insert("notes", { text, by });
      return (await ctx.db.query("notes").collect()).length;
    },
  }),
  insert: internalMutationGeneric({
    args: { text: v.string(), by: v.optional(v.string()) },
    handler: async (ctx, note) => {
      await ctx.db.insert("notes", note);
      return (await ctx.db.query("notes").collect()).length;
    },
  }),
  addLater: mutationGeneric({
    args: { text: v.string(), delayMs: v.number() },
    handler: async (ctx, { text, delayMs }) => {
      await ctx.scheduler.runAfter(delayMs, ref.insert, { text });
    },
  }),
  addFromAction: actionGeneric({
    args: { text: v.string() },
    handler: async (ctx, { text }): Promise<number> => ctx.runMutation(ref.insert, { text }),
  }),
  /** A token signed by the deployment, for `subject`, valid for `expiresInSeconds`. */
  mint: mutationGeneric({
    args: { subject: v.string(), expiresInSeconds: v.number() },
    handler: async (ctx, { subject, expiresInSeconds }) =>
      ctx.auth.signJwt({ claims: { sub: subject, aud: "convex" }, expiresInSeconds }),
  }),
  refuse: mutationGeneric({
    args: {},
    handler: async () => {
      throw new ConvexError({ code: "INVALID_CREDENTIALS" });
    },
  }),
  crash: mutationGeneric({
    args: {},
    handler: async () => {
      throw new Error("boom");
    },
  }),
};

const http = httpRouter();
http.route({
  path: "/whoami",
  method: "GET",
  handler: httpActionGeneric(async (ctx) =>
    Response.json({ subject: (await ctx.auth.getUserIdentity())?.subject ?? null }),
  ),
});
http.route({
  path: "/notes",
  method: "POST",
  handler: httpActionGeneric(async (ctx, request) => {
    const count = await ctx.runMutation(ref.insert, { text: await request.text() });
    return new Response(String(count), { status: 201 });
  }),
});

export const api = {
  list: makeFunctionReference<"query", Record<string, never>, string[]>("notes:list"),
  whoami: makeFunctionReference<"query", Record<string, never>, string | null>("notes:whoami"),
  add: makeFunctionReference<"mutation", { text: string }, number>("notes:add"),
  insert: ref.insert,
  addLater: makeFunctionReference<"mutation", { text: string; delayMs: number }, null>("notes:addLater"),
  addFromAction: makeFunctionReference<"action", { text: string }, number>("notes:addFromAction"),
  mint: makeFunctionReference<"mutation", { subject: string; expiresInSeconds: number }, string>("notes:mint"),
  refuse: makeFunctionReference<"mutation", Record<string, never>, null>("notes:refuse"),
  crash: makeFunctionReference<"mutation", Record<string, never>, null>("notes:crash"),
};

/** A backend on free loopback ports running the example app with the `notes` module. */
export const testBackend = (options: BackendOptions = {}) =>
  startBackend({
    port: 0,
    ...options,
    app: { schema, ...options.app, modules: { notes, http: { default: http }, ...options.app?.modules } },
  });

/** Clients made by a test, closed by `closeAll`. */
const open: ConvexClient[] = [];

export function socketClient(backend: Backend) {
  const client = new ConvexClient(backend.url, {
    webSocketConstructor: WebSocket as unknown as typeof globalThis.WebSocket,
    logger: false,
  });
  open.push(client);
  return client;
}

export const httpClient = (backend: Backend, token?: string) =>
  new ConvexHttpClient(backend.url, { auth: token, logger: false });

export async function closeAll() {
  await Promise.all(open.splice(0).map((client) => client.close()));
}

/** The values a subscription delivers, and a way to wait for one. */
export function watch<T>(subscribe: (onValue: (value: T) => void) => () => void) {
  const values: T[] = [];
  const waiters: { test: (value: T) => boolean; resolve: (value: T) => void }[] = [];
  const stop = subscribe((value) => {
    values.push(value);
    for (const waiter of [...waiters]) {
      if (waiter.test(value)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(value);
      }
    }
  });
  /** Resolves with the first value (already seen or coming) that passes `test`. */
  const next = (test: (value: T) => boolean, timeoutMs = 5000) =>
    new Promise<T>((resolve, reject) => {
      const seen = values.find(test);
      if (seen !== undefined) return resolve(seen);
      const timer = setTimeout(() => reject(new Error(`no matching value; saw ${JSON.stringify(values)}`)), timeoutMs);
      waiters.push({ test, resolve: (value) => (clearTimeout(timer), resolve(value)) });
    });
  return { values, next, stop };
}

/** Polls `read` until `test` passes (for state the test cannot subscribe to). */
export async function eventually<T>(read: () => T | Promise<T>, test: (value: T) => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (test(value)) return value;
    if (Date.now() > deadline) expect.fail(`condition not reached; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
