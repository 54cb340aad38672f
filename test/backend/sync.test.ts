// @vitest-environment node
import { makeFunctionReference } from "convex/server";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { Backend } from "../../dev/backend";
import { api, closeAll, socketClient, testBackend, watch } from "./fixtures";

let backend: Backend;
beforeAll(async () => {
  backend = await testBackend();
});
afterEach(closeAll);
afterAll(() => backend.stop());

/** The notes list as one socket client sees it, live. */
function notesSeenBy(client = socketClient(backend)) {
  return watch<string[]>((onValue) => client.onUpdate(api.list, {}, onValue));
}

describe("subscriptions are pushed again after every write", () => {
  test("by a mutation from another client", async () => {
    const seen = notesSeenBy();
    await seen.next((notes) => !notes.includes("from a mutation"));
    await socketClient(backend).mutation(api.add, { text: "from a mutation" });
    await seen.next((notes) => notes.includes("from a mutation"));
  });

  test("by an action's runMutation", async () => {
    const seen = notesSeenBy();
    await expect(socketClient(backend).action(api.addFromAction, { text: "from an action" })).resolves.toBeTypeOf(
      "number",
    );
    await seen.next((notes) => notes.includes("from an action"));
  });

  test("by a scheduled function, on its own timer", async () => {
    const seen = notesSeenBy();
    const scheduledAt = Date.now();
    await socketClient(backend).mutation(api.addLater, { text: "from the scheduler", delayMs: 300 });
    expect((await seen.next(() => true)).includes("from the scheduler")).toBe(false);
    await seen.next((notes) => notes.includes("from the scheduler"));
    expect(Date.now() - scheduledAt).toBeGreaterThanOrEqual(300);
  });

  test("by an HTTP action on the site origin", async () => {
    const seen = notesSeenBy();
    const response = await fetch(`${backend.siteUrl}/notes`, { method: "POST", body: "from an HTTP action" });
    expect(response.status).toBe(201);
    await seen.next((notes) => notes.includes("from an HTTP action"));
  });
});

test("a mutation resolves only once the caller's subscriptions reflect it", async () => {
  const client = socketClient(backend);
  const seen = notesSeenBy(client);
  await seen.next(() => true);
  for (const text of ["first", "second", "third"]) {
    await client.mutation(api.add, { text });
    // The client resolved the mutation after a transition at or past its commit:
    // its local view of the query already has the write.
    expect(seen.values.at(-1)).toContain(text);
  }
});

test("mutations from one client run in the order they were sent", async () => {
  const client = socketClient(backend);
  const texts = ["order-1", "order-2", "order-3", "order-4"];
  const counts = await Promise.all(texts.map((text) => client.mutation(api.add, { text })));
  expect(counts).toEqual([...counts].sort((a, b) => a - b));
  const notes = await client.query(api.list, {});
  expect(notes.filter((note) => note.startsWith("order-"))).toEqual(texts);
});

test("a failed mutation rejects with the ConvexError data and writes nothing", async () => {
  const client = socketClient(backend);
  const before = await client.query(api.list, {});
  const error = await client.mutation(api.refuse, {}).catch((caught: unknown) => caught);
  expect(error).toMatchObject({ name: "ConvexError", data: { code: "INVALID_CREDENTIALS" } });
  await expect(client.mutation(api.crash, {})).rejects.toThrow(/boom/);
  expect(await client.query(api.list, {})).toEqual(before);
});

test("internal functions cannot be called by clients", async () => {
  const internalAsPublic = makeFunctionReference<"mutation", { text: string }>("notes:insert");
  await expect(socketClient(backend).mutation(internalAsPublic, { text: "sneaky" })).rejects.toThrow(
    /Could not find public function for 'notes:insert'/,
  );
});
