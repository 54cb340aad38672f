import { oauthError, OAuthError, type OAuthStep } from "./errors.js";

/** Anything shaped like the global `fetch`. */
export type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** How requests to providers are made. Every step that talks to a provider takes these. */
export interface ProviderHttpOptions {
  /** The fetch to send requests with. Default: the global `fetch`. */
  fetch?: Fetch;
  /**
   * Milliseconds one request may take, from sending it to the last byte of its
   * body. Default: 10 000 (10 s).
   */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
/** Largest provider response body read; anything bigger is refused. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * A fetch for one step of a flow that times out (headers and body alike),
 * buffers the body under a size cap, and turns the provider being down into
 * `OAUTH_PROVIDER_UNAVAILABLE`: a network failure, a timeout, a 5xx or 429.
 * oauth4webapi calls it through its `[customFetch]` option.
 */
export function providerFetch(step: OAuthStep, options: ProviderHttpOptions = {}): Fetch {
  const base = options.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError("convex-warden: timeoutMs must be a positive number of milliseconds");
  }
  return async (input, init) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await base(input, { ...init, signal: controller.signal });
      if (response.status >= 500 || response.status === 429) {
        await response.body?.cancel().catch(() => undefined);
        throw oauthError({ code: "OAUTH_PROVIDER_UNAVAILABLE", step, reason: "status", status: response.status });
      }
      const body = NULL_BODY_STATUSES.has(response.status) ? null : await readCapped(response, step);
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } catch (error) {
      if (error instanceof OAuthError) throw error;
      const reason = controller.signal.aborted ? "timeout" : "network";
      throw oauthError({ code: "OAUTH_PROVIDER_UNAVAILABLE", step, reason });
    } finally {
      clearTimeout(timer);
    }
  };
}

async function readCapped(response: Response, step: OAuthStep): Promise<ArrayBuffer> {
  const reader = response.body?.getReader();
  if (reader === undefined) return new ArrayBuffer(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_RESPONSE_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw oauthError({ code: "OAUTH_INVALID_RESPONSE", step, error: "response_too_large" });
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body.buffer;
}
