// @vitest-environment node
import { createLocalJWKSet, decodeProtectedHeader, generateKeyPair, jwtVerify, SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { connect, createAuthClient, memoryStorage } from "convex-warden/client";
import { api as example } from "../../example/convex/_generated/api";
import type { Backend } from "../../dev/backend";
import { api, closeAll, eventually, httpClient, socketClient, testBackend, watch } from "./fixtures";

let backend: Backend;
beforeAll(async () => {
  backend = await testBackend();
});
afterEach(closeAll);
afterAll(() => backend.stop());

let accounts = 0;
/** Signs a new user up over a socket with the app's real `auth:signIn`. */
async function signUp() {
  const email = `user${++accounts}@example.com`;
  const result = await socketClient(backend).mutation(example.auth.signIn, {
    provider: "password",
    params: { flow: "signUp", email, password: "correct horse battery" },
  });
  if (result.kind !== "signedIn") throw new Error(`sign-up failed: ${JSON.stringify(result)}`);
  return { email, ...result.tokens };
}

/** A fetcher that records how it was asked and answers from `tokens` in turn. */
function fetcher(...tokens: (string | null)[]) {
  const calls: boolean[] = [];
  const fetchToken = async ({ forceRefreshToken }: { forceRefreshToken: boolean }) => {
    calls.push(forceRefreshToken);
    return tokens[Math.min(calls.length, tokens.length) - 1] ?? null;
  };
  return { calls, fetchToken };
}

/** A token with the right issuer, audience and key id, signed by another key. */
async function forged(subject: string) {
  const { privateKey } = await generateKeyPair("ES256");
  const { kid } = decodeProtectedHeader((await signUp()).token);
  return new SignJWT({ aud: "convex", sub: subject })
    .setProtectedHeader({ alg: "ES256", kid })
    .setIssuer(backend.url)
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(privateKey);
}

describe("the sync protocol authenticates with the app's auth config", () => {
  test("a token from api.auth.signIn, fetched by setAuth, is verified and names the user", async () => {
    const ada = await signUp();
    const client = socketClient(backend);
    const { calls, fetchToken } = fetcher(ada.token);
    const changes: boolean[] = [];
    client.setAuth(fetchToken, (isAuthenticated) => changes.push(isAuthenticated));
    const viewer = watch<unknown>((onValue) => client.onUpdate(example.users.viewer, {}, onValue));
    await viewer.next((user) => (user as { email?: string } | null)?.email === ada.email);
    expect(calls[0]).toBe(false);
    await eventually(() => changes, (seen) => seen.includes(true));
    // The identity the functions see comes from the verified claims.
    const jwks = await (await fetch(`${backend.url}/.well-known/jwks.json`)).json();
    const { sub } = (await jwtVerify(ada.token, createLocalJWKSet(jwks))).payload;
    expect(await client.query(api.whoami, {})).toBe(sub);
  });

  test("a token signed by another key is refused, and the client fetches again with forceRefreshToken", async () => {
    const ada = await signUp();
    const client = socketClient(backend);
    const { calls, fetchToken } = fetcher(await forged("forged-user"), ada.token);
    client.setAuth(fetchToken);
    const whoami = watch<string | null>((onValue) => client.onUpdate(api.whoami, {}, onValue));
    const subject = (await jwtVerify(ada.token, createLocalJWKSet(await backend.deployment.jwks()))).payload.sub;
    await whoami.next((seen) => seen === subject);
    expect(calls.slice(0, 2)).toEqual([false, true]);
    expect(whoami.values).not.toContain("forged-user");
  });

  test("an expired token is refused, and the client fetches a fresh one with forceRefreshToken", async () => {
    const minter = socketClient(backend);
    const expired = await minter.mutation(api.mint, { subject: "someone", expiresInSeconds: 1 });
    const fresh = await minter.mutation(api.mint, { subject: "someone", expiresInSeconds: 600 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const client = socketClient(backend);
    const { calls, fetchToken } = fetcher(expired, fresh);
    client.setAuth(fetchToken);
    const whoami = watch<string | null>((onValue) => client.onUpdate(api.whoami, {}, onValue));
    await whoami.next((seen) => seen === "someone");
    expect(calls.slice(0, 2)).toEqual([false, true]);
  });

  test("a token whose issuer no provider trusts is refused", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    const stranger = await new SignJWT({ aud: "convex", sub: "stranger" })
      .setProtectedHeader({ alg: "ES256" })
      .setIssuer("https://issuer.invalid")
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(privateKey);
    const client = socketClient(backend);
    const { calls, fetchToken } = fetcher(stranger);
    const changes: boolean[] = [];
    client.setAuth(fetchToken, (isAuthenticated) => changes.push(isAuthenticated));
    await eventually(() => changes, (seen) => seen.includes(false));
    expect(calls).toEqual([false, true]);
    expect(await client.query(api.whoami, {})).toBeNull();
  });
});

describe("the HTTP API and HTTP actions run as the caller", () => {
  test("a query with a verified token sees its subject; a bad token is a 401", async () => {
    const ada = await signUp();
    const { sub } = (await jwtVerify(ada.token, createLocalJWKSet(await backend.deployment.jwks()))).payload;
    expect(await httpClient(backend, ada.token).query(api.whoami, {})).toBe(sub);
    expect(await httpClient(backend).query(api.whoami, {})).toBeNull();
    await expect(httpClient(backend, await forged("forged-user")).query(api.whoami, {})).rejects.toThrow(
      /InvalidToken/,
    );
  });

  test("an HTTP action gets the identity of a verified Bearer token, and none for another secret", async () => {
    const ada = await signUp();
    const { sub } = (await jwtVerify(ada.token, createLocalJWKSet(await backend.deployment.jwks()))).payload;
    const whoami = (authorization?: string) =>
      fetch(`${backend.siteUrl}/whoami`, { headers: authorization ? { authorization } : {} }).then((r) => r.json());
    expect(await whoami(`Bearer ${ada.token}`)).toEqual({ subject: sub });
    expect(await whoami("Bearer a-webhook-secret")).toEqual({ subject: null });
    expect(await whoami()).toEqual({ subject: null });
  });
});

test("the project's browser client signs in over the HTTP API and its socket follows", async () => {
  const auth = createAuthClient({ url: backend.url, api: example.auth, storage: memoryStorage(), tabSync: null });
  const client = socketClient(backend);
  const stop = connect(auth, client);
  const viewer = watch<{ email?: string } | null>((onValue) => client.onUpdate(example.users.viewer, {}, onValue));
  await viewer.next((user) => user === null);
  await auth.signIn("password", { flow: "signUp", email: "grace@example.com", password: "correct horse battery" });
  await viewer.next((user) => user?.email === "grace@example.com");
  const signedIn = auth.getState();
  if (signedIn.status !== "signedIn") expect.fail("signed in");
  await auth.signOut();
  expect(auth.getState().status).toBe("signedOut");
  // The session is gone on the server: its token no longer finds a live session.
  expect(await httpClient(backend, signedIn.token).query(example.users.viewerLive, {})).toBeNull();
  stop();
});
