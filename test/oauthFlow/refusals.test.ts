// @vitest-environment node
import { createServer } from "node:http";
import { decodeJwt, generateKeyPair, importJWK, SignJWT, type JWTPayload } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { OIDCOptions } from "convex-warden/providers/OAuth";
import { wardenTables } from "../setup";
import { closeServer, listen } from "../oauth/support/net";
import { startOpenIdProvider, type RunningProvider } from "../oauth/support/openidProvider";
import { acmeProvider, AppBrowser, callbackUrl, handedBack, location, oauthApp, SITE_URL } from "./support/app";

/**
 * Every way an OpenID Connect sign-in can be refused, through the routes:
 * each reaches the app as `?wardenError=<CODE>` on the URL it asked to come
 * back to (OA-7), no session is started, and nothing of the flow is left.
 */
let op: RunningProvider;
/** Rewrites the provider's responses to the app, as a network attacker or a broken provider would. */
let rewrite: ((url: string, response: Response) => Promise<Response> | Response) | null = null;

beforeAll(async () => {
  op = await startOpenIdProvider({
    clients: [
      { client_id: "warden-app", redirect_uris: [callbackUrl("acme")] },
      { client_id: "other-app", redirect_uris: [callbackUrl("acme")] },
    ],
  });
});
afterAll(() => op.close());
beforeEach(() => {
  rewrite = null;
});

const appFetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const response = await fetch(input, init);
  return rewrite ? rewrite(String(input instanceof Request ? input.url : input), response) : response;
};

const acme = (options: Partial<OIDCOptions<string>> = {}) => acmeProvider(op.issuer, { fetch: appFetch, timeoutMs: 2_000, ...options });

/** The token endpoint's answer with its ID token re-signed after `change`. */
function resignIdToken(change: (claims: JWTPayload) => JWTPayload, key?: CryptoKey) {
  rewrite = async (url, response) => {
    if (!url.endsWith("/token")) return response;
    const body = (await response.json()) as Record<string, unknown>;
    const signingKey = key ?? ((await importJWK(op.signingKey, "RS256")) as CryptoKey);
    const idToken = await new SignJWT(change(decodeJwt(body.id_token as string)))
      .setProtectedHeader({ alg: "RS256", kid: "op-key-1" })
      .sign(signingKey);
    return Response.json({ ...body, id_token: idToken }, { status: response.status });
  };
}

/** Runs a sign-in up to the app's URL and returns what came back; asserts nothing was left behind. */
async function refused(options: Partial<OIDCOptions<string>> = {}, walk: { login?: string; decline?: boolean } = {}) {
  const t = oauthApp([acme(options)]);
  const browser = new AppBrowser(t);
  const callback = await browser.authorize(await browser.start("acme", { redirectTo: "/after" }), "acme", walk);
  const back = handedBack(location(await browser.callback("acme", callback)));
  expect(back.code).toBeNull();
  expect(back.target).toBe(`${SITE_URL}/after`);
  const tables = await wardenTables(t);
  expect([tables.accounts, tables.sessions, tables.challenges]).toEqual([[], [], []]);
  return back.error;
}

describe("the ID token (OA-3)", () => {
  test("the untouched token re-signed by the provider's key passes (the baseline)", async () => {
    resignIdToken((claims) => claims);
    const t = oauthApp([acme()]);
    expect((await new AppBrowser(t).signInWith("acme")).result.kind).toBe("signedIn");
  });

  test("a wrong nonce is refused", async () => {
    resignIdToken((claims) => ({ ...claims, nonce: "n".repeat(43) }));
    expect(await refused()).toBe("OAUTH_INVALID_ID_TOKEN");
  });

  test("a bad signature is refused", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    resignIdToken((claims) => claims, privateKey);
    expect(await refused()).toBe("OAUTH_INVALID_ID_TOKEN");
  });

  test("a token for another audience is refused", async () => {
    resignIdToken((claims) => ({ ...claims, aud: "other-app" }));
    expect(await refused()).toBe("OAUTH_INVALID_ID_TOKEN");
  });

  test("an expired token is refused", async () => {
    expect(await refused({ now: () => Date.now() + 2 * 3600_000 })).toBe("OAUTH_INVALID_ID_TOKEN");
  });

  test("a token from another issuer is refused", async () => {
    resignIdToken((claims) => ({ ...claims, iss: "https://attacker.example" }));
    expect(await refused()).toBe("OAUTH_INVALID_ID_TOKEN");
  });
});

