// @vitest-environment node
import MicrosoftEntraID from "@auth/core/providers/microsoft-entra-id";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { fromAuthCore } from "../../src/lib/oauth/authCore";
import { handleCallback } from "../../src/lib/oauth/callback";
import { oidc } from "../../src/lib/oauth/oidc";
import { startAuthorization } from "../../src/lib/oauth/start";
import type { OAuthProvider } from "../../src/lib/oauth/types";
import { watchedFetch } from "./support/browser";
import { ENTRA_CLIENT, startEntra, TENANT_A, TENANT_B } from "./support/entra";
import { expectOAuthError, runFlow } from "./support/flow";

const REDIRECT = "http://127.0.0.1/api/auth/callback/microsoft-entra-id";
let entra: Awaited<ReturnType<typeof startEntra>>;

beforeAll(async () => {
  entra = await startEntra();
});
afterAll(() => entra.close());
beforeEach(() => {
  entra.next.tid = TENANT_A;
  delete entra.next.iss;
});

const entraProvider = (segment = "common", options: Parameters<typeof fromAuthCore>[1] = {}) =>
  fromAuthCore(
    MicrosoftEntraID({ clientId: ENTRA_CLIENT.id, clientSecret: ENTRA_CLIENT.secret, issuer: `${entra.url}/${segment}/v2.0` }),
    options,
  );

async function signIn(provider: OAuthProvider) {
  const watched = watchedFetch();
  const { secrets, parameters } = await runFlow(provider, { redirectUri: REDIRECT, start: { fetch: watched.fetch } });
  const result = await handleCallback(provider, parameters, secrets, { fetch: watched.fetch });
  return { ...result, calls: watched.calls };
}

test("multi-tenant: the {tenantid} issuer is resolved from the token's tid", async () => {
  const { profile, calls } = await signIn(entraProvider());
  expect(profile).toMatchObject({
    provider: "microsoft-entra-id",
    subject: "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
    email: "ada@contoso.example",
    emailVerified: false, // Entra's email claim is not verified by Microsoft
    name: "Ada Lovelace",
  });
  expect(profile.raw).toMatchObject({ tid: TENANT_A, iss: `${entra.url}/${TENANT_A}/v2.0` });
  // The catalogue's profile() would fetch a photo from Microsoft Graph: nothing left loopback.
  expect(calls.every((url) => url.startsWith(entra.url))).toBe(true);
});

test("users of any tenant sign in through common", async () => {
  entra.next.tid = TENANT_B;
  const { profile } = await signIn(entraProvider());
  expect(profile.raw.tid).toBe(TENANT_B);
});

test("a token whose iss names another tenant than its tid is refused: issuer", async () => {
  entra.next.iss = `${entra.url}/${TENANT_B}/v2.0`;
  await expectOAuthError(signIn(entraProvider()), { code: "OAUTH_INVALID_ID_TOKEN", reason: "issuer" });
});

test("a tid that is not a tenant id cannot bend the issuer: tenant", async () => {
  entra.next.tid = "../evil";
  entra.next.iss = `${entra.url}/../evil/v2.0`;
  await expectOAuthError(signIn(entraProvider()), { code: "OAUTH_INVALID_ID_TOKEN", reason: "tenant" });
});

test("allowedTenants, or a tenant id in the issuer, limits who signs in", async () => {
  entra.next.tid = TENANT_B;
  await expectOAuthError(signIn(entraProvider("common", { allowedTenants: [TENANT_A] })), {
    code: "OAUTH_INVALID_ID_TOKEN",
    reason: "tenant",
  });
  await expectOAuthError(signIn(entraProvider(TENANT_A)), { code: "OAUTH_INVALID_ID_TOKEN", reason: "tenant" });
  entra.next.tid = TENANT_A;
  expect((await signIn(entraProvider(TENANT_A))).profile.raw.tid).toBe(TENANT_A);
});

test("a provider not declared multi-tenant refuses a {tenantid} discovery document", async () => {
  const generic = oidc({ issuer: `${entra.url}/common/v2.0`, clientId: ENTRA_CLIENT.id, clientSecret: ENTRA_CLIENT.secret });
  await expectOAuthError(startAuthorization(generic, { redirectUri: REDIRECT }), {
    code: "OAUTH_DISCOVERY_MISMATCH",
    expected: `${entra.url}/common/v2.0`,
    received: `${entra.url}/{tenantid}/v2.0`,
  });
  const declared = oidc({
    id: "entra",
    issuer: `${entra.url}/common/v2.0`,
    clientId: ENTRA_CLIENT.id,
    clientSecret: ENTRA_CLIENT.secret,
    multiTenant: true,
  });
  expect((await signIn(declared)).profile.raw.tid).toBe(TENANT_A);
});

test("a template for another host than the configured issuer's is a discovery mismatch", async () => {
  const configured = `${entra.url.replace("127.0.0.1", "localhost")}/common/v2.0`;
  const provider = fromAuthCore(
    MicrosoftEntraID({ clientId: ENTRA_CLIENT.id, clientSecret: ENTRA_CLIENT.secret, issuer: configured }),
  );
  // localhost reaches the same server, whose template names 127.0.0.1.
  await expectOAuthError(startAuthorization(provider, { redirectUri: REDIRECT }), {
    code: "OAUTH_DISCOVERY_MISMATCH",
    expected: configured,
    received: `${entra.url}/{tenantid}/v2.0`,
  });
});
