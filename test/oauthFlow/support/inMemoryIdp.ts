import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { OIDC, type OIDCOptions } from "convex-warden/providers/OAuth";
import { AppBrowser, CONVEX_SITE_URL, handedBack, location, SITE_URL } from "./app";

/**
 * An OpenID Provider answered in memory through the app's injected `fetch`:
 * no socket, no timer, so it runs in the edge runtime and under fake timers.
 * It serves discovery, its JWKS and a token endpoint that signs real ID
 * tokens; the browser's visit to its authorization endpoint is played by
 * `authorize`, which reads the request the start route sent and answers the
 * callback a provider would. `mode` makes it misbehave one way at a time.
 * The loopback `oidc-provider` tests are the full-fidelity ones; this one
 * exists to produce each failure cheaply.
 */
export const IDP_ISSUER = "https://idp.test";
const CLIENT_ID = "warden-app";
const CLIENT_SECRET = "in-memory-client-secret";

export type IdpMode =
  | "ok"
  | "wrongNonce"
  | "invalidGrant"
  | "invalidClient"
  | "down"
  | "notJson"
  | "unverifiedEmail"
  | "otherIssuer";

interface Grant {
  nonce: string;
  subject: string;
}

export async function inMemoryIdp() {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "idp-1", alg: "ES256", use: "sig" };
  const grants = new Map<string, Grant>();
  const state = { mode: "ok" as IdpMode, subject: "grace", email: "grace@example.com" };

  async function idToken(grant: Grant) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      email: state.email,
      email_verified: state.mode !== "unverifiedEmail",
      nonce: state.mode === "wrongNonce" ? "n".repeat(43) : grant.nonce,
    })
      .setProtectedHeader({ alg: "ES256", kid: "idp-1" })
      .setIssuer(IDP_ISSUER)
      .setAudience(CLIENT_ID)
      .setSubject(grant.subject)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(privateKey);
  }

  async function token(body: URLSearchParams): Promise<Response> {
    if (state.mode === "down") return new Response("down", { status: 503 });
    if (state.mode === "notJson") return new Response("<html>", { status: 200, headers: { "content-type": "text/html" } });
    if (state.mode === "invalidClient") return Response.json({ error: "invalid_client" }, { status: 401 });
    const grant = grants.get(body.get("code") ?? "");
    grants.delete(body.get("code") ?? "");
    if (grant === undefined || state.mode === "invalidGrant") return Response.json({ error: "invalid_grant" }, { status: 400 });
    return Response.json({ access_token: `at-${crypto.randomUUID()}`, token_type: "Bearer", expires_in: 600, id_token: await idToken(grant) });
  }

  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin !== IDP_ISSUER) throw new TypeError(`the in-memory provider has no ${url.origin}`);
    switch (url.pathname) {
      case "/.well-known/openid-configuration":
        return Response.json({
          issuer: state.mode === "otherIssuer" ? "https://elsewhere.test" : IDP_ISSUER,
          authorization_endpoint: `${IDP_ISSUER}/authorize`,
          token_endpoint: `${IDP_ISSUER}/token`,
          jwks_uri: `${IDP_ISSUER}/jwks`,
          response_types_supported: ["code"],
          subject_types_supported: ["public"],
          id_token_signing_alg_values_supported: ["ES256"],
        });
      case "/jwks":
        return Response.json({ keys: [jwk] });
      case "/token":
        return token(new URLSearchParams(String(init?.body ?? "")));
      default:
        return new Response("not found", { status: 404 });
    }
  };

  /** The callback a provider sends the browser to after its authorization page, or with `error`. */
  function authorize(authorizationUrl: string, error?: string) {
    const request = new URL(authorizationUrl).searchParams;
    const parameters = new URLSearchParams({ state: request.get("state") ?? "", iss: IDP_ISSUER });
    if (error !== undefined) parameters.set("error", error);
    else {
      const code = crypto.randomUUID();
      grants.set(code, { nonce: request.get("nonce") ?? "", subject: state.subject });
      parameters.set("code", code);
    }
    return { method: "GET" as const, parameters };
  }

  const provider = (id = "idp", options: Partial<OIDCOptions<string>> = {}) =>
    OIDC({
      id,
      issuer: IDP_ISSUER,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      siteUrl: SITE_URL,
      convexSiteUrl: CONVEX_SITE_URL,
      fetch,
      ...options,
    });

  return { state, fetch, authorize, provider };
}

export type InMemoryIdp = Awaited<ReturnType<typeof inMemoryIdp>>;

/**
 * A sign-in with the in-memory provider through the routes, up to the URL
 * the browser comes back to: the hand-off code, or the error code.
 */
export async function idpCallback(browser: AppBrowser, idp: InMemoryIdp, id = "idp", options: { error?: string; params?: Record<string, unknown>; token?: string } = {}) {
  const authorizationUrl = await browser.start(id, options.params, options.token);
  const callback = idp.authorize(authorizationUrl, options.error);
  return handedBack(location(await browser.callback(id, callback)));
}
