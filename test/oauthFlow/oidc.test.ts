// @vitest-environment node
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OIDCOptions } from "convex-warden/providers/OAuth";
import { api } from "../../example/convex/_generated/api";
import { wardenTables } from "../setup";
import { startOpenIdProvider, type RunningProvider } from "../oauth/support/openidProvider";
import { acmeProvider, AppBrowser, callbackUrl, CONVEX_SITE_URL, handedBack, location, oauthApp, SITE_URL, userOf } from "./support/app";

/**
 * The whole OpenID Connect sign-in through the app's HTTP routes, under
 * convex-test, against a real OpenID Provider on loopback: `signIn`, the
 * start route, the provider's login and consent, the callback route, and the
 * hand-off redeemed by the browser that started it.
 */
let op: RunningProvider;

beforeAll(async () => {
  op = await startOpenIdProvider({
    clients: [{ client_id: "warden-app", redirect_uris: [callbackUrl("acme"), callbackUrl("acme-post")] }],
  });
});
afterAll(() => op.close());

const acme = (options: Partial<OIDCOptions<string>> = {}) => acmeProvider(op.issuer, options);

describe("sign-in through the routes", () => {
  test("a new user signs in: one user with the verified profile, one account keyed by (provider, subject)", async () => {
    const t = oauthApp([acme()]);
    const browser = new AppBrowser(t);
    const { back, result } = await browser.signInWith("acme");
    expect(back.target).toBe(`${SITE_URL}/`);
    const userId = await userOf(t, result);
    const user = await t.run((ctx) => ctx.db.get(userId as never));
    expect(user).toMatchObject({ email: "alice@example.com", name: "Alice Liddell", image: "https://img.example/alice.png" });
    expect(typeof (user as { emailVerificationTime?: number }).emailVerificationTime).toBe("number");
    const { accounts, challenges } = await wardenTables(t);
    expect(accounts.map((a) => [a.provider, a.providerAccountId, a.userId])).toEqual([["acme", "alice", userId]]);
    // Every step consumed its challenge: nothing of the flow is left.
    expect(challenges).toEqual([]);
  });

  test("a returning user gets the same user and no second account", async () => {
    const t = oauthApp([acme()]);
    const browser = new AppBrowser(t);
    const first = await userOf(t, (await browser.signInWith("acme")).result);
    // Still signed in at the provider: no login form this time.
    const second = await userOf(t, (await browser.signInWith("acme")).result);
    const fresh = await userOf(t, (await new AppBrowser(t).signInWith("acme")).result);
    expect(second).toBe(first);
    expect(fresh).toBe(first);
    expect((await wardenTables(t)).accounts).toHaveLength(1);
  });

  test("the browser comes back to the path it asked for, on the site", async () => {
    const t = oauthApp([acme()]);
    const { back } = await new AppBrowser(t).signInWith("acme", { params: { redirectTo: "/settings?tab=security" } });
    expect(back.target).toBe(`${SITE_URL}/settings?tab=security`);
  });

  test("a form_post callback (as Apple sends it) arrives as a POST and signs in", async () => {
    const t = oauthApp([acme({ id: "acme-post", responseMode: "form_post" })]);
    const browser = new AppBrowser(t);
    const authorizationUrl = await browser.start("acme-post");
    const callback = await browser.authorize(authorizationUrl, "acme-post");
    expect(callback.method).toBe("POST");
    const back = handedBack(location(await browser.callback("acme-post", callback), 303));
    expect(await userOf(t, await browser.finish("acme-post", back.code!))).toBeTruthy();
  });

  test("the flow cookie is __Host-, Secure, HttpOnly and SameSite=None, and is cleared by the callback", async () => {
    const t = oauthApp([acme()]);
    const browser = new AppBrowser(t);
    const started = await browser.signIn("acme");
    if (started.kind !== "redirect") throw new Error("no redirect");
    const response = await browser.site(started.url);
    const [cookie] = response.headers.getSetCookie();
    expect(cookie).toMatch(/^__Host-warden_oauth_[0-9a-f]{16}=[\w-]{43}; /);
    expect(cookie).toContain("Path=/");
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("Secure");
    expect(cookie).toContain("SameSite=None");
    expect(cookie).toContain("Max-Age=600");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    const callback = await browser.authorize(location(response).href, "acme");
    const back = await browser.callback("acme", callback);
    expect(back.headers.getSetCookie()[0]).toMatch(/^__Host-warden_oauth_[0-9a-f]{16}=; .*Max-Age=0/);
    expect(browser.cookies.size).toBe(0);
  });

  test("the authorization request carries PKCE S256, the state, a nonce and the registered callback", async () => {
    const t = oauthApp([acme()]);
    const params = new URL(await new AppBrowser(t).start("acme")).searchParams;
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(params.get("state")).toMatch(/^[\w-]{43}$/);
    expect(params.get("nonce")).toMatch(/^[\w-]{43}$/);
    expect(params.get("redirect_uri")).toBe(callbackUrl("acme"));
  });

  test("provider tokens never reach the client, and nothing secret of the flow is stored", async () => {
    const t = oauthApp([acme()]);
    const browser = new AppBrowser(t);
    const started = await browser.signIn("acme");
    if (started.kind !== "redirect") throw new Error("no redirect");
    const toProvider = location(await browser.site(started.url));
    const callback = await browser.authorize(toProvider.href, "acme");
    const state = callback.parameters.get("state")!;
    const stored = JSON.stringify(await wardenTables(t));
    // While the flow waits at the provider: no state, binding or verifier in the clear.
    for (const secret of [state, ...browser.cookies.values(), browser.verifier!]) expect(stored).not.toContain(secret);
    const back = handedBack(location(await browser.callback("acme", callback)));
    expect(JSON.stringify(await wardenTables(t))).not.toContain(back.code!);
    const result = await browser.finish("acme", back.code!);
    expect(Object.keys(result)).toEqual(["kind", "tokens"]);
    expect(Object.keys(result.kind === "signedIn" ? result.tokens : {}).sort()).toEqual(["expiresInMs", "refreshToken", "token"]);
  });
});

