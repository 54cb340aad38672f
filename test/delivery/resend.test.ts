// @vitest-environment node
import { afterEach, describe, expect, test } from "vitest";
import { isDeliveryError, type DeliveryError } from "convex-warden/delivery";
import { resend } from "convex-warden/delivery/resend";
import { expectNothingSecret, json, loopback, refusedOrigin, rejection, silence, type Loopback } from "./loopback";

const API_KEY = "re_Tq9xS3cR7bLm_2VfKpW8nZyD4hJ6aE1g";
const CODE = "48291375";
const LINK = "https://app.example.com/auth/link?token=kP3vX9qL2mZ8wR5tY7uB1nC4";
const TO = "ada.lovelace@example.com";
const SECRETS = [API_KEY, CODE, LINK, "token=kP3vX9", TO];

const message = {
  to: TO,
  subject: "Your sign-in code for Acme",
  text: `Enter this code: ${CODE}\nOr open ${LINK}`,
  html: `<p>Enter this code: <strong>${CODE}</strong></p><p><a href="${LINK}">Sign in</a></p>`,
};

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const sender = (origin: string, timeoutMs?: number) =>
  resend({ apiKey: API_KEY, from: "Acme <auth@acme.example>", baseUrl: origin, ...(timeoutMs ? { timeoutMs } : {}) });

async function failureOf(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await rejection(promise);
  expect(isDeliveryError(error)).toBe(true);
  expectNothingSecret(error, SECRETS);
  return error as DeliveryError;
}

test("POSTs the message to /emails as Resend's API expects and returns Resend's id", async () => {
  server = await loopback(json(200, { id: "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794" }));
  const receipt = await sender(server.origin).send({ ...message, replyTo: "help@acme.example", idempotencyKey: "sign-in/123" });

  expect(receipt).toEqual({ id: "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794" });
  expect(server.received).toHaveLength(1);
  const [request] = server.received;
  expect(request!.method).toBe("POST");
  expect(request!.path).toBe("/emails");
  expect(request!.headers.authorization).toBe(`Bearer ${API_KEY}`);
  expect(request!.headers["content-type"]).toBe("application/json");
  expect(request!.headers["idempotency-key"]).toBe("sign-in/123");
  expect(JSON.parse(request!.body)).toEqual({
    from: "Acme <auth@acme.example>",
    to: [TO],
    subject: message.subject,
    text: message.text,
    html: message.html,
    reply_to: "help@acme.example",
  });
});

test("a message's own sender and headers win; no html, reply_to or idempotency key when none is given", async () => {
  server = await loopback(json(200, { id: "b1" }));
  await sender(server.origin).send({
    to: TO,
    subject: "s",
    text: "t",
    from: "Other <other@acme.example>",
    headers: { "X-Entity-Ref-ID": "42" },
  });
  const [request] = server.received;
  expect(request!.headers["idempotency-key"]).toBeUndefined();
  expect(JSON.parse(request!.body)).toEqual({
    from: "Other <other@acme.example>",
    to: [TO],
    subject: "s",
    text: "t",
    headers: { "X-Entity-Ref-ID": "42" },
  });
});

test("a base URL with a path prefix and a trailing slash gets /emails appended once", async () => {
  server = await loopback(json(200, { id: "c1" }));
  await sender(`${server.origin}/proxy/resend/`).send(message);
  expect(server.received[0]!.path).toBe("/proxy/resend/emails");
});

test("a 2xx answer without an id is still a success, with no receipt id", async () => {
  server = await loopback((_, response) => {
    response.writeHead(200, { "content-type": "text/plain" });
    response.end("ok");
  });
  expect(await sender(server.origin).send(message)).toEqual({});
});