describe("the provider's answers", () => {
  test("consent declined is OAUTH_ACCESS_DENIED", async () => {
    expect(await refused({}, { decline: true })).toBe("OAUTH_ACCESS_DENIED");
  });

  test("another authorization error is OAUTH_PROVIDER_ERROR", async () => {
    expect(await refused({ authorizationParams: { prompt: "none" } })).toBe("OAUTH_PROVIDER_ERROR");
  });

  test("an unverified email, where the provider requires a verified one, is OAUTH_EMAIL_UNVERIFIED", async () => {
    expect(await refused({ requireVerifiedEmail: true }, { login: "bob" })).toBe("OAUTH_EMAIL_UNVERIFIED");
  });

  test("a code the provider does not know is OAUTH_CODE_REJECTED", async () => {
    const t = oauthApp([acme()]);
    const browser = new AppBrowser(t);
    const callback = await browser.authorize(await browser.start("acme"), "acme");
    callback.parameters.set("code", "not-a-code-the-provider-issued");
    expect(handedBack(location(await browser.callback("acme", callback))).error).toBe("OAUTH_CODE_REJECTED");
  });

  test("a wrong client secret is OAUTH_CLIENT_REJECTED", async () => {
    expect(await refused({ clientSecret: "not-the-secret" })).toBe("OAUTH_CLIENT_REJECTED");
  });

  test("a token endpoint answering 503 is OAUTH_PROVIDER_UNAVAILABLE", async () => {
    rewrite = (url, response) => (url.endsWith("/token") ? new Response("down", { status: 503 }) : response);
    expect(await refused()).toBe("OAUTH_PROVIDER_UNAVAILABLE");
  });
});

describe("reaching the provider", () => {
  /** Starts a sign-in whose start route fails before the provider: where does the browser go? */
  async function startRefused(options: Partial<OIDCOptions<string>>) {
    const t = oauthApp([acme(options)]);
    const browser = new AppBrowser(t);
    const result = await browser.signIn("acme", { redirectTo: "/after" });
    if (result.kind !== "redirect") throw new Error("no redirect");
    const response = await browser.site(result.url);
    expect(response.headers.getSetCookie()).toEqual([]);
    return handedBack(location(response, 302));
  }

  test("a provider that cannot be reached is OAUTH_PROVIDER_UNAVAILABLE, back on the app", async () => {
    const closed = createServer();
    const port = await listen(closed);
    await closeServer(closed);
    const back = await startRefused({ issuer: `http://127.0.0.1:${port}` });
    expect(back).toMatchObject({ error: "OAUTH_PROVIDER_UNAVAILABLE", target: `${SITE_URL}/after` });
  });

  test("a provider that never answers times out: OAUTH_PROVIDER_UNAVAILABLE", async () => {
    const silent = createServer(() => {});
    const port = await listen(silent);
    try {
      const started = Date.now();
      const back = await startRefused({ issuer: `http://127.0.0.1:${port}`, timeoutMs: 300 });
      expect(back.error).toBe("OAUTH_PROVIDER_UNAVAILABLE");
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await closeServer(silent);
    }
  });

  test("a discovery document naming another issuer is OAUTH_DISCOVERY_MISMATCH", async () => {
    const elsewhere = await startOpenIdProvider({
      issuerHost: "localhost",
      clients: [{ client_id: "warden-app", redirect_uris: [callbackUrl("acme")] }],
    });
    try {
      const back = await startRefused({ issuer: `http://127.0.0.1:${elsewhere.port}` });
      expect(back).toMatchObject({ error: "OAUTH_DISCOVERY_MISMATCH", target: `${SITE_URL}/after` });
    } finally {
      await elsewhere.close();
    }
  });
});
