/**
 * What every delivery adapter takes and gives back. An adapter sends one
 * message and either resolves with a receipt or rejects with a
 * `DeliveryError` (see `errors.ts`); it never logs the message.
 */

/** One email to one recipient. */
export interface EmailMessage {
  /** The recipient's address, e.g. "ada@example.com". One recipient per message. */
  to: string;
  /** The subject line; no line breaks. */
  subject: string;
  /** The plain-text body. Always sent, even beside `html`. */
  text: string;
  /** The HTML body, when there is one. */
  html?: string;
  /** Overrides the adapter's configured sender, e.g. "Acme <auth@acme.com>". */
  from?: string;
  /** Where replies go. Default: the adapter's `replyTo`, else none. */
  replyTo?: string;
  /** Extra mail headers (names and values without line breaks). */
  headers?: Record<string, string>;
  /**
   * Makes a retried send safe where the provider supports it (Resend's and the
   * webhook's `Idempotency-Key` header; ignored by SMTP and Twilio). Must not be
   * derived from the code or link the message carries.
   */
  idempotencyKey?: string;
}

/** One SMS to one phone. */
export interface SmsMessage {
  /** The recipient in E.164 form, e.g. "+447700900123". */
  to: string;
  /** The message text. */
  text: string;
  /** As in `EmailMessage.idempotencyKey`; forwarded by the webhook adapter only. */
  idempotencyKey?: string;
}

/** What a successful send returns. */
export interface DeliveryReceipt {
  /** The provider's id for the message, when it gives one (Resend's id, Twilio's SM… sid, the SMTP Message-ID). */
  id?: string;
}

/** Sends email. */
export interface EmailSender {
  readonly kind: "email";
  /** Which adapter this is ("resend", "smtp", "webhook", "console"); names the provider in errors. */
  readonly id: string;
  /** Sends one message; rejects with a `DeliveryError` when it could not. */
  send(message: EmailMessage): Promise<DeliveryReceipt>;
}

/** Sends SMS. */
export interface SmsSender {
  readonly kind: "sms";
  /** Which adapter this is ("twilio", "webhook", "console"). */
  readonly id: string;
  /** Sends one message; rejects with a `DeliveryError` when it could not. */
  send(message: SmsMessage): Promise<DeliveryReceipt>;
}

export type Sender = EmailSender | SmsSender;

/**
 * The `fetch` an HTTP adapter calls: the global one by default, or any
 * function with its signature (a test double, a proxying client).
 */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** How long an HTTP adapter waits for the provider's whole answer, by default. */
export const DEFAULT_TIMEOUT_MS = 10_000;
