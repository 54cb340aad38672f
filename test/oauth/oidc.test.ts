// @vitest-environment node
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { handleCallback } from "../../src/lib/oauth/callback";
import { readCallbackParameters } from "../../src/lib/oauth/callbackParams";
import { createDiscoveryCache } from "../../src/lib/oauth/discovery";
import { oidc, type OidcProviderOptions } from "../../src/lib/oauth/oidc";
import { startAuthorization } from "../../src/lib/oauth/start";
import { Browser, watchedFetch } from "./support/browser";
import { expectOAuthError, runFlow } from "./support/flow";
import { CLIENT_SECRET, startOpenIdProvider, type RunningProvider } from "./support/openidProvider";

const REDIRECT = "http://127.0.0.1/api/auth/callback/acme";
let op: RunningProvider;

beforeAll(async () => {
  op = await startOpenIdProvider({
    clients: [
      { client_id: "warden-app", redirect_uris: [REDIRECT] },
      { client_id: "other-app", redirect_uris: [REDIRECT] },
    ],
  });
});
afterAll(() => op.close());

const acme = (options: OidcProviderOptions = {}) =>
  oidc({ id: "acme", issuer: op.issuer, clientId: "warden-app", clientSecret: CLIENT_SECRET, ...options });

const flow = (options: Partial<Parameters<typeof runFlow>[1]> = {}, provider = acme()) =>
  runFlow(provider, { redirectUri: REDIRECT, ...options });

describe("sign-in", () => {
  test("a user signs in and comes back with a verified profile, and no tokens unless asked", async () => {
    const provider = acme();
    const { secrets, parameters } = await flow({}, provider);
    const { profile, tokens } = await handleCallback(provider, parameters, secrets);
    expect(profile).toMatchObject({
      provider: "acme",
      subject: "alice",
      email: "alice@example.com",
      emailVerified: true,
      name: "Alice Liddell",
      image: "https://img.example/alice.png",
    });
    expect(profile.raw).toMatchObject({ iss: op.issuer, aud: "warden-app", sub: "alice" });
    expect(tokens).toBeUndefined();
  });

  test("tokens come back only when asked for, and never inside the profile", async () => {
    const provider = acme();
    const { secrets, parameters } = await flow({}, provider);
    const { profile, tokens } = await handleCallback(provider, parameters, secrets, { includeTokens: true });
    expect(tokens?.tokenType).toBe("bearer");
    expect(tokens?.accessToken.length).toBeGreaterThan(20);
    expect(tokens?.idToken?.split(".")).toHaveLength(3);
    const serialized = JSON.stringify(profile);
    expect(serialized).not.toContain(tokens!.accessToken);
    expect(serialized).not.toContain(tokens!.idToken!);
  });

  test("a returning user gets the same subject, with or without a session at the provider", async () => {
    const provider = acme();
    const browser = new Browser();
    const first = await flow({ browser }, provider);
    const second = await flow({ browser }, provider); // signed in at the provider: no login form
    const fresh = await flow({}, provider); // a new browser logs in again
    const subjects = await Promise.all(
      [first, second, fresh].map(async (f) => (await handleCallback(provider, f.parameters, f.secrets)).profile.subject),
    );
    expect(subjects).toEqual(["alice", "alice", "alice"]);
  });

  test("an unverified email is reported as such, and refused when the app requires verification", async () => {
    const provider = acme();
    const bob = await flow({ login: "bob" }, provider);
    const { profile } = await handleCallback(provider, bob.parameters, bob.secrets);
    expect(profile).toMatchObject({ subject: "bob", email: "bob@example.com", emailVerified: false });

    const strict = acme({ requireVerifiedEmail: true });
    const again = await flow({ login: "bob" }, strict);
    await expectOAuthError(handleCallback(strict, again.parameters, again.secrets), { code: "OAUTH_EMAIL_UNVERIFIED" });
  });

  test("the authorization request carries PKCE S256, state, nonce and the exact redirect_uri", async () => {
    const { url, secrets } = await startAuthorization(acme(), { redirectUri: REDIRECT });
    const params = new URL(url).searchParams;
    expect(params.get("code_challenge_method")).toBe("S256");
    const challenge = encodeBase64urlNoPadding(sha256(new TextEncoder().encode(secrets.codeVerifier)));
    expect(params.get("code_challenge")).toBe(challenge);
    expect(params.get("state")).toBe(secrets.state);
    expect(params.get("nonce")).toBe(secrets.nonce);
    expect(params.get("redirect_uri")).toBe(REDIRECT);
    expect(params.get("response_type")).toBe("code");
    expect(params.get("scope")).toBe("openid profile email");
    for (const secret of [secrets.state, secrets.codeVerifier, secrets.nonce!]) expect(secret).toMatch(/^[\w-]{43}$/);
    expect(new Set([secrets.state, secrets.codeVerifier, secrets.nonce]).size).toBe(3);
  });

  test("a form_post callback arrives as a POST whose form body completes the sign-in", async () => {
    const provider = acme({ responseMode: "form_post" });
    const { secrets, parameters, method } = await flow({}, provider);
    expect(method).toBe("POST");
    const request = new Request(REDIRECT, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: parameters,
    });
    const { profile } = await handleCallback(provider, await readCallbackParameters(request), secrets);
    expect(profile.subject).toBe("alice");
  });
});

