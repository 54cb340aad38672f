/** What the backend's HTTP servers share: reading requests, writing JSON, the caller's origin. */
import type { IncomingMessage, ServerResponse } from "node:http";

/** The largest request body read (Convex's function argument limit is 16 MiB). */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export class BadRequest extends Error {
  override name = "BadRequest";
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BadRequest("RequestTooLarge", "the request body is over 16 MiB");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { "Content-Type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

/** The IP and user agent functions see through `ctx.meta.getRequestMetadata()`. */
export const origin = (request: IncomingMessage) => ({
  ip: request.socket.remoteAddress?.replace(/^::ffff:/, "") ?? null,
  userAgent: request.headers["user-agent"] ?? null,
});

/** The token of an `Authorization: Bearer …` header; undefined without one. */
export function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer (.+)$/.exec(header);
  if (!match) throw new BadRequest("InvalidAuthHeader", "the Authorization header is not `Bearer <token>`");
  return match[1]!;
}