describe("the flow is bound to the browser that started it (OA-2)", () => {
  test("a callback delivered to another browser fails, and burns the flow for the one that started it", async () => {
    const t = oauthApp([acme()]);
    const starter = new AppBrowser(t);
    const callback = await starter.authorize(await starter.start("acme"), "acme");
    const other = new AppBrowser(t);
    const elsewhere = handedBack(location(await other.callback("acme", callback)));
    expect(elsewhere).toMatchObject({ code: null, error: "OAUTH_STATE_MISMATCH", target: `${SITE_URL}/` });
    const genuine = handedBack(location(await starter.callback("acme", callback)));
    expect(genuine.error).toBe("OAUTH_STATE_MISMATCH");
    expect((await wardenTables(t)).accounts).toEqual([]);
  });

  test("a callback with the right cookie name but another flow's binding fails", async () => {
    const t = oauthApp([acme()]);
    const browser = new AppBrowser(t);
    const callback = await browser.authorize(await browser.start("acme"), "acme");
    for (const name of browser.cookies.keys()) browser.cookies.set(name, "A".repeat(43));
    expect(handedBack(location(await browser.callback("acme", callback))).error).toBe("OAUTH_STATE_MISMATCH");
  });

  test("a replayed callback fails, even in the browser that started the flow", async () => {
    const t = oauthApp([acme()]);
    const browser = new AppBrowser(t);
    const callback = await browser.authorize(await browser.start("acme"), "acme");
    const cookies = new Map(browser.cookies);
    expect(handedBack(location(await browser.callback("acme", callback))).code).not.toBeNull();
    for (const [name, value] of cookies) browser.cookies.set(name, value); // the replay carries the cookie too
    expect(handedBack(location(await browser.callback("acme", callback))).error).toBe("OAUTH_STATE_MISMATCH");
  });

  test("a callback without state, or with two, fails", async () => {
    const t = oauthApp([acme()]);
    const browser = new AppBrowser(t);
    const callback = await browser.authorize(await browser.start("acme"), "acme");
    const without = new URLSearchParams(callback.parameters);
    without.delete("state");
    expect(handedBack(location(await browser.callback("acme", { method: "GET", parameters: without }))).error).toBe(
      "OAUTH_STATE_MISMATCH",
    );
    const twice = new URLSearchParams(callback.parameters);
    twice.append("state", callback.parameters.get("state")!);
    expect(handedBack(location(await browser.callback("acme", { method: "GET", parameters: twice }))).error).toBe(
      "OAUTH_STATE_MISMATCH",
    );
  });

  test("the start link works once", async () => {
    const t = oauthApp([acme()]);
    const browser = new AppBrowser(t);
    const started = await browser.signIn("acme");
    if (started.kind !== "redirect") throw new Error("no redirect");
    expect(location(await browser.site(started.url)).origin).toBe(op.issuer);
    const again = handedBack(location(await browser.site(started.url)));
    expect(again.error).toBe("OAUTH_STATE_MISMATCH");
  });

  test("a flow that waited at the provider past its lifetime fails with OAUTH_FLOW_EXPIRED", async () => {
    const t = oauthApp([acme({ flowLifetimeMs: 3_000 })]);
    const browser = new AppBrowser(t);
    const callback = await browser.authorize(await browser.start("acme"), "acme");
    await new Promise((resolve) => setTimeout(resolve, 3_100));
    expect(handedBack(location(await browser.callback("acme", callback))).error).toBe("OAUTH_FLOW_EXPIRED");
  });
});

