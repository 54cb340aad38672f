import { expect, test } from "vitest";
import { isDeliveryError, type DeliveryError } from "convex-warden/delivery";
import { resend } from "convex-warden/delivery/resend";
import { codeForStatus, parseRetryAfter } from "../../src/delivery/internal/http";

test.each([
  [301, "DELIVERY_REJECTED"],
  [400, "DELIVERY_REJECTED"],
  [401, "DELIVERY_REJECTED"],
  [403, "DELIVERY_REJECTED"],
  [404, "DELIVERY_REJECTED"],
  [408, "DELIVERY_UNAVAILABLE"],
  [409, "DELIVERY_REJECTED"],
  [422, "DELIVERY_REJECTED"],
  [429, "DELIVERY_UNAVAILABLE"],
  [500, "DELIVERY_UNAVAILABLE"],
  [502, "DELIVERY_UNAVAILABLE"],
  [503, "DELIVERY_UNAVAILABLE"],
])("status %i is %s", (status, code) => {
  expect(codeForStatus(status)).toBe(code);
});

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

test.each([
  [null, undefined],
  ["0", 0],
  ["2", 2000],
  [" 120 ", 120_000],
  ["Thu, 01 Jan 2026 12:00:30 GMT", 30_000],
  ["Thu, 01 Jan 2026 11:59:00 GMT", 0],
  ["-5", undefined],
  ["1.5", undefined],
  ["soon", undefined],
  ["", undefined],
])("Retry-After %j is %j ms", (header, ms) => {
  expect(parseRetryAfter(header, NOW)).toBe(ms);
});

test("the timeout holds even when an injected fetch ignores the abort signal", async () => {
  const neverSettles = () => new Promise<Response>(() => {});
  const email = resend({ apiKey: "re_key", from: "a@acme.example", fetch: neverSettles, timeoutMs: 50 });
  const error = await email.send({ to: "ada@example.com", subject: "s", text: "t" }).catch((e: unknown) => e);
  expect(isDeliveryError(error)).toBe(true);
  expect((error as DeliveryError).code).toBe("DELIVERY_UNAVAILABLE");
  expect((error as DeliveryError).detail).toBe("timeout");
});

test("a body that stalls after the headers counts against the same timeout", async () => {
  const stalls = async () =>
    new Response(new ReadableStream({ start: () => {} }), { status: 200, headers: { "content-type": "application/json" } });
  const email = resend({ apiKey: "re_key", from: "a@acme.example", fetch: stalls, timeoutMs: 50 });
  const error = await email.send({ to: "ada@example.com", subject: "s", text: "t" }).catch((e: unknown) => e);
  expect((error as DeliveryError).code).toBe("DELIVERY_UNAVAILABLE");
  expect((error as DeliveryError).detail).toBe("timeout");
});

test("a fetch that throws is DELIVERY_UNAVAILABLE, and the thrown text is not repeated", async () => {
  const throws = async () => {
    throw new TypeError("fetch failed: https://hooks.acme.example/send?token=s3cr3t");
  };
  const email = resend({ apiKey: "re_key", from: "a@acme.example", fetch: throws });
  const error = (await email.send({ to: "ada@example.com", subject: "s", text: "t" }).catch((e: unknown) => e)) as DeliveryError;
  expect(error.code).toBe("DELIVERY_UNAVAILABLE");
  expect(error.detail).toBe("network");
  expect(error.message).not.toContain("s3cr3t");
  expect(error.cause).toBeUndefined();
});
