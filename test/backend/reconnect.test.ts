// @vitest-environment node
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import type { Backend, MutationAnswered } from "../../dev/backend";
import { api, closeAll, eventually, socketClient, testBackend, watch } from "./fixtures";

let backend: Backend;
beforeAll(async () => {
  backend = await testBackend();
});
afterEach(closeAll);
afterAll(() => backend.stop());

test("a socket cut by the server reconnects and resubscribes", async () => {
  const client = socketClient(backend);
  const seen = watch<string[]>((onValue) => client.onUpdate(api.list, {}, onValue));
  await seen.next(() => true);
  backend.dropConnections();
  await eventually(() => client.connectionState(), (state) => state.connectionCount === 2 && state.isWebSocketConnected);
  await socketClient(backend).mutation(api.add, { text: "after the reconnect" });
  await seen.next((notes) => notes.includes("after the reconnect"));
});

test("a mutation replayed after a reconnect runs once and resolves with the first run's result", async () => {
  const client = socketClient(backend);
  await client.query(api.list, {});
  const answers: MutationAnswered[] = [];
  const stop = backend.onMutationAnswered((info) => {
    answers.push(info);
    // Cut the socket right after the response, before the transition that would confirm it.
    if (answers.length === 1) backend.dropConnections();
  });
  const count = await client.mutation(api.add, { text: "exactly once" });
  stop();
  const notes = await client.query(api.list, {});
  expect(notes.filter((note) => note === "exactly once")).toHaveLength(1);
  expect(count).toBe(notes.length);
  expect(answers.map(({ replayed }) => replayed)).toEqual([false, true]);
  expect(answers[1]!.requestId).toBe(answers[0]!.requestId);
  expect(client.connectionState().connectionCount).toBe(2);
});

test("the backend stopped and started again keeps its data, and clients reconnect", async () => {
  const client = socketClient(backend);
  const seen = watch<string[]>((onValue) => client.onUpdate(api.list, {}, onValue));
  await client.mutation(api.add, { text: "before the restart" });
  await backend.stop();
  await eventually(() => client.connectionState().isWebSocketConnected, (connected) => !connected);
  await backend.start();
  await eventually(() => client.connectionState().isWebSocketConnected, (connected) => connected);
  await client.mutation(api.add, { text: "after the restart" });
  const notes = await seen.next((notes) => notes.includes("after the restart"));
  expect(notes).toContain("before the restart");
});
