// @vitest-environment node
import Apple from "@auth/core/providers/apple";
import Credentials from "@auth/core/providers/credentials";
import Discord from "@auth/core/providers/discord";
import GitHub from "@auth/core/providers/github";
import Google from "@auth/core/providers/google";
import MicrosoftEntraID from "@auth/core/providers/microsoft-entra-id";
import { exportPKCS8, generateKeyPair } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { providerEnv } from "../../src/lib/env";
import { fromAuthCore, type AuthCoreProviderConfig } from "../../src/lib/oauth/authCore";
import { handleCallback } from "../../src/lib/oauth/callback";
import { oidc } from "../../src/lib/oauth/oidc";
import { discord, genericOAuth, standardClaims } from "../../src/lib/oauth/profiles";
import { createFlowSecrets, startAuthorization } from "../../src/lib/oauth/start";
import { watchedFetch } from "./support/browser";
import { runFlow } from "./support/flow";
import { CLIENT_SECRET, startOpenIdProvider, type RunningProvider } from "./support/openidProvider";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the catalogue's configs normalize to one shape", () => {
  test("Google: OIDC at its issuer, default scopes, client_secret_basic", () => {
    const google = fromAuthCore(Google({ clientId: "g-id", clientSecret: "g-secret" }));
    expect(google).toMatchObject({
      id: "google",
      protocol: "oidc",
      issuer: "https://accounts.google.com",
      authorizationParams: { scope: "openid profile email" },
      responseMode: "query",
      clientId: "g-id",
      clientAuth: { method: "client_secret_basic", secret: "g-secret" },
      profileSource: "oidc",
      issuerTemplate: "none",
    });
  });

  test("GitHub: plain OAuth 2.0 with its endpoints, scopes and the emails API", () => {
    const github = fromAuthCore(GitHub({ clientId: "gh-id", clientSecret: "gh-secret" }));
    expect(github).toMatchObject({
      id: "github",
      protocol: "oauth2",
      endpoints: {
        authorization: "https://github.com/login/oauth/authorize",
        token: "https://github.com/login/oauth/access_token",
        userinfo: "https://api.github.com/user",
      },
      authorizationParams: { scope: "read:user user:email" },
      profileSource: "github",
    });
  });

  test("Apple: form_post, client_secret_post, openid added to its scopes", () => {
    const apple = fromAuthCore(Apple({ clientId: "com.example.web", clientSecret: "static.jwt.secret" }));
    expect(apple).toMatchObject({
      protocol: "oidc",
      issuer: "https://appleid.apple.com",
      responseMode: "form_post",
      authorizationParams: { scope: "openid name email", response_mode: "form_post" },
      clientAuth: { method: "client_secret_post", secret: "static.jwt.secret" },
    });
  });

  test("Discord: userinfo JSON; Entra ID: the common issuer as a tenant template", () => {
    expect(fromAuthCore(Discord({ clientId: "d", clientSecret: "s" }))).toMatchObject({
      protocol: "oauth2",
      profileSource: "userinfo",
      endpoints: { userinfo: "https://discord.com/api/users/@me" },
    });
    expect(fromAuthCore(MicrosoftEntraID({ clientId: "e", clientSecret: "s" }))).toMatchObject({
      protocol: "oidc",
      issuer: "https://login.microsoftonline.com/common/v2.0",
      issuerTemplate: "tenantid",
      authorizationParams: { scope: "openid profile email User.Read" },
    });
  });

  test("query parameters in a configured URL, and objects such as claims, become parameters", () => {
    const config: AuthCoreProviderConfig = {
      id: "legacy",
      name: "Legacy",
      type: "oauth",
      authorization: { url: "https://legacy.example/authorize?scope=basic&display=popup", params: { claims: { a: 1 } } },
      token: "https://legacy.example/token",
      userinfo: "https://legacy.example/me",
      clientId: "l",
      clientSecret: "s",
    };
    const legacy = fromAuthCore(config);
    expect(legacy.endpoints.authorization).toBe("https://legacy.example/authorize");
    expect(legacy.authorizationParams).toEqual({ scope: "basic", display: "popup", claims: '{"a":1}' });
  });

  test("a config cannot set the parameters the flow owns", () => {
    const google = fromAuthCore(
      Google({
        clientId: "g",
        clientSecret: "s",
        authorization: { params: { state: "fixed", redirect_uri: "https://evil.example", prompt: "consent" } },
      }),
    );
    expect(google.authorizationParams).toEqual({ scope: "openid profile email", prompt: "consent" });
  });
});

