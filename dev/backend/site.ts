/**
 * The deployment's "site" origin: every request goes to the app's HTTP
 * routes (`convex/http.ts`), through convex-test's `t.fetch`. A request with
 * `Authorization: Bearer <token>` runs with that token's identity when the
 * token verifies; otherwise (a webhook's own secret, say) it runs with none.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TokenVerifier } from "./auth.js";
import type { Deployment } from "./deployment.js";
import { BadRequest, bearerToken, origin, readBody } from "./requests.js";

export interface SiteOptions {
  deployment: Deployment;
  verifier: TokenVerifier;
  afterCall: () => void;
}

/** Request headers as `fetch` takes them (repeated headers joined, as HTTP allows). */
function headersOf(request: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

/** Response headers for `writeHead`, each `Set-Cookie` kept apart. */
function responseHeaders(headers: Headers): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  headers.forEach((value, name) => {
    if (name !== "set-cookie") out[name] = value;
  });
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) out["set-cookie"] = cookies;
  return out;
}

async function identityOf(request: IncomingMessage, verifier: TokenVerifier) {
  try {
    const token = bearerToken(request);
    return token === undefined ? null : (await verifier.verify(token)).identity;
  } catch {
    return null;
  }
}

export function site(options: SiteOptions) {
  async function handle(request: IncomingMessage, response: ServerResponse) {
    const method = request.method ?? "GET";
    let body: Buffer | undefined;
    try {
      body = method === "GET" || method === "HEAD" ? undefined : await readBody(request);
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      response.writeHead(413).end(error.message);
      return;
    }
    const caller = { ...origin(request), identity: await identityOf(request, options.verifier) };
    const init: RequestInit = { method, headers: headersOf(request), body: body && new Uint8Array(body) };
    const answer = await options.deployment.httpAction(request.url ?? "/", init, caller);
    options.afterCall();
    response.writeHead(answer.status, responseHeaders(answer.headers));
    response.end(Buffer.from(await answer.arrayBuffer()));
  }
  return { handle };
}
