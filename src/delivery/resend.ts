/**
 * Email through Resend's HTTP API (`POST /emails`). Runs in Convex's default
 * runtime: it needs only `fetch`.
 *
 * ```ts
 * import { resend } from "convex-warden/delivery/resend";
 * const email = resend({ apiKey: process.env.AUTH_RESEND_KEY!, from: "Acme <auth@acme.com>" });
 * ```
 */
import { maskEmail } from "../lib/mask.js";
import { safeDetail } from "./errors.js";
import { failure, globalFetch, isSuccess, jsonField as field, post } from "./internal/http.js";
import {
  checkBaseUrl,
  checkEmailMessage,
  checkFunction,
  checkOptionalToken,
  checkTimeout,
  checkToken,
  fail,
  isEmailAddress,
} from "./internal/validate.js";
import { DEFAULT_TIMEOUT_MS, type EmailMessage, type EmailSender, type Fetch } from "./types.js";

export interface ResendOptions {
  /** The API key ("re_…"), passed in by the app (e.g. from its environment). Required. */
  apiKey: string;
  /** The sender, on a domain verified in Resend: "Acme <auth@acme.com>". Required; a message's `from` overrides it. */
  from: string;
  /** Where replies go, unless the message says. Default: none. */
  replyTo?: string;
  /** The API's origin. Default "https://api.resend.com". */
  baseUrl?: string;
  /** The fetch to call. Default: the global `fetch`. */
  fetch?: Fetch;
  /** How long to wait for Resend's whole answer, in ms. Default 10000. */
  timeoutMs?: number;
}

const WHERE = "resend";

/**
 * An `EmailSender` for Resend. Resolves with Resend's email id; rejects with
 * a `DeliveryError`: 4xx is `DELIVERY_REJECTED` (`detail` is Resend's error
 * name, e.g. "validation_error"), 429 and 5xx, a timeout or no connection are
 * `DELIVERY_UNAVAILABLE` (`retryAfterMs` from `Retry-After`).
 */
export function resend(options: ResendOptions): EmailSender {
  if (typeof options !== "object" || options === null) fail(WHERE, "options are required");
  const apiKey = checkToken(WHERE, "apiKey", options.apiKey);
  const from = checkToken(WHERE, "from", options.from);
  if (options.replyTo !== undefined && !isEmailAddress(options.replyTo)) fail(WHERE, "replyTo must be one email address");
  const replyTo = checkOptionalToken(WHERE, "replyTo", options.replyTo);
  const url = `${checkBaseUrl(WHERE, "baseUrl", options.baseUrl ?? "https://api.resend.com")}/emails`;
  const fetch = checkFunction(WHERE, "fetch", options.fetch) ?? globalFetch;
  const timeoutMs = checkTimeout(WHERE, options.timeoutMs, DEFAULT_TIMEOUT_MS);

  return {
    kind: "email",
    id: "resend",
    async send(message: EmailMessage) {
      checkEmailMessage(WHERE, message);
      const request = {
        provider: "resend",
        recipient: maskEmail(message.to),
        url,
        headers: {
          authorization: `Bearer ${apiKey}`,
          "content-type": "application/json",
          ...(message.idempotencyKey === undefined ? {} : { "idempotency-key": message.idempotencyKey }),
        },
        body: JSON.stringify(resendBody(message, from, replyTo)),
        fetch,
        timeoutMs,
      };
      const answer = await post(request);
      if (!isSuccess(answer.status)) throw failure(request, answer, safeDetail(field(answer.json, "name")));
      const id = field(answer.json, "id");
      // A 2xx without a readable id was still accepted: reporting a failure would invite a duplicate.
      return typeof id === "string" ? { id } : {};
    },
  };
}

/** The JSON body Resend's API takes (snake_case field names). */
function resendBody(message: EmailMessage, from: string, replyTo: string | undefined) {
  const reply = message.replyTo ?? replyTo;
  return {
    from: message.from ?? from,
    to: [message.to],
    subject: message.subject,
    text: message.text,
    ...(message.html === undefined ? {} : { html: message.html }),
    ...(reply === undefined ? {} : { reply_to: reply }),
    ...(message.headers === undefined ? {} : { headers: message.headers }),
  };
}