describe("refusals", () => {
  test("declining at the provider is OAUTH_ACCESS_DENIED, and no code is redeemed", async () => {
    const provider = acme();
    const { secrets, parameters } = await flow({ decline: true }, provider);
    expect(parameters.get("error")).toBe("access_denied");
    const watched = watchedFetch();
    await expectOAuthError(handleCallback(provider, parameters, secrets, { fetch: watched.fetch }), {
      code: "OAUTH_ACCESS_DENIED",
    });
    expect(watched.calls.filter((url) => url.endsWith("/token"))).toEqual([]);
  });

  test("another provider error keeps its OAuth error code", async () => {
    const provider = acme();
    const { secrets, parameters } = await flow({ start: { params: { prompt: "none" } } }, provider);
    await expectOAuthError(handleCallback(provider, parameters, secrets), {
      code: "OAUTH_PROVIDER_ERROR",
      error: "login_required",
    });
  });

  test("a callback with another flow's state, or none, or two, is refused before any exchange", async () => {
    const provider = acme();
    const mine = await startAuthorization(provider, { redirectUri: REDIRECT });
    const theirs = await flow({}, provider);
    const watched = watchedFetch();
    const options = { fetch: watched.fetch };
    await expectOAuthError(handleCallback(provider, theirs.parameters, mine.secrets, options), {
      code: "OAUTH_STATE_MISMATCH",
    });
    const withoutState = new URLSearchParams(theirs.parameters);
    withoutState.delete("state");
    await expectOAuthError(handleCallback(provider, withoutState, theirs.secrets, options), {
      code: "OAUTH_STATE_MISMATCH",
    });
    const twoStates = new URLSearchParams(theirs.parameters);
    twoStates.append("state", theirs.secrets.state);
    await expectOAuthError(handleCallback(provider, twoStates, theirs.secrets, options), {
      code: "OAUTH_STATE_MISMATCH",
    });
    const otherProvider = oidc({ id: "other", issuer: op.issuer, clientId: "warden-app", clientSecret: CLIENT_SECRET });
    await expectOAuthError(handleCallback(otherProvider, theirs.parameters, theirs.secrets, options), {
      code: "OAUTH_STATE_MISMATCH",
    });
    expect(watched.calls).toEqual([]);
    // The genuine pairing still works: nothing above consumed the code.
    expect((await handleCallback(provider, theirs.parameters, theirs.secrets)).profile.subject).toBe("alice");
  });

  test("kept secrets that are not a flow's are a programmer error, even when they match the callback", async () => {
    const provider = acme();
    const { secrets } = await startAuthorization(provider, { redirectUri: REDIRECT });
    const empty = new URLSearchParams({ state: "", code: "x" });
    await expect(handleCallback(provider, empty, { ...secrets, state: "" })).rejects.toBeInstanceOf(TypeError);
    const { nonce: _, ...withoutNonce } = secrets;
    await expect(handleCallback(provider, empty, withoutNonce)).rejects.toBeInstanceOf(TypeError);
  });

  test("a replayed callback fails: the provider redeems a code once", async () => {
    const provider = acme();
    const { secrets, parameters } = await flow({}, provider);
    await handleCallback(provider, parameters, secrets);
    await expectOAuthError(handleCallback(provider, parameters, secrets), { code: "OAUTH_CODE_REJECTED" });
  });

  test("a code redeemed with another PKCE verifier is rejected by the provider", async () => {
    const provider = acme();
    const { secrets, parameters } = await flow({}, provider);
    const other = await startAuthorization(provider, { redirectUri: REDIRECT });
    await expectOAuthError(
      handleCallback(provider, parameters, { ...secrets, codeVerifier: other.secrets.codeVerifier }),
      { code: "OAUTH_CODE_REJECTED" },
    );
  });

  test("an issuer in the callback that is not the provider's (a mix-up) is refused", async () => {
    const provider = acme();
    const { secrets, parameters } = await flow({}, provider);
    expect(parameters.get("iss")).toBe(op.issuer);
    const mixedUp = new URLSearchParams(parameters);
    mixedUp.set("iss", "https://attacker.example");
    await expectOAuthError(handleCallback(provider, mixedUp, secrets), {
      code: "OAUTH_INVALID_RESPONSE",
      step: "authorization",
    });
  });

  test("a wrong client secret is OAUTH_CLIENT_REJECTED", async () => {
    const provider = acme({ clientSecret: "not-the-secret" });
    const { secrets, parameters } = await flow({}, provider);
    await expectOAuthError(handleCallback(provider, parameters, secrets), { code: "OAUTH_CLIENT_REJECTED" });
  });
});

