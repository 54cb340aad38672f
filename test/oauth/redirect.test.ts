import { describe, expect, test } from "vitest";
import { checkRedirectTarget, type RedirectRefusalReason } from "../../src/lib/redirect";

const options = {
  siteUrl: "https://app.com",
  allowedOrigins: ["https://app-git-feature-acme.vercel.app", "myapp://callback", "com.example.app:/"],
};
const check = (target: unknown) => checkRedirectTarget(target, options);

describe("legitimate targets pass, as the parser serializes them", () => {
  test.each([
    ["/", "https://app.com/"],
    ["/dashboard", "https://app.com/dashboard"],
    ["/settings?tab=security#mfa", "https://app.com/settings?tab=security#mfa"],
    ["/a/../b", "https://app.com/b"],
    ["/path%20with%20spaces", "https://app.com/path%20with%20spaces"],
    ["https://app.com/welcome", "https://app.com/welcome"],
    ["https://app.com:443/welcome", "https://app.com/welcome"],
    ["HTTPS://APP.COM/Welcome", "https://app.com/Welcome"],
    ["https://app-git-feature-acme.vercel.app/after", "https://app-git-feature-acme.vercel.app/after"],
    ["myapp://callback", "myapp://callback"],
    ["myapp://callback/done?ok=1", "myapp://callback/done?ok=1"],
    ["com.example.app:/oauth2redirect", "com.example.app:/oauth2redirect"],
    // Compatibility forms IDNA maps to app.com itself: the browser is sent to the normalized URL.
    ["https://app.co\u217F/", "https://app.com/"],
    ["https://APP\uFF0Ecom/x", "https://app.com/x"],
  ])("%s", (target, url) => {
    expect(check(target)).toEqual({ ok: true, url });
  });
});

describe("open redirect attempts fail", () => {
  const cases: Array<[string | unknown, RedirectRefusalReason]> = [
    ["", "empty"],
    [undefined, "empty"],
    [42, "empty"],
    ["/" + "a".repeat(2048), "too_long"],
    // Another host, however written.
    ["//evil.com", "origin_not_allowed"],
    ["///evil.com", "origin_not_allowed"],
    ["//evil.com/app.com", "origin_not_allowed"],
    ["https://evil.com", "origin_not_allowed"],
    ["https:evil.com", "origin_not_allowed"],
    ["https:/evil.com", "origin_not_allowed"],
    ["https://app.com.evil.com", "origin_not_allowed"],
    ["https://evilapp.com", "origin_not_allowed"],
    ["https://evil.com#@app.com", "origin_not_allowed"],
    ["https://evil.com?https://app.com", "origin_not_allowed"],
    ["http://app.com/", "origin_not_allowed"],
    ["https://app.com:8443/", "origin_not_allowed"],
    ["https://vercel.app/", "origin_not_allowed"],
    ["https://app-git-other.vercel.app/", "origin_not_allowed"],
    ["myapp://callback.evil.com/", "origin_not_allowed"],
    ["otherapp://callback", "origin_not_allowed"],
    // IDN look-alikes: Cyrillic "а"; an ideographic full stop, which the parser reads as ".".
    ["https://\u0430pp.com/", "origin_not_allowed"],
    ["https://app.com\u3002evil.com/", "origin_not_allowed"],
    ["https://app\uFF0Ecom\uFF0Eevil\uFF0Ecom/", "origin_not_allowed"],
    ["https://xn--pp-8cd.com/", "origin_not_allowed"],
    // Credentials in the authority.
    ["https://app.com@evil.com", "credentials"],
    ["https://app.com:pass@evil.com/", "credentials"],
    ["https://user@app.com/", "credentials"],
    ["https://app.com%2f@evil.com", "credentials"],
    // Backslashes and control characters: never in an honest target.
    ["/\\evil.com", "invalid_character"],
    ["\\\\evil.com", "invalid_character"],
    ["https:\\\\evil.com", "invalid_character"],
    ["/\t/evil.com", "invalid_character"],
    ["/\n/evil.com", "invalid_character"],
    ["java\tscript:alert(1)", "invalid_character"],
    ["jav\nascript:alert(1)", "invalid_character"],
    ["\u0000javascript:alert(1)", "invalid_character"],
    [" //evil.com", "invalid_character"],
    ["/dashboard ", "invalid_character"],
    // Schemes that are not navigation to an app.
    ["javascript:alert(1)", "forbidden_scheme"],
    ["JAVASCRIPT:alert(1)", "forbidden_scheme"],
    ["JaVaScRiPt:alert(document.domain)", "forbidden_scheme"],
    ["data:text/html,<script>alert(1)</script>", "forbidden_scheme"],
    ["DATA:text/html;base64,PHNjcmlwdD4=", "forbidden_scheme"],
    ["vbscript:msgbox(1)", "forbidden_scheme"],
    ["file:///etc/passwd", "forbidden_scheme"],
    ["blob:https://app.com/uuid", "forbidden_scheme"],
    ["about:blank", "forbidden_scheme"],
    ["wss://app.com/", "forbidden_scheme"],
    // Not a path and not a URL: encoded slashes stay relative, and are refused.
    ["%2F%2Fevil.com", "relative"],
    ["%2f%2fevil.com", "relative"],
    ["evil.com", "relative"],
    ["dashboard", "relative"],
    ["?next=//evil.com", "relative"],
    ["#//evil.com", "relative"],
    ["%5C%5Cevil.com", "relative"],
    // Paths a later hop could read as another host.
    ["/%2F%2Fevil.com", "ambiguous_path"],
    ["/%2fevil.com", "ambiguous_path"],
    ["/%5Cevil.com", "ambiguous_path"],
    ["/./%2F/evil.com", "ambiguous_path"],
    ["https://app.com//evil.com", "ambiguous_path"],
    ["/.//evil.com", "ambiguous_path"],
  ];
  test.each(cases)("%j", (target, reason) => {
    expect(check(target)).toEqual({ ok: false, code: "REDIRECT_NOT_ALLOWED", reason });
  });
});

test("misconfiguration is a programmer error", () => {
  expect(() => checkRedirectTarget("/", { siteUrl: "app.com" })).toThrow(TypeError);
  expect(() => checkRedirectTarget("/", { siteUrl: "javascript:alert(1)" })).toThrow(TypeError);
  for (const origin of ["https://ok.com/path", "javascript:", "data:", "https://u@ok.com", "not a url", "https://ok.com?x"]) {
    expect(() => checkRedirectTarget("/", { siteUrl: "https://app.com", allowedOrigins: [origin] })).toThrow(TypeError);
  }
});

test("with no allow-list only the site's origin passes", () => {
  expect(checkRedirectTarget("https://app-git-feature-acme.vercel.app/", { siteUrl: "https://app.com/" })).toMatchObject({
    ok: false,
    reason: "origin_not_allowed",
  });
  expect(checkRedirectTarget("/x", { siteUrl: "https://app.com/base/" })).toEqual({ ok: true, url: "https://app.com/x" });
});
