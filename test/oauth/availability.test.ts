// @vitest-environment node
import { createServer, type ServerResponse } from "node:http";
import { afterAll, beforeAll, expect, test } from "vitest";
import { handleCallback } from "../../src/lib/oauth/callback";
import { createDiscoveryCache } from "../../src/lib/oauth/discovery";
import { MAX_RESPONSE_BYTES } from "../../src/lib/oauth/http";
import { oidc } from "../../src/lib/oauth/oidc";
import { startAuthorization } from "../../src/lib/oauth/start";
import { expectOAuthError, runFlow } from "./support/flow";
import { closeServer, listen } from "./support/net";
import { CLIENT_SECRET, startOpenIdProvider, type RunningProvider } from "./support/openidProvider";

/** OA-6: every request to a provider times out, and a provider that is down is a typed failure. */
const REDIRECT = "http://127.0.0.1/api/auth/callback/acme";
const TIMEOUT_MS = 200;
let op: RunningProvider;

beforeAll(async () => {
  op = await startOpenIdProvider({ clients: [{ client_id: "warden-app", redirect_uris: [REDIRECT] }] });
});
afterAll(() => op.close());

const at = (issuer: string) => oidc({ id: "acme", issuer, clientId: "warden-app", clientSecret: CLIENT_SECRET });

/** A loopback server that runs `handle` on every request and never ends it. */
async function stalling(handle: (res: ServerResponse) => void) {
  const pending: ServerResponse[] = [];
  const server = createServer((_req, res) => {
    pending.push(res);
    handle(res);
  });
  const port = await listen(server);
  return { issuer: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}

test("a closed port is OAUTH_PROVIDER_UNAVAILABLE (network)", async () => {
  const server = createServer();
  const port = await listen(server);
  await closeServer(server);
  await expectOAuthError(startAuthorization(at(`http://127.0.0.1:${port}`), { redirectUri: REDIRECT }), {
    code: "OAUTH_PROVIDER_UNAVAILABLE",
    step: "discovery",
    reason: "network",
  });
});

test("a provider that never answers times out after timeoutMs", async () => {
  const silent = await stalling(() => {});
  try {
    const started = Date.now();
    await expectOAuthError(startAuthorization(at(silent.issuer), { redirectUri: REDIRECT, timeoutMs: TIMEOUT_MS }), {
      code: "OAUTH_PROVIDER_UNAVAILABLE",
      step: "discovery",
      reason: "timeout",
    });
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1500);
  } finally {
    await silent.close();
  }
});

test("a provider that sends headers and then stalls the body times out too", async () => {
  const trickle = await stalling((res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"issuer":');
  });
  try {
    await expectOAuthError(startAuthorization(at(trickle.issuer), { redirectUri: REDIRECT, timeoutMs: TIMEOUT_MS }), {
      code: "OAUTH_PROVIDER_UNAVAILABLE",
      step: "discovery",
      reason: "timeout",
    });
  } finally {
    await trickle.close();
  }
});

test("an oversized answer is refused without being read whole", async () => {
  const flood = await stalling((res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(Buffer.alloc(MAX_RESPONSE_BYTES + 1, 0x20));
  });
  try {
    await expectOAuthError(startAuthorization(at(flood.issuer), { redirectUri: REDIRECT }), {
      code: "OAUTH_INVALID_RESPONSE",
      step: "discovery",
      error: "response_too_large",
    });
  } finally {
    await flood.close();
  }
});

/** The app's fetch, with one endpoint that hangs until the request is aborted. */
const hangingAt = (suffix: string) => async (input: RequestInfo | URL, init?: RequestInit) => {
  const url = input instanceof Request ? input.url : String(input);
  if (!url.endsWith(suffix)) return fetch(input, init);
  return new Promise<Response>((_resolve, reject) => {
    init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
  });
};

for (const [step, suffix] of [
  ["token", "/token"],
  ["jwks", "/jwks"],
  ["userinfo", "/me"],
] as const) {
  test(`the ${step} request times out like the others`, async () => {
    const provider = at(op.issuer);
    const { secrets, parameters } = await runFlow(provider, { redirectUri: REDIRECT });
    const options = { fetch: hangingAt(suffix), timeoutMs: TIMEOUT_MS, discoveryCache: createDiscoveryCache() };
    await expectOAuthError(handleCallback(provider, parameters, secrets, options), {
      code: "OAUTH_PROVIDER_UNAVAILABLE",
      step,
      reason: "timeout",
    });
  });
}
