// @vitest-environment node
import { createHmac, timingSafeEqual } from "node:crypto";
import { afterEach, describe, expect, test } from "vitest";
import { isDeliveryError, type DeliveryError } from "convex-warden/delivery";
import { webhookEmail, webhookSms } from "convex-warden/delivery/webhook";
import { expectNothingSecret, json, loopback, refusedOrigin, rejection, silence, type Loopback, type Received } from "./loopback";

const SECRET = "whsec-7f3a9c2e5b8d1f4a6c0e2b4d6f8a1c3e";
const SERVICE_TOKEN = "svc_Z8yX7wV6uT5sR4qP3oN2";
const CODE = "58203417";
const TO = "grace.hopper@example.com";
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const SECRETS = [SECRET, SERVICE_TOKEN, CODE, TO];

const message = {
  to: TO,
  subject: "Your sign-in code for Acme",
  text: `Enter this code: ${CODE}`,
  html: `<p>Enter this code: <strong>${CODE}</strong></p>`,
};

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const email = (origin: string, extra: object = {}) =>
  webhookEmail({ url: `${origin}/hooks/mail`, secret: SECRET, now: () => NOW, ...extra });

/** What a receiving service does: HMAC-SHA256 of the raw body with the shared secret, compared in constant time. */
function verifies(request: Received, secret: string | Buffer): boolean {
  const header = request.headers["x-warden-signature"];
  if (typeof header !== "string" || !header.startsWith("sha256=")) return false;
  const expected = createHmac("sha256", secret).update(request.body, "utf8").digest();
  const given = Buffer.from(header.slice("sha256=".length), "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function failureOf(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await rejection(promise);
  expect(isDeliveryError(error)).toBe(true);
  expectNothingSecret(error, SECRETS);
  return error as DeliveryError;
}

test("POSTs the email as JSON, signed with HMAC-SHA256 over the raw body", async () => {
  server = await loopback(json(202, { id: "mail-7781" }));
  const receipt = await email(server.origin, {
    from: "Acme <auth@acme.example>",
    headers: { Authorization: `Bearer ${SERVICE_TOKEN}` },
  }).send({ ...message, idempotencyKey: "sign-in/abc" });

  expect(receipt).toEqual({ id: "mail-7781" });
  const [request] = server.received;
  expect(request!.method).toBe("POST");
  expect(request!.path).toBe("/hooks/mail");
  expect(request!.headers["content-type"]).toBe("application/json");
  expect(request!.headers.authorization).toBe(`Bearer ${SERVICE_TOKEN}`);
  expect(request!.headers["idempotency-key"]).toBe("sign-in/abc");
  expect(JSON.parse(request!.body)).toEqual({
    type: "email",
    timestamp: NOW / 1000,
    message: { ...message, from: "Acme <auth@acme.example>" },
  });
  expect(verifies(request!, SECRET)).toBe(true);
  expect(verifies(request!, `${SECRET}x`)).toBe(false);
  expect(verifies({ ...request!, body: request!.body.replace(CODE, "00000000") }, SECRET)).toBe(false);
});

test("the URL is used exactly as given, query and trailing slash included", async () => {
  server = await loopback(json(200, {}));
  await webhookEmail({ url: `${server.origin}/hooks/mail/?tenant=acme` }).send(message);
  expect(server.received[0]!.path).toBe("/hooks/mail/?tenant=acme");
});

test("a Uint8Array secret signs with exactly those bytes", async () => {
  const key = Buffer.from("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", "hex");
  server = await loopback(json(200, {}));
  await webhookEmail({ url: server.origin, secret: new Uint8Array(key) }).send(message);
  expect(verifies(server.received[0]!, key)).toBe(true);
});

test("SMS goes as type sms with to and text; without a secret there is no signature header", async () => {
  server = await loopback(json(200, { id: "sms-1" }));
  const receipt = await webhookSms({ url: server.origin, now: () => NOW }).send({ to: "+15551234567", text: `Code ${CODE}` });
  expect(receipt).toEqual({ id: "sms-1" });
  const [request] = server.received;
  expect(request!.headers["x-warden-signature"]).toBeUndefined();
  expect(JSON.parse(request!.body)).toEqual({
    type: "sms",
    timestamp: NOW / 1000,
    message: { to: "+15551234567", text: `Code ${CODE}` },
  });
});

test("the app's headers cannot replace the content type or the signature", async () => {
  server = await loopback(json(200, {}));
  await email(server.origin, { headers: { "Content-Type": "text/plain", "X-Warden-Signature": "sha256=00" } }).send(message);
  const [request] = server.received;
  expect(request!.headers["content-type"]).toBe("application/json");
  expect(verifies(request!, SECRET)).toBe(true);
});

describe("failures", () => {
  test("a 4xx is DELIVERY_REJECTED and the service's answer is not repeated", async () => {
    server = await loopback(json(400, { error: `bad recipient ${TO}`, code: CODE }));
    const error = await failureOf(email(server.origin).send(message));
    expect(error.code).toBe("DELIVERY_REJECTED");
    expect(error.status).toBe(400);
    expect(error.detail).toBeUndefined();
    expect(error.provider).toBe("webhook");
  });

  test("a 503 with Retry-After is DELIVERY_UNAVAILABLE with retryAfterMs", async () => {
    server = await loopback(json(503, {}, { "retry-after": "5" }));
    const error = await failureOf(email(server.origin).send(message));
    expect(error.code).toBe("DELIVERY_UNAVAILABLE");
    expect(error.retryAfterMs).toBe(5000);
  });

  test("a service that never answers is DELIVERY_UNAVAILABLE after the timeout", async () => {
    server = await loopback(silence);
    const error = await failureOf(email(server.origin, { timeoutMs: 150 }).send(message));
    expect(error.code).toBe("DELIVERY_UNAVAILABLE");
    expect(error.detail).toBe("timeout");
  });

  test("a refused connection is DELIVERY_UNAVAILABLE", async () => {
    const error = await failureOf(email(await refusedOrigin()).send(message));
    expect(error.code).toBe("DELIVERY_UNAVAILABLE");
    expect(error.detail).toBe("ECONNREFUSED");
  });
});

describe("options are checked", () => {
  test.each([
    ["no url", { url: undefined }],
    ["plain http to a remote host", { url: "http://mail.acme.example/send" }],
    ["a short secret", { url: "https://mail.acme.example", secret: "too-short" }],
    ["a secret of the wrong type", { url: "https://mail.acme.example", secret: 12345 }],
    ["a header with a line break", { url: "https://mail.acme.example", headers: { "X-A": "b\r\nX-Injected: 1" } }],
    ["a bad header name", { url: "https://mail.acme.example", headers: { "X A": "b" } }],
  ])("%s is a TypeError that does not show the secret", (_, options) => {
    expect(() => webhookEmail(options as never)).toThrow(TypeError);
    try {
      webhookEmail(options as never);
    } catch (error) {
      expect((error as Error).message).not.toContain("too-short");
    }
  });
});
