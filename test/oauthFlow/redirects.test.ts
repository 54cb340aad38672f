// @vitest-environment node
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { OIDCOptions } from "convex-warden/providers/OAuth";
import type { RedirectRefusalReason } from "../../src/lib/redirect";
import { wardenTables } from "../setup";
import { startOpenIdProvider, type RunningProvider } from "../oauth/support/openidProvider";
import { acmeProvider, AppBrowser, callbackUrl, handedBack, location, oauthApp, SITE_URL } from "./support/app";

/**
 * OA-5 through the real routes: `signIn(provider, { redirectTo })` refuses
 * every open-redirect attempt before a flow exists, and every legitimate
 * target is where the callback sends the browser back, exactly.
 */
const PREVIEW = "https://app-git-feature-acme.vercel.app";
let op: RunningProvider;

beforeAll(async () => {
  op = await startOpenIdProvider({ clients: [{ client_id: "warden-app", redirect_uris: [callbackUrl("acme")] }] });
});
afterAll(() => op.close());

const acme = (options: Partial<OIDCOptions<string>> = {}) =>
  acmeProvider(op.issuer, { allowedOrigins: [PREVIEW, "myapp://callback", "com.example.app:/"], ...options });

describe("open-redirect attempts are refused before any flow starts", () => {
  const attempts: Array<[string, RedirectRefusalReason]> = [
    ["//evil.com", "origin_not_allowed"],
    ["///evil.com", "origin_not_allowed"],
    ["https://evil.com/", "origin_not_allowed"],
    ["https:evil.com", "origin_not_allowed"],
    ["https://app.example.evil.com/", "origin_not_allowed"],
    ["https://evil.com#@app.example", "origin_not_allowed"],
    ["http://app.example/", "origin_not_allowed"],
    ["https://app-git-other.vercel.app/", "origin_not_allowed"],
    ["myapp://callback.evil.com/", "origin_not_allowed"],
    ["https://\u0430pp.example/", "origin_not_allowed"],
    ["https://app.example@evil.com", "credentials"],
    ["https://app.example%2f@evil.com", "credentials"],
    ["/\\evil.com", "invalid_character"],
    ["/\t/evil.com", "invalid_character"],
    ["javascript:alert(document.domain)", "forbidden_scheme"],
    ["JaVaScRiPt:alert(1)", "forbidden_scheme"],
    ["data:text/html,<script>alert(1)</script>", "forbidden_scheme"],
    ["%2F%2Fevil.com", "relative"],
    ["evil.com", "relative"],
    ["/%2F%2Fevil.com", "ambiguous_path"],
    ["/%5Cevil.com", "ambiguous_path"],
    ["https://app.example//evil.com", "ambiguous_path"],
    ["", "empty"],
  ];
  test.each(attempts)("%j", async (redirectTo, reason) => {
    const t = oauthApp([acme()]);
    const result = await new AppBrowser(t).signIn("acme", { redirectTo });
    expect(result).toEqual({ kind: "failed", error: { code: "REDIRECT_NOT_ALLOWED", reason } });
    expect((await wardenTables(t)).challenges).toEqual([]);
  });
});

describe("legitimate targets are where the browser comes back", () => {
  const targets: Array<[string, string]> = [
    ["/", `${SITE_URL}/`],
    ["/dashboard", `${SITE_URL}/dashboard`],
    ["/settings?tab=security#mfa", `${SITE_URL}/settings?tab=security#mfa`],
    [`${SITE_URL}/welcome`, `${SITE_URL}/welcome`],
    [`${PREVIEW}/after`, `${PREVIEW}/after`],
    ["myapp://callback", "myapp://callback"],
    ["com.example.app:/oauth2redirect", "com.example.app:/oauth2redirect"],
  ];
  test.each(targets)("%s", async (redirectTo, expected) => {
    const t = oauthApp([acme()]);
    const browser = new AppBrowser(t);
    const { back, result } = await browser.signInWith("acme", { params: { redirectTo } });
    expect(back.target).toBe(expected);
    expect(result.kind).toBe("signedIn");
  });

  test("a failure goes back to the target too, with its code", async () => {
    const t = oauthApp([acme()]);
    const browser = new AppBrowser(t);
    const callback = await browser.authorize(await browser.start("acme", { redirectTo: "myapp://callback" }), "acme", {
      decline: true,
    });
    expect(handedBack(location(await browser.callback("acme", callback)))).toMatchObject({
      target: "myapp://callback",
      error: "OAUTH_ACCESS_DENIED",
    });
  });

  test("the target cannot be changed on the way: the start route ignores a redirectTo of its own", async () => {
    const t = oauthApp([acme()]);
    const browser = new AppBrowser(t);
    const started = await browser.signIn("acme", { redirectTo: "/mine" });
    if (started.kind !== "redirect") throw new Error("no redirect");
    const tampered = new URL(started.url);
    tampered.searchParams.set("redirectTo", "https://evil.com/");
    const toProvider = location(await browser.site(tampered.href));
    const callback = await browser.authorize(toProvider.href, "acme");
    callback.parameters.set("redirectTo", "https://evil.com/");
    expect(handedBack(location(await browser.callback("acme", callback))).target).toBe(`${SITE_URL}/mine`);
  });
});

test("an allowed origin that is not an origin is a programmer error at configuration", () => {
  for (const origin of ["https://ok.example/path", "javascript:", "https://u@ok.example", "not a url"]) {
    expect(() => acme({ allowedOrigins: [origin] })).toThrow(TypeError);
  }
  expect(() => acme({ siteUrl: "app.example" })).toThrow(TypeError);
});
