/**
 * The deployment's HTTP API, as `ConvexHttpClient` calls it:
 *
 * - `POST /api/query`, `/api/mutation`, `/api/action` with
 *   `{ path, format: "convex_encoded_json", args: [argsObject] }` and an
 *   optional `Authorization: Bearer <token>`. Success is 200
 *   `{ status: "success", value, logLines }`; a failed function is 560
 *   `{ status: "error", errorMessage, errorData?, logLines }` (`errorData` is a
 *   `ConvexError`'s data); a rejected token is 401 `{ code, message }`.
 * - `GET /.well-known/jwks.json`: the keys `ctx.auth.signJwt` signs with.
 *
 * Any origin may call it (CORS), as a deployment allows.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { TokenRejected, type TokenVerifier } from "./auth.js";
import type { Deployment } from "./deployment.js";
import type { FunctionKind } from "./functions.js";
import { BadRequest, bearerToken, origin, readBody, sendJson } from "./requests.js";

export interface HttpApiOptions {
  deployment: Deployment;
  verifier: TokenVerifier;
  /** Reads the database clock after a call, so sessions hear of the commit. */
  afterCall: () => void;
}

const FUNCTION_ROUTES: Record<string, FunctionKind> = {
  "/api/query": "query",
  "/api/mutation": "mutation",
  "/api/action": "action",
};

/** A failed function: the status Convex's HTTP API answers with. */
const STATUS_FUNCTION_FAILED = 560;

function corsHeaders(request: IncomingMessage): Record<string, string> {
  return {
    "Access-Control-Allow-Origin": request.headers.origin ?? "*",
    Vary: "Origin",
  };
}

function preflight(request: IncomingMessage, response: ServerResponse) {
  response.writeHead(204, {
    ...corsHeaders(request),
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers":
      request.headers["access-control-request-headers"] ?? "Content-Type, Authorization, Convex-Client",
    "Access-Control-Max-Age": "86400",
  });
  response.end();
}

async function parseCall(request: IncomingMessage): Promise<{ path: unknown; args: unknown }> {
  let body: unknown;
  try {
    body = JSON.parse((await readBody(request)).toString("utf8"));
  } catch (error) {
    if (error instanceof BadRequest) throw error;
    throw new BadRequest("BadJsonBody", "the body is not JSON");
  }
  const { path, args, format } = (body ?? {}) as Record<string, unknown>;
  if (format !== undefined && format !== "convex_encoded_json") {
    throw new BadRequest("BadFormat", 'only format "convex_encoded_json" is served');
  }
  return { path, args };
}

export function httpApi(options: HttpApiOptions) {
  const { deployment, verifier } = options;

  async function callFunction(kind: FunctionKind, request: IncomingMessage, response: ServerResponse) {
    const cors = corsHeaders(request);
    const token = bearerToken(request);
    const identity = token === undefined ? null : (await verifier.verify(token)).identity;
    const { path, args } = await parseCall(request);
    const outcome = await deployment.call(kind, path, args, { ...origin(request), identity });
    if (kind !== "query") options.afterCall();
    if (outcome.success) sendJson(response, 200, { status: "success", value: outcome.value, logLines: [] }, cors);
    else {
      const { errorMessage, errorData } = outcome;
      sendJson(response, STATUS_FUNCTION_FAILED, { status: "error", errorMessage, errorData, logLines: [] }, cors);
    }
  }

  /** Answers a request to the API; returns false for a path it does not serve. */
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const kind = FUNCTION_ROUTES[path];
    if (request.method === "OPTIONS" && (kind || path.startsWith("/api/"))) {
      preflight(request, response);
      return true;
    }
    if (request.method === "GET" && path === "/.well-known/jwks.json") {
      sendJson(response, 200, await deployment.jwks(), corsHeaders(request));
      return true;
    }
    if (!kind || request.method !== "POST") return false;
    try {
      await callFunction(kind, request, response);
    } catch (error) {
      if (!(error instanceof BadRequest || error instanceof TokenRejected)) throw error;
      const status = error instanceof TokenRejected ? 401 : 400;
      sendJson(response, status, { code: error.code, message: error.message }, corsHeaders(request));
    }
    return true;
  }

  return { handle };
}
