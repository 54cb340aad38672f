// @vitest-environment node
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { isWardenError } from "convex-warden/client";
import { api as example } from "../../example/convex/_generated/api";
import type { Backend } from "../../dev/backend";
import { api, closeAll, httpClient, socketClient, testBackend, watch } from "./fixtures";

let backend: Backend;
beforeAll(async () => {
  backend = await testBackend();
});
afterEach(closeAll);
afterAll(() => backend.stop());

const credentials = { email: "http@example.com", password: "correct horse battery" };

describe("ConvexHttpClient", () => {
  test("runs queries, mutations and actions", async () => {
    const http = httpClient(backend);
    const count = await http.mutation(api.add, { text: "over HTTP" });
    expect(await http.action(api.addFromAction, { text: "an HTTP action call" })).toBe(count + 1);
    expect(await http.query(api.list, {})).toEqual(expect.arrayContaining(["over HTTP", "an HTTP action call"]));
  });

  test("a thrown ConvexError reaches the client with its data, so isWardenError works", async () => {
    const http = httpClient(backend);
    const signUp = { provider: "password", params: { flow: "signUp", ...credentials } } as const;
    expect(await http.mutation(example.auth.signIn, signUp)).toMatchObject({ kind: "signedIn" });
    // Malformed params are thrown (and roll back), with a code and the field they concern.
    const malformed = { provider: "password", params: { flow: "signUp", email: 42 } } as never;
    const error = await http.mutation(example.auth.signIn, malformed).catch((caught: unknown) => caught);
    expect(isWardenError(error)).toBe(true);
    expect(isWardenError(error) && error.data).toMatchObject({ code: "INVALID_ARGUMENT", field: "email" });
  });

  test("a failure that is returned, not thrown, stays a result", async () => {
    const result = await httpClient(backend).mutation(example.auth.signIn, {
      provider: "password",
      params: { flow: "signIn", email: credentials.email, password: "not the password" },
    });
    expect(result).toMatchObject({ kind: "failed", error: { code: "INVALID_CREDENTIALS" } });
  });

  test("a mutation over HTTP updates the sockets' subscriptions", async () => {
    const client = socketClient(backend);
    const seen = watch<string[]>((onValue) => client.onUpdate(api.list, {}, onValue));
    await seen.next(() => true);
    await httpClient(backend).mutation(api.add, { text: "pushed after HTTP" });
    await seen.next((notes) => notes.includes("pushed after HTTP"));
  });
});

describe("the wire", () => {
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${backend.url}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  test("a failed function is a 560 with the message and the ConvexError data", async () => {
    const response = await post("/api/mutation", { path: "notes:refuse", format: "convex_encoded_json", args: [{}] });
    expect(response.status).toBe(560);
    expect(await response.json()).toEqual({
      status: "error",
      errorMessage: expect.stringContaining("ConvexError"),
      errorData: { code: "INVALID_CREDENTIALS" },
      logLines: [],
    });
  });

  test("a token that does not verify is a 401 with a code", async () => {
    const response = await post("/api/query", { path: "notes:whoami", args: [{}] }, { Authorization: "Bearer nope" });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: "InvalidAuthHeader" });
  });

  test("a malformed body is a 400 with a code", async () => {
    const response = await fetch(`${backend.url}/api/query`, { method: "POST", body: "{" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "BadJsonBody" });
  });

  test("browsers on another origin may call the API", async () => {
    const preflight = await fetch(`${backend.url}/api/mutation`, {
      method: "OPTIONS",
      headers: {
        Origin: "http://127.0.0.1:5173",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, convex-client",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("http://127.0.0.1:5173");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("authorization");
    const call = await post("/api/query", { path: "notes:list", args: [{}] }, { Origin: "http://127.0.0.1:5173" });
    expect(call.headers.get("access-control-allow-origin")).toBe("http://127.0.0.1:5173");
  });
});
