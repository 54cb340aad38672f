import { expect } from "vitest";
import type { AnyProvider, ConvexAuthOptions } from "convex-warden/server";
import { OIDC, type OIDCOptions } from "convex-warden/providers/OAuth";
import { Password } from "convex-warden/providers/Password";
import { api } from "../../../example/convex/_generated/api";
import { identityFromClaims, verifyAccessToken } from "../../../src/test";
import type { SignInResult } from "../../../src/shared/results";
import { exampleApp, type ExampleApp } from "../../setup";
import { Browser as ProviderBrowser, type Callback } from "../../oauth/support/browser";
import { CLIENT_SECRET } from "../../oauth/support/openidProvider";

/**
 * The example app under convex-test with OAuth providers, reached the way a
 * browser reaches a deployment: `signIn` as the app's client calls it, the
 * start and callback routes through `t.fetch` with the site origin's
 * cookies, and the provider's pages through a browser of its own.
 */
export const SITE_URL = "https://app.example";
export const CONVEX_SITE_URL = "https://warden-example.convex.site";
export const callbackUrl = (id: string) => `${CONVEX_SITE_URL}/api/auth/callback/${id}`;

/** The "acme" OIDC provider: the test OpenID Provider at `issuer`, its client "warden-app", the sites above. */
export const acmeProvider = (issuer: string, options: Partial<OIDCOptions<string>> = {}) =>
  OIDC({
    id: "acme",
    issuer,
    clientId: "warden-app",
    clientSecret: CLIENT_SECRET,
    siteUrl: SITE_URL,
    convexSiteUrl: CONVEX_SITE_URL,
    ...options,
  });

export function oauthApp(providers: AnyProvider[], options: Partial<ConvexAuthOptions> = {}) {
  return exampleApp({ providers: [Password(), ...providers], ...options });
}

/** Where a route sent the browser, as a URL; fails the test on anything but a redirect. */
export function location(response: Response, status?: number): URL {
  const target = response.headers.get("location");
  if (target === null || response.status < 300 || response.status > 399) {
    throw new Error(`expected a redirect, got ${response.status}`);
  }
  if (status !== undefined) expect(response.status).toBe(status);
  return new URL(target);
}

/** What the browser comes back to the app with. */
export const handedBack = (url: URL) => ({
  code: url.searchParams.get("wardenCode"),
  error: url.searchParams.get("wardenError"),
  /** The URL without the hand-off parameters: where the app asked to return. */
  target: (() => {
    const clean = new URL(url);
    clean.searchParams.delete("wardenCode");
    clean.searchParams.delete("wardenError");
    return clean.href;
  })(),
});

/**
 * One browser, as the deployment's site origin sees it: it keeps that
 * origin's cookies and visits its routes; `provider` walks the provider's
 * pages with a cookie jar of its own (the provider's origin).
 */
export class AppBrowser {
  readonly cookies = new Map<string, string>();
  readonly provider = new ProviderBrowser();
  /** The verifier the client keeps from the last `redirect` answer. */
  verifier: string | null = null;

  constructor(readonly t: ExampleApp) {}

  private remember(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      const [name, value] = [pair.slice(0, at), pair.slice(at + 1)];
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** A request to the deployment's site origin (an absolute URL on it, or a path). */
  async site(url: string, init: RequestInit = {}): Promise<Response> {
    const parsed = new URL(url, CONVEX_SITE_URL);
    expect(parsed.origin).toBe(CONVEX_SITE_URL);
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set("cookie", [...this.cookies].map(([n, v]) => `${n}=${v}`).join("; "));
    const response = await this.t.fetch(parsed.pathname + parsed.search, { ...init, headers });
    this.remember(response);
    return response;
  }

  /** `signIn(provider, params)` as the client calls it (with `token`, when signed in). */
  async signIn(provider: string, params: Record<string, unknown> = {}, token?: string): Promise<SignInResult> {
    const caller = token === undefined ? this.t : this.t.withIdentity(identityFromClaims(await verifyAccessToken(this.t, token)));
    const result = await caller.mutation(api.auth.signIn, { provider, params } as never);
    if (result.kind === "redirect") this.verifier = result.verifier;
    return result;
  }

  /** Starts a flow: `signIn`, then the start route. Returns the provider's authorization URL. */
  async start(provider: string, params: Record<string, unknown> = {}, token?: string): Promise<string> {
    const result = await this.signIn(provider, params, token);
    if (result.kind !== "redirect") throw new Error(`expected a redirect, got ${JSON.stringify(result)}`);
    return location(await this.site(result.url), 302).href;
  }

  /** Walks the provider's pages to the callback it sends the browser to. */
  authorize(authorizationUrl: string, id: string, options: { login?: string; decline?: boolean } = {}): Promise<Callback> {
    return this.provider.authorize(authorizationUrl, { redirectUri: callbackUrl(id), ...options });
  }

  /** Delivers a callback to the callback route, as the provider sent it (GET query or POST form). */
  async callback(id: string, callback: Callback): Promise<Response> {
    if (callback.method === "GET") return this.site(`${callbackUrl(id)}?${callback.parameters}`);
    return this.site(callbackUrl(id), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: callback.parameters.toString(),
    });
  }

  /** Back at the app: redeems the hand-off code with the kept verifier. */
  finish(provider: string, code: string, verifier = this.verifier!): Promise<SignInResult> {
    return this.signIn(provider, { code, verifier });
  }

  /** The whole sign-in, from `signIn` to tokens, through the routes. */
  async signInWith(id: string, options: { login?: string; params?: Record<string, unknown>; token?: string } = {}) {
    const authorizationUrl = await this.start(id, options.params, options.token);
    const callback = await this.authorize(authorizationUrl, id, { login: options.login });
    const back = handedBack(location(await this.callback(id, callback)));
    if (back.code === null) throw new Error(`the callback came back with ${back.error}`);
    return { back, result: await this.finish(id, back.code) };
  }
}

/** The user id a sign-in's tokens name. */
export async function userOf(t: ExampleApp, result: SignInResult): Promise<string> {
  if (result.kind !== "signedIn") throw new Error(`expected signedIn, got ${JSON.stringify(result)}`);
  return identityFromClaims(await verifyAccessToken(t, result.tokens.token)).subject!;
}
