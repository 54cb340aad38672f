// @vitest-environment node
import { afterEach, describe, expect, test } from "vitest";
import { isDeliveryError, type DeliveryError } from "convex-warden/delivery";
import { twilioSms } from "convex-warden/delivery/twilio";
import { expectNothingSecret, json, loopback, refusedOrigin, rejection, silence, type Loopback } from "./loopback";

const ACCOUNT_SID = "AC3f0c2a9e8b7d6c5b4a39281706f5e4d3";
const AUTH_TOKEN = "9b1d2c3e4f5a6b7c8d9e0f1a2b3c4d5e";
const SERVICE_SID = "MG0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const CODE = "731904";
const TO = "+447700900123";
const SECRETS = [AUTH_TOKEN, CODE, TO, "7700900123"];
const message = { to: TO, text: `${CODE} is your Acme code. It expires in 10 minutes.` };

/** A Message resource as Twilio answers a create (201), trimmed to the usual fields. */
const created = {
  account_sid: ACCOUNT_SID,
  api_version: "2010-04-01",
  body: message.text,
  date_created: "Thu, 24 Aug 2023 05:01:45 +0000",
  date_sent: null,
  date_updated: "Thu, 24 Aug 2023 05:01:45 +0000",
  direction: "outbound-api",
  error_code: null,
  error_message: null,
  from: "+15557122661",
  messaging_service_sid: null,
  num_media: "0",
  num_segments: "1",
  price: null,
  price_unit: null,
  sid: "SM1f0e8ae6ade43cb3c0ce4525424e404f",
  status: "queued",
  subresource_uris: { media: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/SM1f0e8ae6ade43cb3c0ce4525424e404f/Media.json` },
  to: TO,
  uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/SM1f0e8ae6ade43cb3c0ce4525424e404f.json`,
};

/** Twilio's error body: code, message, more_info, status. */
const twilioError = (status: number, code: number, text: string) => ({
  code,
  message: text,
  more_info: `https://www.twilio.com/docs/errors/${code}`,
  status,
});

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const sender = (origin: string, timeoutMs?: number) =>
  twilioSms({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    from: "+15557122661",
    baseUrl: origin,
    ...(timeoutMs ? { timeoutMs } : {}),
  });

async function failureOf(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await rejection(promise);
  expect(isDeliveryError(error)).toBe(true);
  expectNothingSecret(error, SECRETS);
  return error as DeliveryError;
}

test("POSTs a form to the account's Messages.json with Basic auth and returns the message SID", async () => {
  server = await loopback(json(201, created));
  const receipt = await sender(server.origin).send(message);

  expect(receipt).toEqual({ id: "SM1f0e8ae6ade43cb3c0ce4525424e404f" });
  const [request] = server.received;
  expect(request!.method).toBe("POST");
  expect(request!.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
  const basic = Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`, "utf8").toString("base64");
  expect(request!.headers.authorization).toBe(`Basic ${basic}`);
  expect(request!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
  expect(Object.fromEntries(new URLSearchParams(request!.body))).toEqual({
    To: TO,
    From: "+15557122661",
    Body: message.text,
  });
});

test("through a Messaging Service, MessagingServiceSid replaces From", async () => {
  server = await loopback(json(201, { ...created, from: null, messaging_service_sid: SERVICE_SID }));
  await twilioSms({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, messagingServiceSid: SERVICE_SID, baseUrl: server.origin }).send(
    message,
  );
  expect(Object.fromEntries(new URLSearchParams(server.received[0]!.body))).toEqual({
    To: TO,
    MessagingServiceSid: SERVICE_SID,
    Body: message.text,
  });
});

describe("failures", () => {
  test("an invalid number (400, 21211) is DELIVERY_REJECTED; Twilio's text, which quotes the number, is not repeated", async () => {
    server = await loopback(json(400, twilioError(400, 21211, `The 'To' number ${TO} is not a valid phone number.`)));
    const error = await failureOf(sender(server.origin).send(message));
    expect(error.code).toBe("DELIVERY_REJECTED");
    expect(error.status).toBe(400);
    expect(error.detail).toBe("21211");
    expect(error.provider).toBe("twilio");
    expect(error.message).toContain("+44••••••••23");
  });

  test("bad credentials (401, 20003) are DELIVERY_REJECTED", async () => {
    server = await loopback(json(401, twilioError(401, 20003, "Authenticate")));
    const error = await failureOf(sender(server.origin).send(message));
    expect(error.code).toBe("DELIVERY_REJECTED");
    expect(error.status).toBe(401);
    expect(error.detail).toBe("20003");
  });

  test("429 (20429) with Retry-After is DELIVERY_UNAVAILABLE with retryAfterMs", async () => {
    server = await loopback(json(429, twilioError(429, 20429, "Too Many Requests"), { "retry-after": "30" }));
    const error = await failureOf(sender(server.origin).send(message));
    expect(error.code).toBe("DELIVERY_UNAVAILABLE");
    expect(error.retryAfterMs).toBe(30_000);
    expect(error.detail).toBe("20429");
  });

  test("503 with a Retry-After date is DELIVERY_UNAVAILABLE", async () => {
    const inOneMinute = new Date(Date.now() + 60_000).toUTCString();
    server = await loopback(json(503, twilioError(503, 20503, "Service unavailable"), { "retry-after": inOneMinute }));
    const error = await failureOf(sender(server.origin).send(message));
    expect(error.code).toBe("DELIVERY_UNAVAILABLE");
    expect(error.status).toBe(503);
    expect(error.retryAfterMs).toBeGreaterThan(55_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  test("a server that never answers is DELIVERY_UNAVAILABLE after the timeout", async () => {
    server = await loopback(silence);
    const started = Date.now();
    const error = await failureOf(sender(server.origin, 150).send(message));
    expect(error.code).toBe("DELIVERY_UNAVAILABLE");
    expect(error.detail).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test("a refused connection is DELIVERY_UNAVAILABLE", async () => {
    const error = await failureOf(sender(await refusedOrigin()).send(message));
    expect(error.code).toBe("DELIVERY_UNAVAILABLE");
    expect(error.detail).toBe("ECONNREFUSED");
  });
});

describe("options and messages are checked", () => {
  const valid = { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: "+15557122661" };

  test.each([
    ["a malformed account SID", { ...valid, accountSid: "AC123" }],
    ["no auth token", { ...valid, authToken: "" }],
    ["neither from nor a service", { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN }],
    ["both from and a service", { ...valid, messagingServiceSid: SERVICE_SID }],
    ["a malformed service SID", { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, messagingServiceSid: "MG1" }],
    ["plain http to a remote host", { ...valid, baseUrl: "http://api.twilio.com" }],
    ["a timeout that is not an integer", { ...valid, timeoutMs: 1.5 }],
  ])("%s is a TypeError that does not show the token", (_, options) => {
    let thrown: unknown;
    try {
      twilioSms(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).message).not.toContain(AUTH_TOKEN);
  });

  test("a number not in E.164 form is a TypeError before anything is sent", async () => {
    server = await loopback(json(201, created));
    const sms = sender(server.origin);
    for (const to of ["07700900123", "+44 7700 900123", "+0123456789", "+1"]) {
      await expect(sms.send({ ...message, to })).rejects.toBeInstanceOf(TypeError);
    }
    expect(server.received).toHaveLength(0);
  });
});
