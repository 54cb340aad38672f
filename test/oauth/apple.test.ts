// @vitest-environment node
import Apple from "@auth/core/providers/apple";
import { decodeProtectedHeader, exportPKCS8, generateKeyPair, jwtVerify, type JWTPayload } from "jose";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { APPLE_AUDIENCE, appleClientSecret } from "../../src/lib/oauth/appleClientSecret";
import { fromAuthCore } from "../../src/lib/oauth/authCore";
import { handleCallback } from "../../src/lib/oauth/callback";
import { appleUserField, readCallbackParameters } from "../../src/lib/oauth/callbackParams";
import { apple } from "../../src/lib/oauth/profiles";
import { runFlow } from "./support/flow";
import { CLIENT_SECRET, startOpenIdProvider, type RunningProvider } from "./support/openidProvider";

const REDIRECT = "http://127.0.0.1/api/auth/callback/apple";
const SERVICES_ID = "com.example.web";
const TEAM_ID = "TEAM123456";
const KEY_ID = "KEY7890ABC";

let op: RunningProvider;
let keys: CryptoKeyPair;
let pem: string;
/** The client secrets the token endpoint received, as verified. */
let verified: Array<{ header: ReturnType<typeof decodeProtectedHeader>; payload: JWTPayload }>;

beforeAll(async () => {
  // Apple as far as sign-in sees it: OIDC with the claims in the ID token,
  // no userinfo endpoint, form_post callbacks, client_secret_post.
  op = await startOpenIdProvider({
    clients: [{ client_id: SERVICES_ID, redirect_uris: [REDIRECT], token_endpoint_auth_method: "client_secret_post" }],
    claimsInIdToken: true,
    userinfo: false,
  });
  keys = await generateKeyPair("ES256", { extractable: true });
  pem = await exportPKCS8(keys.privateKey);
});
afterAll(() => op.close());
beforeEach(() => {
  verified = [];
});

/**
 * Apple's token endpoint checks the client secret JWT against the team's
 * public key; this gateway does the same with jose before handing the
 * request to the test provider with the secret it knows.
 */
const appleGateway = async (input: RequestInfo | URL, init?: RequestInit) => {
  const url = String(input);
  if (!url.endsWith("/token")) return fetch(input, init);
  const body = new URLSearchParams(init?.body as URLSearchParams);
  const secret = body.get("client_secret") ?? "";
  try {
    const { payload } = await jwtVerify(secret, keys.publicKey, {
      algorithms: ["ES256"],
      issuer: TEAM_ID,
      subject: SERVICES_ID,
      audience: APPLE_AUDIENCE,
    });
    verified.push({ header: decodeProtectedHeader(secret), payload });
  } catch {
    return Response.json({ error: "invalid_client" }, { status: 400 });
  }
  body.set("client_secret", CLIENT_SECRET);
  return fetch(input, { ...init, body });
};

const appleProvider = () =>
  fromAuthCore(Apple({ clientId: SERVICES_ID, issuer: op.issuer }), {
    apple: { teamId: TEAM_ID, keyId: KEY_ID, privateKey: pem },
  });

/** The POST Apple's form_post makes to the callback, with the `user` field on first consent. */
function formPost(parameters: URLSearchParams, user?: unknown) {
  const body = new URLSearchParams(parameters);
  if (user !== undefined) body.set("user", JSON.stringify(user));
  return new Request(REDIRECT, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
  });
}

test("the catalogue's Apple config asks for form_post, openid name email, and PKCE", async () => {
  const provider = appleProvider();
  expect(provider.responseMode).toBe("form_post");
  expect(provider.clientAuth.method).toBe("client_secret_post");
  const { url } = await runFlow(provider, { redirectUri: REDIRECT });
  const params = new URL(url).searchParams;
  expect(params.get("response_mode")).toBe("form_post");
  expect(params.get("scope")).toBe("openid name email");
  expect(params.get("code_challenge_method")).toBe("S256");
});

test("first sign-in: a form_post callback, a verified client secret JWT, and the name from the user field", async () => {
  const provider = appleProvider();
  const { secrets, parameters, method } = await runFlow(provider, { redirectUri: REDIRECT });
  expect(method).toBe("POST");
  const firstConsent = { name: { firstName: "Alice", lastName: "Liddell" }, email: "spoofed@evil.example" };
  const callback = await readCallbackParameters(formPost(parameters, firstConsent));
  const { profile } = await handleCallback(provider, callback, secrets, { fetch: appleGateway });

  expect(profile).toMatchObject({
    provider: "apple",
    subject: "alice",
    email: "alice@example.com", // from the ID token, never from the unsigned user field
    emailVerified: true,
    name: "Alice Liddell",
  });
  expect(profile.raw.user).toEqual({ name: { firstName: "Alice", lastName: "Liddell" } });
  expect(verified).toHaveLength(1);
  const [{ header, payload }] = verified as [(typeof verified)[number]];
  expect(header).toEqual({ alg: "ES256", kid: KEY_ID });
  expect(payload).toMatchObject({ iss: TEAM_ID, sub: SERVICES_ID, aud: APPLE_AUDIENCE });
  expect(payload.exp! - payload.iat!).toBe(300);
});

