/**
 * SMS through Twilio's Messages API
 * (`POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, HTTP Basic auth,
 * form-encoded). Runs in Convex's default runtime: it needs only `fetch`.
 *
 * ```ts
 * import { twilioSms } from "convex-warden/delivery/twilio";
 * const sms = twilioSms({
 *   accountSid: process.env.AUTH_TWILIO_SID!,
 *   authToken: process.env.AUTH_TWILIO_TOKEN!,
 *   messagingServiceSid: process.env.AUTH_TWILIO_SERVICE!,
 * });
 * ```
 */
import { encodeBase64 } from "@oslojs/encoding";
import { maskPhone } from "../lib/mask.js";
import { safeDetail } from "./errors.js";
import { failure, globalFetch, isSuccess, jsonField, post } from "./internal/http.js";
import { checkBaseUrl, checkFunction, checkSmsMessage, checkTimeout, checkToken, fail } from "./internal/validate.js";
import { DEFAULT_TIMEOUT_MS, type Fetch, type SmsMessage, type SmsSender } from "./types.js";

interface TwilioCommonOptions {
  /** The account SID, "AC" and 32 hex digits. Required. */
  accountSid: string;
  /** The account's auth token, passed in by the app. Required. */
  authToken: string;
  /** The API's origin. Default "https://api.twilio.com". */
  baseUrl?: string;
  /** The fetch to call. Default: the global `fetch`. */
  fetch?: Fetch;
  /** How long to wait for Twilio's whole answer, in ms. Default 10000. */
  timeoutMs?: number;
}

/** Send from one number or sender id (`from`), or through a Messaging Service (`messagingServiceSid`): exactly one. */
export type TwilioSmsOptions = TwilioCommonOptions &
  (
    | {
        /** The sender: a Twilio number in E.164 form, a short code or an alphanumeric sender id. */
        from: string;
        messagingServiceSid?: never;
      }
    | {
        from?: never;
        /** A Messaging Service SID, "MG" and 32 hex digits; Twilio picks the sender. */
        messagingServiceSid: string;
      }
  );

const WHERE = "twilioSms";
const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

/**
 * An `SmsSender` for Twilio. Resolves with the message SID ("SM…"); rejects
 * with a `DeliveryError`: 4xx is `DELIVERY_REJECTED` (`detail` is Twilio's
 * error number, e.g. "21211" for an invalid number, "20003" for bad
 * credentials), 429 and 5xx, a timeout or no connection are
 * `DELIVERY_UNAVAILABLE` (`retryAfterMs` from `Retry-After`).
 */
export function twilioSms(options: TwilioSmsOptions): SmsSender {
  if (typeof options !== "object" || options === null) fail(WHERE, "options are required");
  const accountSid = checkToken(WHERE, "accountSid", options.accountSid);
  if (!ACCOUNT_SID.test(accountSid)) fail(WHERE, 'accountSid must be "AC" followed by 32 hex digits');
  const authToken = checkToken(WHERE, "authToken", options.authToken);
  const sender = senderField(options);
  const baseUrl = checkBaseUrl(WHERE, "baseUrl", options.baseUrl ?? "https://api.twilio.com");
  const url = `${baseUrl}/2010-04-01/Accounts/${accountSid}/Messages.json`;
  const fetch = checkFunction(WHERE, "fetch", options.fetch) ?? globalFetch;
  const timeoutMs = checkTimeout(WHERE, options.timeoutMs, DEFAULT_TIMEOUT_MS);
  const authorization = `Basic ${encodeBase64(new TextEncoder().encode(`${accountSid}:${authToken}`))}`;

  return {
    kind: "sms",
    id: "twilio",
    async send(message: SmsMessage) {
      checkSmsMessage(WHERE, message);
      const form = new URLSearchParams({ To: message.to, [sender.name]: sender.value, Body: message.text });
      const request = {
        provider: "twilio",
        recipient: maskPhone(message.to),
        url,
        headers: {
          authorization,
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
        },
        body: form.toString(),
        fetch,
        timeoutMs,
      };
      const answer = await post(request);
      if (!isSuccess(answer.status)) throw failure(request, answer, safeDetail(jsonField(answer.json, "code")));
      const sid = jsonField(answer.json, "sid");
      return typeof sid === "string" ? { id: sid } : {};
    },
  };
}

function senderField(options: TwilioSmsOptions): { name: "From" | "MessagingServiceSid"; value: string } {
  const { from, messagingServiceSid } = options as { from?: unknown; messagingServiceSid?: unknown };
  if ((from === undefined) === (messagingServiceSid === undefined)) {
    fail(WHERE, "give exactly one of from and messagingServiceSid");
  }
  if (from !== undefined) return { name: "From", value: checkToken(WHERE, "from", from) };
  const sid = checkToken(WHERE, "messagingServiceSid", messagingServiceSid);
  if (!SERVICE_SID.test(sid)) fail(WHERE, 'messagingServiceSid must be "MG" followed by 32 hex digits');
  return { name: "MessagingServiceSid", value: sid };
}