describe("the provider's availability", () => {
  test("discovery must name the configured issuer", async () => {
    const elsewhere = await startOpenIdProvider({
      issuerHost: "localhost",
      clients: [{ client_id: "warden-app", redirect_uris: [REDIRECT] }],
    });
    try {
      const configured = `http://127.0.0.1:${elsewhere.port}`;
      const provider = oidc({ issuer: configured, clientId: "warden-app", clientSecret: CLIENT_SECRET });
      await expectOAuthError(startAuthorization(provider, { redirectUri: REDIRECT }), {
        code: "OAUTH_DISCOVERY_MISMATCH",
        expected: configured,
        received: elsewhere.issuer,
      });
    } finally {
      await elsewhere.close();
    }
  });

  test("discovery is cached per issuer for its TTL", async () => {
    const provider = acme();
    const discoveryCache = createDiscoveryCache({ ttlMs: 60_000 });
    let now = Date.now();
    const watched = watchedFetch();
    const options = { redirectUri: REDIRECT, fetch: watched.fetch, discoveryCache, now: () => now };
    await startAuthorization(provider, options);
    await startAuthorization(provider, options);
    const discoveries = () => watched.calls.filter((url) => url.endsWith("/.well-known/openid-configuration"));
    expect(discoveries()).toHaveLength(1);
    now += 61_000;
    await startAuthorization(provider, options);
    expect(discoveries()).toHaveLength(2);
  });

  test("a server error from the token endpoint is OAUTH_PROVIDER_UNAVAILABLE with its status", async () => {
    const provider = acme();
    const { secrets, parameters } = await flow({}, provider);
    const failing = watchedFetch((url, response) =>
      url.endsWith("/token") ? new Response("upstream down", { status: 503 }) : response,
    );
    await expectOAuthError(handleCallback(provider, parameters, secrets, { fetch: failing.fetch }), {
      code: "OAUTH_PROVIDER_UNAVAILABLE",
      step: "token",
      reason: "status",
      status: 503,
    });
  });
});
