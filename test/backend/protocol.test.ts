// @vitest-environment node
/** The sync protocol on the wire, with a raw WebSocket: what the official clients rely on. */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { WebSocket } from "ws";
import type { Backend } from "../../dev/backend";
import { decodeTimestamp, encodeTimestamp } from "../../dev/backend/values";
import { testBackend } from "./fixtures";

let backend: Backend;
beforeAll(async () => {
  backend = await testBackend({ pingIntervalMs: 100 });
});
afterAll(() => backend.stop());

type Message = Record<string, unknown> & { type: string };

/** A raw socket to the sync endpoint: sends JSON, collects what comes back. */
async function rawSocket() {
  const ws = new WebSocket(`${backend.url.replace("http", "ws")}/api/1.48.0/sync`);
  const received: Message[] = [];
  const waiters: (() => void)[] = [];
  ws.on("message", (data) => {
    received.push(JSON.parse(data.toString()) as Message);
    waiters.splice(0).forEach((wake) => wake());
  });
  const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
  await new Promise((resolve) => ws.once("open", resolve));
  const send = (message: object) => ws.send(JSON.stringify(message));
  /** The next message of `type` not yet taken. */
  async function next(type: string): Promise<Message> {
    for (;;) {
      const index = received.findIndex((message) => message.type === type);
      if (index !== -1) return received.splice(index, 1)[0]!;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  }
  send({ type: "Connect", sessionId: crypto.randomUUID(), connectionCount: 0, lastCloseReason: null, clientTs: Date.now() });
  return { ws, send, next, closed, received };
}

const sockets: WebSocket[] = [];
afterEach(() => sockets.splice(0).forEach((ws) => ws.terminate()));
const open = async () => {
  const socket = await rawSocket();
  sockets.push(socket.ws);
  return socket;
};

test("timestamps are the base64 of 8 little-endian bytes", () => {
  expect(encodeTimestamp(1n)).toBe("AQAAAAAAAAA=");
  expect(encodeTimestamp(0x0102030405060708n)).toBe("CAcGBQQDAgE=");
  expect(decodeTimestamp(encodeTimestamp(1_796_000_000_123_456_789n))).toBe(1_796_000_000_123_456_789n);
  expect(() => decodeTimestamp("AQAA")).toThrow(TypeError);
});

describe("transitions", () => {
  test("start where the last one ended, from zero on each socket, and carry only changed results", async () => {
    const socket = await open();
    socket.send({
      type: "ModifyQuerySet",
      baseVersion: 0,
      newVersion: 1,
      modifications: [{ type: "Add", queryId: 0, udfPath: "notes:list", args: [{}] }],
    });
    const first = await socket.next("Transition");
    expect(first.startVersion).toEqual({ querySet: 0, identity: 0, ts: encodeTimestamp(0n) });
    expect(first.endVersion).toMatchObject({ querySet: 1, identity: 0 });
    expect(first.modifications).toEqual([
      { type: "QueryUpdated", queryId: 0, value: expect.any(Array), logLines: [], journal: null },
    ]);

    socket.send({ type: "Mutation", requestId: 0, udfPath: "notes:add", args: [{ text: "on the wire" }] });
    const response = await socket.next("MutationResponse");
    expect(response).toMatchObject({ requestId: 0, success: true, result: expect.any(Number) });
    const second = await socket.next("Transition");
    expect(second.startVersion).toEqual(first.endVersion);
    const committed = decodeTimestamp(response.ts as string);
    expect(decodeTimestamp((second.endVersion as { ts: string }).ts)).toBeGreaterThanOrEqual(committed);
    expect(second.modifications).toEqual([expect.objectContaining({ type: "QueryUpdated", queryId: 0 })]);

    socket.send({ type: "ModifyQuerySet", baseVersion: 1, newVersion: 2, modifications: [{ type: "Remove", queryId: 0 }] });
    const third = await socket.next("Transition");
    expect(third.startVersion).toEqual(second.endVersion);
    expect(third.modifications).toEqual([{ type: "QueryRemoved", queryId: 0 }]);
  });

  test("a query that throws is reported as failed, with a ConvexError's data", async () => {
    const socket = await open();
    socket.send({
      type: "ModifyQuerySet",
      baseVersion: 0,
      newVersion: 1,
      modifications: [{ type: "Add", queryId: 7, udfPath: "notes:nowhere", args: [{}] }],
    });
    const transition = await socket.next("Transition");
    expect(transition.modifications).toEqual([
      expect.objectContaining({ type: "QueryFailed", queryId: 7, errorMessage: expect.stringMatching(/notes:nowhere/) }),
    ]);
  });
});

test("an idle socket is pinged", async () => {
  const socket = await open();
  await socket.next("Ping");
  await socket.next("Ping");
});

test("a token that does not verify ends the socket with an AuthError for the attempted version", async () => {
  const socket = await open();
  socket.send({ type: "Authenticate", tokenType: "User", value: "not-a-jwt", baseVersion: 0 });
  expect(await socket.next("AuthError")).toEqual({
    type: "AuthError",
    error: expect.stringMatching(/^InvalidAuthHeader/),
    baseVersion: 0,
    authUpdateAttempted: true,
  });
  await socket.closed;
});

test("a query set modification from the wrong base version is a fatal error", async () => {
  const socket = await open();
  socket.send({ type: "ModifyQuerySet", baseVersion: 3, newVersion: 4, modifications: [] });
  expect((await socket.next("FatalError")).error).toMatch(/BaseVersionMismatch/);
  await socket.closed;
});
