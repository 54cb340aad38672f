/**
 * One POST to a provider, bounded in time, with the outcome classified the
 * same way for every HTTP adapter: no answer is `DELIVERY_UNAVAILABLE`; an
 * answer is handed back for the adapter to read.
 */
import { DeliveryError, safeDetail, type DeliveryErrorCode } from "../errors.js";
import type { Fetch } from "../types.js";

export interface PostRequest {
  /** The adapter's id, for errors. */
  provider: string;
  /** The recipient, masked, for errors. */
  recipient: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  fetch: Fetch;
  /** The whole exchange (connect, headers and body) must finish within this. */
  timeoutMs: number;
}

export interface ProviderAnswer {
  status: number;
  headers: Headers;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/** The global fetch, looked up when called (so it is never called detached from its realm). */
export const globalFetch: Fetch = (url, init) => globalThis.fetch(url, init);

export async function post(request: PostRequest): Promise<ProviderAnswer> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // A race, not only the abort signal: an injected fetch may ignore the signal.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(unavailable(request, "timeout"));
    }, request.timeoutMs);
  });
  try {
    return await Promise.race([exchange(request, controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function exchange(request: PostRequest, signal: AbortSignal): Promise<ProviderAnswer> {
  let response: Response;
  try {
    response = await request.fetch(request.url, {
      method: "POST",
      headers: request.headers,
      body: request.body,
      signal,
      // A redirect means a wrong base URL; following it would resend the credentials.
      redirect: "manual",
    });
  } catch (error) {
    throw unavailable(request, networkDetail(error));
  }
  const text = await response.text().catch(() => "");
  return { status: response.status, headers: response.headers, json: parseJson(text) };
}

/** A top-level field of a JSON answer, if the answer is an object. */
export function jsonField(json: unknown, name: string): unknown {
  return typeof json === "object" && json !== null ? (json as Record<string, unknown>)[name] : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A system error code such as ECONNREFUSED, from the error or its cause; else "network". */
function networkDetail(error: unknown): string {
  for (let current = error, depth = 0; current instanceof Error && depth < 3; depth++) {
    const detail = safeDetail((current as { code?: unknown }).code);
    if (detail !== undefined && /^E[A-Z_]+$/.test(detail)) return detail;
    current = current.cause;
  }
  return "network";
}

function unavailable(request: PostRequest, detail: string): DeliveryError {
  return new DeliveryError({ code: "DELIVERY_UNAVAILABLE", provider: request.provider, recipient: request.recipient, detail });
}

export const isSuccess = (status: number) => status >= 200 && status < 300;

/** 408, 429 and 5xx are worth retrying; any other non-2xx (redirects included) is a refusal. */
export function codeForStatus(status: number): DeliveryErrorCode {
  return status === 408 || status === 429 || status >= 500 ? "DELIVERY_UNAVAILABLE" : "DELIVERY_REJECTED";
}

/** The error for a non-2xx answer, with Retry-After honoured when retrying makes sense. */
export function failure(request: PostRequest, answer: ProviderAnswer, detail?: string, now = Date.now()): DeliveryError {
  const code = codeForStatus(answer.status);
  const retryAfterMs =
    code === "DELIVERY_UNAVAILABLE" ? parseRetryAfter(answer.headers.get("retry-after"), now) : undefined;
  return new DeliveryError({
    code,
    provider: request.provider,
    recipient: request.recipient,
    status: answer.status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(detail === undefined ? {} : { detail }),
  });
}

/**
 * `Retry-After` in milliseconds: either delay-seconds ("120") or an HTTP date
 * (RFC 9110 §10.2.3), measured from `now`. Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^[0-9]{1,9}$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