describe("env defaults, overridden by the config and by options", () => {
  test("AUTH_<PROVIDER>_ID and _SECRET fill in what the app did not set", () => {
    vi.stubEnv("AUTH_GITHUB_ID", "env-id");
    vi.stubEnv("AUTH_GITHUB_SECRET", "env-secret");
    const fromFunction = fromAuthCore(GitHub);
    const fromConfig = fromAuthCore(GitHub({}));
    for (const provider of [fromFunction, fromConfig]) {
      expect(provider.clientId).toBe("env-id");
      expect(provider.clientAuth).toEqual({ method: "client_secret_basic", secret: "env-secret" });
    }
    expect(fromAuthCore(GitHub({ clientId: "config-id" })).clientId).toBe("config-id");
    expect(fromAuthCore(GitHub({ clientId: "config-id" }), { clientId: "option-id" }).clientId).toBe("option-id");
  });

  test("ids with dashes use underscores, and a renamed provider reads its own names", () => {
    vi.stubEnv("AUTH_MICROSOFT_ENTRA_ID_ID", "entra-id");
    vi.stubEnv("AUTH_MICROSOFT_ENTRA_ID_SECRET", "entra-secret");
    expect(providerEnv("microsoft-entra-id", "ID")).toBe("entra-id");
    expect(fromAuthCore(MicrosoftEntraID({})).clientId).toBe("entra-id");
    vi.stubEnv("AUTH_WORK_GITHUB_ID", "work-id");
    vi.stubEnv("AUTH_WORK_GITHUB_SECRET", "work-secret");
    expect(fromAuthCore(GitHub({}), { id: "work-github" })).toMatchObject({ id: "work-github", clientId: "work-id" });
  });

  test("a generic OIDC provider reads AUTH_<ID>_ISSUER, _ID and _SECRET", () => {
    vi.stubEnv("AUTH_OKTA_ISSUER", "https://example.okta.com");
    vi.stubEnv("AUTH_OKTA_ID", "okta-id");
    vi.stubEnv("AUTH_OKTA_SECRET", "okta-secret");
    expect(oidc({ id: "okta" })).toMatchObject({
      id: "okta",
      issuer: "https://example.okta.com",
      clientId: "okta-id",
      clientAuth: { method: "client_secret_basic", secret: "okta-secret" },
    });
  });

  test("Apple signs its client secret from the team key env vars when all three are set", async () => {
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    vi.stubEnv("AUTH_APPLE_ID", "com.example.web");
    vi.stubEnv("AUTH_APPLE_TEAM_ID", "TEAM123456");
    vi.stubEnv("AUTH_APPLE_KEY_ID", "KEY7890ABC");
    vi.stubEnv("AUTH_APPLE_PRIVATE_KEY", (await exportPKCS8(privateKey)).replace(/\n/g, "\\n"));
    const apple = fromAuthCore(Apple);
    expect(apple.clientAuth.method).toBe("client_secret_post");
    const secret = apple.clientAuth.method === "none" ? undefined : apple.clientAuth.secret;
    expect(typeof secret).toBe("function");
  });
});

