/**
 * Email or SMS handed to the app's own service: a JSON POST to a URL the app
 * chooses. Runs in Convex's default runtime: it needs only `fetch`.
 *
 * The request:
 *
 * ```http
 * POST <url>
 * Content-Type: application/json
 * X-Warden-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the secret>
 * Idempotency-Key: <message.idempotencyKey, when the message has one>
 *
 * {"type":"email","timestamp":1767225600,"message":{"to":"…","subject":"…","text":"…","html":"…"}}
 * ```
 *
 * `type` is "email" or "sms"; `timestamp` is the send time in Unix seconds;
 * `message` holds the `EmailMessage` fields that are set (`to`, `subject`,
 * `text`, `html`, `from`, `replyTo`, `headers`) or the `SmsMessage`'s `to` and
 * `text`. The receiver should compute the HMAC over the body bytes exactly as
 * received, compare it in constant time, and refuse a `timestamp` more than a
 * few minutes old (the signature covers it, so a captured request cannot be
 * replayed later). Any 2xx answer is success; a JSON answer `{ "id": "…" }`
 * becomes the receipt id. 408, 429 and 5xx are `DELIVERY_UNAVAILABLE`, any
 * other status `DELIVERY_REJECTED`.
 */
import { hmac } from "@oslojs/crypto/hmac";
import { SHA256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { maskEmail, maskPhone } from "../lib/mask.js";
import { failure, globalFetch, isSuccess, jsonField, post } from "./internal/http.js";
import {
  checkEmailMessage,
  checkFunction,
  checkHeaders,
  checkOptionalToken,
  checkSmsMessage,
  checkTimeout,
  checkUrl,
  fail,
} from "./internal/validate.js";
import {
  DEFAULT_TIMEOUT_MS,
  type DeliveryReceipt,
  type EmailMessage,
  type EmailSender,
  type Fetch,
  type SmsMessage,
  type SmsSender,
} from "./types.js";

export interface WebhookOptions {
  /** Where to POST: https, or http on localhost. Required. */
  url: string;
  /**
   * The HMAC-SHA256 key for the `X-Warden-Signature` header, at least 32
   * bytes (a string counts as its UTF-8 bytes). Default: none, no signature
   * header; set one unless `headers` already authenticate the request.
   */
  secret?: string | Uint8Array;
  /** Headers sent with every request, e.g. `{ authorization: "Bearer …" }`. Default: none. */
  headers?: Record<string, string>;
  /** The fetch to call. Default: the global `fetch`. */
  fetch?: Fetch;
  /** How long to wait for the whole answer, in ms. Default 10000. */
  timeoutMs?: number;
  /** The clock for `timestamp`, in ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

export interface WebhookEmailOptions extends WebhookOptions {
  /** The sender put in `message.from` when the message has none. Default: none (the receiver decides). */
  from?: string;
}

/** The name of the signature header. */
export const SIGNATURE_HEADER = "x-warden-signature";
const MIN_SECRET_BYTES = 32;

/** An `EmailSender` that POSTs each message to the app's own mail service. */
export function webhookEmail(options: WebhookEmailOptions): EmailSender {
  const where = "webhookEmail";
  const deliver = poster(where, options);
  const from = checkOptionalToken(where, "from", options.from);
  return {
    kind: "email",
    id: "webhook",
    send(message: EmailMessage) {
      checkEmailMessage(where, message);
      const { to, subject, text, html, replyTo, headers } = message;
      const sender = message.from ?? from;
      const fields = { to, subject, text, html, from: sender, replyTo, headers };
      return deliver("email", maskEmail(to), fields, message.idempotencyKey);
    },
  };
}

/** An `SmsSender` that POSTs each message to the app's own SMS service. */
export function webhookSms(options: WebhookOptions): SmsSender {
  const where = "webhookSms";
  const deliver = poster(where, options);
  return {
    kind: "sms",
    id: "webhook",
    send(message: SmsMessage) {
      checkSmsMessage(where, message);
      return deliver("sms", maskPhone(message.to), { to: message.to, text: message.text }, message.idempotencyKey);
    },
  };
}

type Poster = (
  type: "email" | "sms",
  recipient: string,
  message: Record<string, unknown>,
  idempotencyKey: string | undefined,
) => Promise<DeliveryReceipt>;

function poster(where: string, options: WebhookOptions): Poster {
  if (typeof options !== "object" || options === null) fail(where, "options are required");
  const url = checkUrl(where, "url", options.url);
  const key = secretBytes(where, options.secret);
  const staticHeaders = checkHeaders(where, "headers", options.headers);
  const fetch = checkFunction(where, "fetch", options.fetch) ?? globalFetch;
  const timeoutMs = checkTimeout(where, options.timeoutMs, DEFAULT_TIMEOUT_MS);
  const now = checkFunction(where, "now", options.now) ?? Date.now;

  return async (type, recipient, message, idempotencyKey) => {
    const timestamp = Math.floor(now() / 1000);
    // JSON.stringify drops the fields that are undefined.
    const body = JSON.stringify({ type, timestamp, message });
    const headers: Record<string, string> = { ...lowerCased(staticHeaders), "content-type": "application/json" };
    if (key !== undefined) headers[SIGNATURE_HEADER] = `sha256=${signature(key, body)}`;
    if (idempotencyKey !== undefined) headers["idempotency-key"] = idempotencyKey;
    const request = { provider: "webhook", recipient, url, headers, body, fetch, timeoutMs };
    const answer = await post(request);
    // The answer's text is the app's own and could echo anything: only the status is used.
    if (!isSuccess(answer.status)) throw failure(request, answer);
    const id = jsonField(answer.json, "id");
    return typeof id === "string" && id !== "" ? { id } : {};
  };
}

/** Hex HMAC-SHA256 of the body's UTF-8 bytes. */
function signature(key: Uint8Array, body: string): string {
  return encodeHexLowerCase(hmac(SHA256, key, new TextEncoder().encode(body)));
}

function secretBytes(where: string, secret: unknown): Uint8Array | undefined {
  if (secret === undefined) return undefined;
  const bytes =
    typeof secret === "string" ? new TextEncoder().encode(secret) : secret instanceof Uint8Array ? secret : undefined;
  if (bytes === undefined || bytes.length < MIN_SECRET_BYTES) {
    fail(where, `secret must be a string or Uint8Array of at least ${MIN_SECRET_BYTES} bytes`);
  }
  return bytes.slice();
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
