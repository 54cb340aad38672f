/**
 * Why a message was not sent, by stable code. The caller records the failure
 * and tells the client, which can offer "resend"; nothing is lost silently.
 *
 * A DeliveryError's message is written by convex-warden alone: it names the
 * provider, the masked recipient, the status and a short detail, and never
 * contains the message body, code, link, API key or token, nor the
 * provider's own error text (which may echo the recipient in full).
 */
export const DELIVERY_ERROR_CODES = [
  /**
   * The provider refused the message: bad address, unverified sender, failed
   * authentication, a malformed request. Retrying the same send will not help.
   */
  "DELIVERY_REJECTED",
  /**
   * The provider could not be reached or could not take the message now:
   * timeout, network failure, 5xx, 429. Worth retrying, after `retryAfterMs`
   * when the provider said how long.
   */
  "DELIVERY_UNAVAILABLE",
] as const;

export type DeliveryErrorCode = (typeof DELIVERY_ERROR_CODES)[number];

export interface DeliveryErrorOptions {
  code: DeliveryErrorCode;
  /** The adapter's id: "resend", "twilio", "smtp", "webhook", "console". */
  provider: string;
  /** The recipient, already masked. */
  recipient: string;
  /** The HTTP status, or for SMTP the server's reply code, when there was one. */
  status?: number;
  /** Milliseconds to wait before retrying, when the provider said. */
  retryAfterMs?: number;
  /**
   * A short machine-readable reason: the provider's error name or number
   * ("validation_error", "21211"), "timeout", or a network error code
   * ("ECONNREFUSED"). Never free text from the provider.
   */
  detail?: string;
}

export class DeliveryError extends Error {
  override readonly name = "DeliveryError";
  readonly code: DeliveryErrorCode;
  readonly provider: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly detail?: string;

  constructor(options: DeliveryErrorOptions) {
    super(describe(options));
    this.code = options.code;
    this.provider = options.provider;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.detail !== undefined) this.detail = options.detail;
  }
}

function describe({ code, provider, recipient, status, retryAfterMs, detail }: DeliveryErrorOptions): string {
  const what = code === "DELIVERY_REJECTED" ? "rejected" : "not sent, provider unavailable";
  const facts = [
    status === undefined ? undefined : `status ${status}`,
    detail,
    retryAfterMs === undefined ? undefined : `retry after ${retryAfterMs} ms`,
  ].filter((fact) => fact !== undefined);
  return `${provider}: message to ${recipient} ${what}${facts.length > 0 ? ` (${facts.join(", ")})` : ""}`;
}

/** Type guard: is `error` a failed delivery, with a stable `code`? */
export function isDeliveryError(error: unknown): error is DeliveryError {
  return (
    error instanceof DeliveryError ||
    (error instanceof Error &&
      error.name === "DeliveryError" &&
      (DELIVERY_ERROR_CODES as readonly unknown[]).includes((error as { code?: unknown }).code))
  );
}

/** Provider error names and numbers are kept only when they look like identifiers. */
export function safeDetail(value: unknown): string | undefined {
  const text = typeof value === "number" && Number.isInteger(value) ? String(value) : value;
  return typeof text === "string" && /^[A-Za-z0-9_.-]{1,64}$/.test(text) ? text : undefined;
}