describe("bad configuration is a TypeError", () => {
  test.each([
    ["no client id", () => fromAuthCore(GitHub({ clientSecret: "s" }))],
    ["no client secret", () => fromAuthCore(GitHub({ clientId: "c" }))],
    ["an http issuer off loopback", () => oidc({ issuer: "http://idp.example", clientId: "c", clientSecret: "s" })],
    ["an OIDC provider without issuer", () => oidc({ clientId: "c", clientSecret: "s" })],
    [
      "an unsupported client authentication",
      () => fromAuthCore(Google({ clientId: "c", clientSecret: "s", client: { token_endpoint_auth_method: "private_key_jwt" } })),
    ],
    ["HS256 on the allow-list", () => oidc({ issuer: "https://idp.example", clientId: "c", clientSecret: "s", idTokenAlgorithms: ["HS256"] })],
    [
      "a fragment response mode",
      () => oidc({ issuer: "https://idp.example", clientId: "c", clientSecret: "s", authorizationParams: { response_mode: "fragment" } }),
    ],
    ["a provider that is not OAuth", () => fromAuthCore(Credentials({}) as unknown as AuthCoreProviderConfig)],
  ])("%s", (_name, build) => {
    expect(build).toThrow(TypeError);
  });

  test("a redirect URI off loopback over http, or a reserved parameter, is refused at start", async () => {
    const provider = oidc({ issuer: "https://idp.example", clientId: "c", clientSecret: "s" });
    expect(() => createFlowSecrets(provider, { redirectUri: "http://app.example/callback" })).toThrow(TypeError);
    expect(() => createFlowSecrets(provider, { redirectUri: "https://app.example/cb?x=1" })).toThrow(TypeError);
    const github = fromAuthCore(GitHub({ clientId: "c", clientSecret: "s" }));
    await expect(
      startAuthorization(github, { redirectUri: "https://app.example/cb", params: { state: "mine" } }),
    ).rejects.toBeInstanceOf(TypeError);
  });
});

describe("profile mappers", () => {
  test("only a boolean true email_verified with an email counts as verified", () => {
    expect(standardClaims({ sub: "1", email: "a@b.c", email_verified: true }).emailVerified).toBe(true);
    expect(standardClaims({ sub: "1", email: "a@b.c", email_verified: "true" }).emailVerified).toBe(false);
    expect(standardClaims({ sub: "1", email_verified: true }).emailVerified).toBe(false);
    expect(genericOAuth({ id: 7, email: "a@b.c", email_verified: true })).toMatchObject({ subject: "7", emailVerified: false });
  });

  test("Discord: verified flags the email, numeric-looking ids stay strings", () => {
    const raw = { id: "80351110224678912", username: "nelly", global_name: "Nelly", email: "n@example.com", verified: true, avatar: "8342729096ea3675442027381ff50dfe" };
    expect(discord(raw)).toEqual({
      subject: "80351110224678912",
      email: "n@example.com",
      emailVerified: true,
      name: "Nelly",
      image: "https://cdn.discordapp.com/avatars/80351110224678912/8342729096ea3675442027381ff50dfe.png",
    });
    expect(discord({ ...raw, verified: false }).emailVerified).toBe(false);
  });
});

describe("a catalogue OIDC config pointed at a loopback issuer", () => {
  const REDIRECT = "http://127.0.0.1/api/auth/callback/google";
  let op: RunningProvider;
  beforeAll(async () => {
    // Google puts the email in the ID token; so does this provider.
    op = await startOpenIdProvider({ clients: [{ client_id: "google-client", redirect_uris: [REDIRECT] }], claimsInIdToken: true });
  });
  afterAll(() => op.close());

  test("Google({ issuer }) signs in from the ID token alone, with no userinfo request", async () => {
    const google = fromAuthCore(Google({ clientId: "google-client", clientSecret: CLIENT_SECRET, issuer: op.issuer }));
    const { secrets, parameters } = await runFlow(google, { redirectUri: REDIRECT });
    const watched = watchedFetch();
    const { profile } = await handleCallback(google, parameters, secrets, { fetch: watched.fetch });
    expect(profile).toMatchObject({ provider: "google", subject: "alice", email: "alice@example.com", emailVerified: true });
    expect(watched.calls.some((url) => url.endsWith("/me"))).toBe(false);
    expect(watched.calls.some((url) => url.endsWith("/token"))).toBe(true);
  });
});
