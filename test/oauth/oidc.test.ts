// @vitest-environment node
import { afterAll, beforeAll, expect, test } from "vitest";
import { handleCallback } from "../../src/lib/oauth/callback";
import { oidc } from "../../src/lib/oauth/oidc";
import { startAuthorization } from "../../src/lib/oauth/start";
import { Browser } from "./support/browser";
import { CLIENT_SECRET, startOpenIdProvider, type RunningProvider } from "./support/openidProvider";

const REDIRECT = "http://127.0.0.1/api/auth/callback/acme";
let op: RunningProvider;

beforeAll(async () => {
  op = await startOpenIdProvider({ clients: [{ client_id: "warden-app", redirect_uris: [REDIRECT] }] });
});
afterAll(() => op.close());

const acme = () => oidc({ id: "acme", issuer: op.issuer, clientId: "warden-app", clientSecret: CLIENT_SECRET });

test("a user signs in at a real OpenID Provider and comes back with a verified profile", async () => {
  const provider = acme();
  const { url, secrets } = await startAuthorization(provider, { redirectUri: REDIRECT });
  const callback = await new Browser().authorize(url, { redirectUri: REDIRECT });
  const { profile, tokens } = await handleCallback(provider, callback.parameters, secrets);
  expect(profile).toMatchObject({
    provider: "acme",
    subject: "alice",
    email: "alice@example.com",
    emailVerified: true,
    name: "Alice Liddell",
    image: "https://img.example/alice.png",
  });
  expect(tokens).toBeUndefined();
});
