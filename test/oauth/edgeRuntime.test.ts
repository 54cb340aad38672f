import GitHub from "@auth/core/providers/github";
import { exportPKCS8, generateKeyPair, jwtVerify } from "jose";
import { expect, test } from "vitest";
import { appleClientSecret } from "../../src/lib/oauth/appleClientSecret";
import { fromAuthCore } from "../../src/lib/oauth/authCore";
import { startAuthorization } from "../../src/lib/oauth/start";
import { checkRedirectTarget } from "../../src/lib/redirect";

/**
 * The OAuth core runs where Convex's default runtime does: this file runs in
 * vitest's edge-runtime environment (Web APIs, no Node built-ins), as the
 * steps that need no network server can be exercised here.
 */
test("a plain OAuth start builds its URL with Web Crypto alone", async () => {
  const github = fromAuthCore(GitHub({ clientId: "c", clientSecret: "s" }));
  const { url, secrets } = await startAuthorization(github, { redirectUri: "https://app.example/api/auth/callback/github" });
  const params = new URL(url).searchParams;
  expect(url.startsWith("https://github.com/login/oauth/authorize?")).toBe(true);
  expect(params.get("code_challenge_method")).toBe("S256");
  expect(params.get("state")).toBe(secrets.state);
  expect(params.get("nonce")).toBeNull();
  expect(secrets.nonce).toBeUndefined();
});

test("Apple's client secret is signed with Web Crypto alone", async () => {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const sign = appleClientSecret({ teamId: "T", keyId: "K", privateKey: await exportPKCS8(privateKey) });
  if (typeof sign === "string") throw new Error("expected a signer");
  const { payload } = await jwtVerify(await sign({ clientId: "com.example", nowMs: Date.now() }), publicKey);
  expect(payload.sub).toBe("com.example");
});

test("redirect targets are checked with the runtime's own URL parser", () => {
  expect(checkRedirectTarget("//evil.com", { siteUrl: "https://app.com" })).toMatchObject({ ok: false });
  expect(checkRedirectTarget("/ok", { siteUrl: "https://app.com" })).toEqual({ ok: true, url: "https://app.com/ok" });
});
