import GitHub from "@auth/core/providers/github";
import { afterEach, expect, test } from "vitest";
import { OAuth, OIDC } from "convex-warden/providers/OAuth";

/** Configuration: the familiar env var names, the route layout, and bad options as programmer errors. */
const ENV = ["AUTH_GITHUB_ID", "AUTH_GITHUB_SECRET", "AUTH_ACME_ISSUER", "AUTH_ACME_ID", "AUTH_ACME_SECRET"];
afterEach(() => {
  for (const name of ENV) delete process.env[name];
});

test("OAuth(GitHub) takes its client from AUTH_GITHUB_ID and AUTH_GITHUB_SECRET, and mounts three routes", () => {
  expect(() => OAuth(GitHub)).toThrow(TypeError);
  process.env.AUTH_GITHUB_ID = "Iv1.from-env";
  process.env.AUTH_GITHUB_SECRET = "secret-from-env";
  const provider = OAuth(GitHub);
  expect(provider.id).toBe("github");
  expect(provider.routes?.map((route) => `${route.method} ${route.path}`)).toEqual([
    "GET /api/auth/signin/github",
    "GET /api/auth/callback/github",
    "POST /api/auth/callback/github",
  ]);
  expect(provider.stores).toEqual(["accounts", "challenges", "limits", "users"]);
});

test("OIDC({ id }) takes its issuer and client from AUTH_<ID>_ISSUER, _ID and _SECRET", () => {
  expect(() => OIDC({ id: "acme" })).toThrow(TypeError);
  process.env.AUTH_ACME_ISSUER = "https://login.acme.example";
  process.env.AUTH_ACME_ID = "acme-client";
  process.env.AUTH_ACME_SECRET = "acme-secret";
  const provider = OIDC({ id: "acme" });
  expect(provider.id).toBe("acme");
  expect(provider.routes?.[0]?.path).toBe("/api/auth/signin/acme");
});

test("bad flow options are programmer errors", () => {
  const client = { issuer: "https://login.acme.example", clientId: "c", clientSecret: "s" };
  expect(() => OIDC({ ...client, flowLifetimeMs: 0 })).toThrow(TypeError);
  expect(() => OIDC({ ...client, flowLifetimeMs: 2 * 3600_000 })).toThrow(TypeError);
  expect(() => OIDC({ ...client, convexSiteUrl: "http://deployment.example" })).toThrow(TypeError);
  expect(() => OIDC({ ...client, siteUrl: "https://app.example", allowedOrigins: ["*.vercel.app"] })).toThrow(TypeError);
});
