// @vitest-environment node
import Apple from "@auth/core/providers/apple";
import MicrosoftEntraID from "@auth/core/providers/microsoft-entra-id";
import { exportPKCS8, generateKeyPair, jwtVerify } from "jose";
import { afterAll, beforeAll, expect, test } from "vitest";
import { OAuth } from "convex-warden/providers/OAuth";
import { APPLE_AUDIENCE } from "../../src/lib/oauth/appleClientSecret";
import { wardenTables } from "../setup";
import { ENTRA_CLIENT, startEntra, TENANT_A, TENANT_B } from "../oauth/support/entra";
import { CLIENT_SECRET, startOpenIdProvider, type RunningProvider } from "../oauth/support/openidProvider";
import { AppBrowser, callbackUrl, CONVEX_SITE_URL, handedBack, location, oauthApp, SITE_URL, userOf } from "./support/app";

/**
 * The providers that trip others up, through the routes: Apple (a form_post
 * callback, the name sent only on first consent, a client secret that is a
 * signed JWT) and Microsoft Entra ID multi-tenant (the `{tenantid}` issuer).
 */
const SERVICES_ID = "com.example.web";
const TEAM_ID = "TEAM123456";
const KEY_ID = "KEY7890ABC";

let op: RunningProvider;
let entra: Awaited<ReturnType<typeof startEntra>>;
let keys: CryptoKeyPair;
let pem: string;

beforeAll(async () => {
  // Apple as sign-in sees it: claims in the ID token, no userinfo, form_post, client_secret_post.
  op = await startOpenIdProvider({
    clients: [{ client_id: SERVICES_ID, redirect_uris: [callbackUrl("apple")], token_endpoint_auth_method: "client_secret_post" }],
    claimsInIdToken: true,
    userinfo: false,
  });
  entra = await startEntra();
  keys = await generateKeyPair("ES256", { extractable: true });
  pem = await exportPKCS8(keys.privateKey);
});
afterAll(async () => {
  await op.close();
  await entra.close();
});

/** Apple's token endpoint checks the client secret JWT against the team key, then the test provider gets its own secret. */
const appleGateway = async (input: RequestInfo | URL, init?: RequestInit) => {
  if (!String(input).endsWith("/token")) return fetch(input, init);
  const body = new URLSearchParams(init?.body as URLSearchParams);
  try {
    await jwtVerify(body.get("client_secret") ?? "", keys.publicKey, {
      algorithms: ["ES256"],
      issuer: TEAM_ID,
      subject: SERVICES_ID,
      audience: APPLE_AUDIENCE,
    });
  } catch {
    return Response.json({ error: "invalid_client" }, { status: 400 });
  }
  body.set("client_secret", CLIENT_SECRET);
  return fetch(input, { ...init, body });
};

const apple = (privateKey = pem) =>
  OAuth(Apple({ clientId: SERVICES_ID, issuer: op.issuer }), {
    id: "apple",
    apple: { teamId: TEAM_ID, keyId: KEY_ID, privateKey },
    siteUrl: SITE_URL,
    convexSiteUrl: CONVEX_SITE_URL,
    fetch: appleGateway,
  });

/** An Apple sign-in: the provider's form_post, with the `user` field Apple adds on first consent. */
async function viaApple(browser: AppBrowser, user?: unknown) {
  const callback = await browser.authorize(await browser.start("apple"), "apple");
  expect(callback.method).toBe("POST");
  if (user !== undefined) callback.parameters.set("user", JSON.stringify(user));
  return handedBack(location(await browser.callback("apple", callback), 303));
}

test("Apple: the name from the first consent is kept, and a later sign-in without it keeps it", async () => {
  const t = oauthApp([apple()]);
  const browser = new AppBrowser(t);
  const firstConsent = { name: { firstName: "Alice", lastName: "Liddell" }, email: "spoofed@evil.example" };
  const first = await viaApple(browser, firstConsent);
  const userId = await userOf(t, await browser.finish("apple", first.code!));
  const later = await viaApple(browser);
  expect(await userOf(t, await browser.finish("apple", later.code!))).toBe(userId);
  const stored = (await t.run((ctx) => ctx.db.get(userId as never))) as Record<string, unknown>;
  // The email comes from the signed ID token, never from the unsigned user field.
  expect(stored).toMatchObject({ name: "Alice Liddell", email: "alice@example.com" });
});

test("Apple: a client secret signed with another key is OAUTH_CLIENT_REJECTED", async () => {
  const other = await generateKeyPair("ES256", { extractable: true });
  const t = oauthApp([apple(await exportPKCS8(other.privateKey))]);
  expect((await viaApple(new AppBrowser(t))).error).toBe("OAUTH_CLIENT_REJECTED");
});

const entraProvider = (allowedTenants?: string[]) =>
  OAuth(MicrosoftEntraID({ clientId: ENTRA_CLIENT.id, clientSecret: ENTRA_CLIENT.secret, issuer: `${entra.url}/common/v2.0` }), {
    id: "microsoft-entra-id",
    allowedTenants,
    siteUrl: SITE_URL,
    convexSiteUrl: CONVEX_SITE_URL,
  });

async function viaEntra(allowedTenants?: string[]) {
  const t = oauthApp([entraProvider(allowedTenants)]);
  const browser = new AppBrowser(t);
  const callback = await browser.authorize(await browser.start("microsoft-entra-id"), "microsoft-entra-id");
  const back = handedBack(location(await browser.callback("microsoft-entra-id", callback)));
  return { t, back, browser };
}

test("Entra ID multi-tenant: a token from any tenant signs in; its unverified email creates no verified user", async () => {
  entra.next.tid = TENANT_B;
  const { t, back, browser } = await viaEntra();
  const userId = await userOf(t, await browser.finish("microsoft-entra-id", back.code!));
  const stored = (await t.run((ctx) => ctx.db.get(userId as never))) as Record<string, unknown>;
  expect(stored.emailVerificationTime).toBeUndefined();
  expect((await wardenTables(t)).accounts[0]!.providerAccountId).toBe("AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ");
});

test("Entra ID: a tenant outside allowedTenants, or an issuer not its tenant's, is OAUTH_INVALID_ID_TOKEN", async () => {
  entra.next.tid = TENANT_B;
  expect((await viaEntra([TENANT_A])).back.error).toBe("OAUTH_INVALID_ID_TOKEN");
  entra.next.tid = TENANT_A;
  entra.next.iss = `${entra.url}/${TENANT_B}/v2.0`;
  try {
    expect((await viaEntra()).back.error).toBe("OAUTH_INVALID_ID_TOKEN");
  } finally {
    delete entra.next.iss;
  }
});