describe("failures", () => {
  test("422 validation_error is DELIVERY_REJECTED, and Resend's text (which quotes the address) is not repeated", async () => {
    server = await loopback(
      json(422, { statusCode: 422, name: "validation_error", message: `Invalid \`to\` field: ${TO} ${CODE}` }),
    );
    const error = await failureOf(sender(server.origin).send(message));
    expect(error.code).toBe("DELIVERY_REJECTED");
    expect(error.status).toBe(422);
    expect(error.detail).toBe("validation_error");
    expect(error.provider).toBe("resend");
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.message).toContain("a•••e@example.com");
  });

  test("an invalid API key (403) is DELIVERY_REJECTED", async () => {
    server = await loopback(json(403, { statusCode: 403, name: "invalid_api_key", message: "API key is invalid" }));
    const error = await failureOf(sender(server.origin).send(message));
    expect(error.code).toBe("DELIVERY_REJECTED");
    expect(error.status).toBe(403);
    expect(error.detail).toBe("invalid_api_key");
  });

  test("429 with Retry-After is DELIVERY_UNAVAILABLE with retryAfterMs", async () => {
    server = await loopback(
      json(429, { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests." }, { "retry-after": "2" }),
    );
    const error = await failureOf(sender(server.origin).send(message));
    expect(error.code).toBe("DELIVERY_UNAVAILABLE");
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(2000);
    expect(error.detail).toBe("rate_limit_exceeded");
  });

  test("500 is DELIVERY_UNAVAILABLE", async () => {
    server = await loopback(json(500, { statusCode: 500, name: "application_error", message: "Unexpected error" }));
    const error = await failureOf(sender(server.origin).send(message));
    expect(error.code).toBe("DELIVERY_UNAVAILABLE");
    expect(error.status).toBe(500);
  });

  test("a server that never answers is DELIVERY_UNAVAILABLE after the timeout", async () => {
    server = await loopback(silence);
    const started = Date.now();
    const error = await failureOf(sender(server.origin, 200).send(message));
    const elapsed = Date.now() - started;
    expect(error.code).toBe("DELIVERY_UNAVAILABLE");
    expect(error.detail).toBe("timeout");
    expect(error.status).toBeUndefined();
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2000);
    expect(server.received).toHaveLength(1);
  });

  test("a refused connection is DELIVERY_UNAVAILABLE", async () => {
    const error = await failureOf(sender(await refusedOrigin()).send(message));
    expect(error.code).toBe("DELIVERY_UNAVAILABLE");
    expect(error.detail).toBe("ECONNREFUSED");
  });

  test("a redirect is not followed (it would carry the key elsewhere) and is DELIVERY_REJECTED", async () => {
    server = await loopback((_, response) => {
      response.writeHead(307, { location: "/elsewhere" });
      response.end();
    });
    const error = await failureOf(sender(server.origin).send(message));
    expect(error.code).toBe("DELIVERY_REJECTED");
    expect(error.status).toBe(307);
    expect(server.received.map((request) => request.path)).toEqual(["/emails"]);
  });
});

describe("options and messages are checked", () => {
  const valid = { apiKey: API_KEY, from: "auth@acme.example" };

  test.each([
    ["no apiKey", { ...valid, apiKey: "" }],
    ["an apiKey with a line break", { ...valid, apiKey: `${API_KEY}\r\nX: y` }],
    ["no from", { ...valid, from: undefined }],
    ["plain http to a remote host", { ...valid, baseUrl: "http://api.resend.com" }],
    ["credentials in the URL", { ...valid, baseUrl: "https://user:pw@api.resend.com" }],
    ["a query in the base URL", { ...valid, baseUrl: "https://api.resend.com/?x=1" }],
    ["a zero timeout", { ...valid, timeoutMs: 0 }],
    ["a fetch that is not a function", { ...valid, fetch: "fetch" }],
  ])("%s is a TypeError that does not show the key", (_, options) => {
    let thrown: unknown;
    try {
      resend(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).message).not.toContain(API_KEY);
  });

  test("a malformed message is a TypeError before anything is sent", async () => {
    server = await loopback(json(200, { id: "x" }));
    const email = sender(server.origin);
    await expect(email.send({ ...message, to: "not an address" })).rejects.toBeInstanceOf(TypeError);
    await expect(email.send({ ...message, subject: "Hi\r\nBcc: x@evil.example" })).rejects.toBeInstanceOf(TypeError);
    expect(server.received).toHaveLength(0);
  });
});
