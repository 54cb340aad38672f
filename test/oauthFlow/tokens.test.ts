// @vitest-environment node
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { providerTokens, type ProviderTokens } from "convex-warden/providers/OAuth";
import { components } from "../../example/convex/_generated/api";
import type { UserId } from "../../src/server/types";
import { wardenTables, type ExampleApp } from "../setup";
import { startOpenIdProvider, type RunningProvider } from "../oauth/support/openidProvider";
import { acmeProvider, AppBrowser, callbackUrl, oauthApp, userOf } from "./support/app";

/**
 * OA-6: provider tokens never reach the client; an app that opts in keeps
 * them on the account, sealed with AES-256-GCM under its own key, and reads
 * them back in its server code.
 */
let op: RunningProvider;
/** The access tokens the provider issued, as its token endpoint answered. */
let issued: string[] = [];

beforeAll(async () => {
  op = await startOpenIdProvider({ clients: [{ client_id: "warden-app", redirect_uris: [callbackUrl("acme")] }] });
});
afterAll(() => {
  delete process.env.AUTH_TOKEN_ENCRYPTION_KEY;
  return op.close();
});
beforeEach(() => {
  issued = [];
  process.env.AUTH_TOKEN_ENCRYPTION_KEY = randomBytes(32).toString("base64");
});

const watching = async (input: RequestInfo | URL, init?: RequestInit) => {
  const response = await fetch(input, init);
  if (String(input).endsWith("/token")) issued.push(((await response.clone().json()) as { access_token: string }).access_token);
  return response;
};

const acme = (keepTokens: boolean) => acmeProvider(op.issuer, { fetch: watching, keepTokens });

const read = (t: ExampleApp, userId: string, provider = "acme") =>
  t.action(async (ctx): Promise<ProviderTokens | null> =>
    providerTokens(ctx, components.warden, { provider, userId: userId as UserId }),
  );

test("kept tokens are sealed on the account and read back by the app's server code", async () => {
  const t = oauthApp([acme(true)]);
  const { result } = await new AppBrowser(t).signInWith("acme");
  const userId = await userOf(t, result);
  const [accessToken] = issued;
  const { accounts } = await wardenTables(t);
  expect(accounts[0]!.secret).toMatch(/^\$warden-tokens\$v=1\$[\w-]{16}\$[\w-]+$/);
  expect(JSON.stringify(await wardenTables(t))).not.toContain(accessToken);
  expect(JSON.stringify(result)).not.toContain(accessToken);
  const tokens = await read(t, userId);
  expect(tokens).toMatchObject({ accessToken, tokenType: "bearer" });
  expect(tokens?.idToken?.split(".")).toHaveLength(3);
  expect(tokens!.expiresAt).toBeGreaterThan(Date.now());
});

test("a returning sign-in replaces the kept tokens with the new ones", async () => {
  const t = oauthApp([acme(true)]);
  const browser = new AppBrowser(t);
  const userId = await userOf(t, (await browser.signInWith("acme")).result);
  await browser.signInWith("acme");
  expect(issued).toHaveLength(2);
  expect((await read(t, userId))?.accessToken).toBe(issued[1]);
});

test("sealed tokens open only under the key, and only for their own account", async () => {
  const t = oauthApp([acme(true)]);
  const userId = await userOf(t, (await new AppBrowser(t).signInWith("acme")).result);
  process.env.AUTH_TOKEN_ENCRYPTION_KEY = randomBytes(32).toString("base64");
  expect(await read(t, userId)).toBeNull();
  expect(await read(t, userId, "other")).toBeNull();
});

test("without keepTokens nothing is kept", async () => {
  const t = oauthApp([acme(false)]);
  const userId = await userOf(t, (await new AppBrowser(t).signInWith("acme")).result);
  expect((await wardenTables(t)).accounts[0]!.secret).toBeUndefined();
  expect(await read(t, userId)).toBeNull();
});

test("keepTokens without a usable key is a programmer error at configuration", () => {
  delete process.env.AUTH_TOKEN_ENCRYPTION_KEY;
  expect(() => acme(true)).toThrow(TypeError);
  process.env.AUTH_TOKEN_ENCRYPTION_KEY = "too-short";
  expect(() => acme(true)).toThrow(TypeError);
});