describe("the hand-off code", () => {
  test("is redeemed once: a replayed code fails", async () => {
    const t = oauthApp([acme()]);
    const browser = new AppBrowser(t);
    const { back, result } = await browser.signInWith("acme");
    expect(result.kind).toBe("signedIn");
    expect(await browser.finish("acme", back.code!)).toMatchObject({ kind: "failed", error: { code: "INVALID_CODE" } });
  });

  test("only with the verifier of the browser that started the flow; a wrong one burns it", async () => {
    const t = oauthApp([acme()]);
    const browser = new AppBrowser(t);
    const callback = await browser.authorize(await browser.start("acme"), "acme");
    const back = handedBack(location(await browser.callback("acme", callback)));
    const stolen = await browser.finish("acme", back.code!, "B".repeat(43));
    expect(stolen).toMatchObject({ kind: "failed", error: { code: "INVALID_CODE" } });
    expect(await browser.finish("acme", back.code!)).toMatchObject({ kind: "failed", error: { code: "INVALID_CODE" } });
    expect((await wardenTables(t)).sessions).toEqual([]);
  });

  test("a code needs its verifier: asking without one is INVALID_ARGUMENT", async () => {
    const t = oauthApp([acme()]);
    const error = await t
      .mutation(api.auth.signIn, { provider: "acme", params: { code: "x" } } as never)
      .catch((e: unknown) => e);
    expect((error as { data?: { code: string; field: string } }).data).toMatchObject({
      code: "INVALID_ARGUMENT",
      field: "verifier",
    });
  });
});

test("the start URL points at the deployment's site origin", async () => {
  const t = oauthApp([acme()]);
  const result = await new AppBrowser(t).signIn("acme");
  if (result.kind !== "redirect") throw new Error("no redirect");
  const url = new URL(result.url);
  expect(`${url.origin}${url.pathname}`).toBe(`${CONVEX_SITE_URL}/api/auth/signin/acme`);
  expect(url.searchParams.get("flow")).toMatch(/^[\w-]{43}$/);
  expect(result.verifier).toMatch(/^[\w-]{43}$/);
});