test("a later sign-in has no user field: the same subject, no name", async () => {
  const provider = appleProvider();
  const { secrets, parameters } = await runFlow(provider, { redirectUri: REDIRECT });
  const callback = await readCallbackParameters(formPost(parameters));
  const { profile } = await handleCallback(provider, callback, secrets, { fetch: appleGateway });
  expect(profile.subject).toBe("alice");
  expect(profile.name).toBeUndefined();
});

test("a client secret signed with another key is refused by Apple's check", async () => {
  const other = await generateKeyPair("ES256", { extractable: true });
  const provider = fromAuthCore(Apple({ clientId: SERVICES_ID, issuer: op.issuer }), {
    apple: { teamId: TEAM_ID, keyId: KEY_ID, privateKey: await exportPKCS8(other.privateKey) },
  });
  const { secrets, parameters } = await runFlow(provider, { redirectUri: REDIRECT });
  const callback = await readCallbackParameters(formPost(parameters));
  await expect(handleCallback(provider, callback, secrets, { fetch: appleGateway })).rejects.toMatchObject({
    code: "OAUTH_CLIENT_REJECTED",
  });
  expect(verified).toEqual([]);
});

test("the client secret JWT verifies against the public half of the team key", async () => {
  const escaped = pem.replace(/\n/g, "\\n"); // as an env var holds it
  const sign = appleClientSecret({ teamId: TEAM_ID, keyId: KEY_ID, privateKey: escaped, lifetimeSeconds: 600 });
  if (typeof sign === "string") throw new Error("expected a signer");
  const nowMs = Date.UTC(2030, 0, 1);
  const jwt = await sign({ clientId: SERVICES_ID, nowMs });
  const { payload, protectedHeader } = await jwtVerify(jwt, keys.publicKey, {
    algorithms: ["ES256"],
    currentDate: new Date(nowMs),
  });
  expect(protectedHeader).toEqual({ alg: "ES256", kid: KEY_ID });
  expect(payload).toEqual({ iss: TEAM_ID, sub: SERVICES_ID, aud: APPLE_AUDIENCE, iat: nowMs / 1000, exp: nowMs / 1000 + 600 });
});

test("a bad team key or lifetime is a programmer error", async () => {
  expect(() => appleClientSecret({ teamId: TEAM_ID, keyId: "", privateKey: pem })).toThrow(TypeError);
  expect(() => appleClientSecret({ teamId: TEAM_ID, keyId: KEY_ID, privateKey: pem, lifetimeSeconds: 0 })).toThrow(TypeError);
  const sign = appleClientSecret({ teamId: TEAM_ID, keyId: KEY_ID, privateKey: "not a key" });
  if (typeof sign === "string") throw new Error("expected a signer");
  await expect(sign({ clientId: SERVICES_ID, nowMs: Date.now() })).rejects.toBeInstanceOf(TypeError);
});

test("the user field keeps only the name, and tolerates junk", () => {
  const field = (value: string) => appleUserField(new URLSearchParams({ user: value }));
  expect(field('{"name":{"firstName":"A","lastName":"B"},"email":"x@y.z"}')).toEqual({
    name: { firstName: "A", lastName: "B" },
  });
  for (const junk of ["not json", "[]", "null", '"text"', '{"email":"x@y.z"}']) expect(field(junk)).toBeUndefined();
  expect(appleUserField(new URLSearchParams())).toBeUndefined();
});

test("Apple's email_verified counts as a boolean or the string \"true\", nothing else", () => {
  const base = { sub: "001", email: "a@privaterelay.appleid.com" };
  expect(apple({ ...base, email_verified: "true" }).emailVerified).toBe(true);
  expect(apple({ ...base, email_verified: true }).emailVerified).toBe(true);
  expect(apple({ ...base, email_verified: "false" }).emailVerified).toBe(false);
  expect(apple({ ...base, email_verified: 1 }).emailVerified).toBe(false);
  expect(apple({ sub: "001", email_verified: true }).emailVerified).toBe(false);
});
