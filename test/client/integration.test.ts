/**
 * The real client driving the real server functions: the warden component and
 * example/convex under convex-test, reached through a transport that runs each
 * mutation as the caller its token names.
 */
import type { FunctionReference } from "convex/server";
import { describe, expect, test } from "vitest";
import {
  createAuthClient,
  memoryStorage,
  pageLock,
  type AuthClient,
  type AuthClientOptions,
  type Transport,
} from "convex-warden/client";
import { identityFromClaims, verifyAccessToken } from "convex-warden/test";
import { api } from "../../example/convex/_generated/api";
import { isWardenError } from "../../src/shared/errors/index";
import { ADA, exampleApp, signInParams, signUpParams, type ExampleApp } from "../setup";
import { sharedStorage } from "./fakes";
import { storageKey } from "../../src/client/storage";

const URL = process.env.CONVEX_CLOUD_URL!;
/** The documented storage key for the deployment. */
const KEY = storageKey(URL);

/** Calls go to convex-test; a token becomes the identity Convex would derive from it. */
function convexTestTransport(t: ExampleApp) {
  const calls: string[] = [];
  let failNext = 0;
  const transport = (async (ref, args, token) => {
    calls.push(JSON.stringify(args));
    if (failNext > 0 && failNext--) throw new TypeError("Failed to fetch");
    const caller = token === null ? t : t.withIdentity(identityFromClaims(await verifyAccessToken(t, token)));
    return caller.mutation(ref as FunctionReference<"mutation">, args as never);
  }) as Transport;
  return { transport, calls, failNextCalls: (n: number) => void (failNext = n) };
}

function setup() {
  const t = exampleApp();
  const wire = convexTestTransport(t);
  const client = (options: Partial<AuthClientOptions> = {}) =>
    createAuthClient({
      url: URL,
      api: api.auth,
      transport: wire.transport,
      storage: memoryStorage(),
      lock: pageLock(),
      tabSync: null,
      ...options,
    });
  /** Runs a query as the bearer of `token`, as Convex would. */
  const as = async (token: string) => t.withIdentity(identityFromClaims(await verifyAccessToken(t, token)));
  const tokenOf = async (auth: AuthClient) => (await auth.fetchToken({ forceRefreshToken: false }))!;
  return { t, wire, client, as, tokenOf };
}

const codeOf = (error: unknown) => (isWardenError(error) ? error.data.code : error);

describe("client and server end to end", () => {
  test("sign-up signs in, and the token reaches the app's authenticated query", async () => {
    const { client, as, tokenOf } = setup();
    const auth = client();
    await auth.signIn("password", signUpParams());
    expect(auth.getState().status).toBe("signedIn");
    const viewer = await (await as(await tokenOf(auth))).query(api.users.viewer, {});
    expect(viewer?.email).toBe(ADA.email);
  });

  test("the server's failures arrive as codes", async () => {
    const { client } = setup();
    const auth = client();
    await auth.signIn("password", signUpParams());
    expect(codeOf(await auth.signIn("password", signUpParams()).catch((e: unknown) => e))).toBe("ACCOUNT_EXISTS");
    const wrong = { ...signInParams(), password: "not the password" };
    expect(codeOf(await auth.signIn("password", wrong).catch((e: unknown) => e))).toBe("INVALID_CREDENTIALS");
    expect(codeOf(await auth.signIn("github", {}).catch((e: unknown) => e))).toBe("PROVIDER_NOT_FOUND");
  });

  test("a forced refresh rotates both tokens within the same session", async () => {
    const { client, as, tokenOf, t } = setup();
    const storage = memoryStorage();
    const auth = client({ storage });
    await auth.signIn("password", signUpParams());
    const first = await tokenOf(auth);
    const firstStored = await storage.getItem(KEY);
    const second = await auth.fetchToken({ forceRefreshToken: true });
    expect(second).not.toBe(first);
    const [before, after] = await Promise.all([verifyAccessToken(t, first), verifyAccessToken(t, second!)]);
    expect(after).toMatchObject({ sub: before.sub, sid: before.sid });
    expect(await storage.getItem(KEY)).not.toBe(firstStored);
    expect(await (await as(second!)).query(api.users.viewerLive, {})).toBe(before.sub);
  });

  test("two tabs without a common lock refresh at once and both stay signed in (SES-3)", async () => {
    const { client, tokenOf, t, wire } = setup();
    const { storage, tabSync } = sharedStorage();
    const [a, b] = [client({ storage, tabSync }), client({ storage, tabSync })];
    await a.signIn("password", signUpParams());
    await Promise.all([tokenOf(a), tokenOf(b)]);
    const before = wire.calls.length;
    const tokens = await Promise.all([a.fetchToken({ forceRefreshToken: true }), b.fetchToken({ forceRefreshToken: true })]);
    // Both presented the same refresh token.
    const raced = wire.calls.slice(before);
    expect(raced).toHaveLength(2);
    expect(raced[0]).toBe(raced[1]);
    expect([a.getState().status, b.getState().status]).toEqual(["signedIn", "signedIn"]);
    const claims = await Promise.all(tokens.map((token) => verifyAccessToken(t, token!)));
    expect(claims[0]!.sid).toBe(claims[1]!.sid);
  });

  test("two tabs with a common lock make one refresh between them", async () => {
    const { client, tokenOf, wire } = setup();
    const { storage, tabSync } = sharedStorage();
    const lock = pageLock();
    const [a, b] = [client({ storage, tabSync, lock }), client({ storage, tabSync, lock })];
    await a.signIn("password", signUpParams());
    await Promise.all([tokenOf(a), tokenOf(b)]);
    const before = wire.calls.length;
    const tokens = await Promise.all([a.fetchToken({ forceRefreshToken: true }), b.fetchToken({ forceRefreshToken: true })]);
    expect(wire.calls.length - before).toBe(1);
    expect(tokens[0]).toBe(tokens[1]);
  });

  test("a network error keeps the session, and the next attempt refreshes it", async () => {
    const { client, tokenOf, wire, t } = setup();
    const auth = client();
    await auth.signIn("password", signUpParams());
    const first = await tokenOf(auth);
    wire.failNextCalls(1);
    // The refresh fails, but the access token is still good: Convex keeps it.
    expect(await auth.fetchToken({ forceRefreshToken: true })).toBe(first);
    expect(auth.getState().status).toBe("signedIn");
    const next = await auth.fetchToken({ forceRefreshToken: true });
    expect(next).not.toBe(first);
    await expect(verifyAccessToken(t, next!)).resolves.toMatchObject({ sub: expect.any(String) });
  });

  test("sign-out ends the session on the server, in the other tab, and for any copy of its tokens", async () => {
    const { client, as, tokenOf } = setup();
    const { storage, tabSync } = sharedStorage();
    const [a, b] = [client({ storage, tabSync }), client({ storage, tabSync })];
    b.subscribe(() => {});
    await a.signIn("password", signUpParams());
    const token = await tokenOf(a);
    // A copy of the stored session, as a stolen or stale copy would be.
    const copy = memoryStorage();
    for (const [key, value] of storage.items) await copy.setItem(key, value);

    await a.signOut();
    expect(await (await as(token)).query(api.users.viewerLive, {})).toBeNull();
    await new Promise((resolve) => setTimeout(resolve));
    expect(b.getState().status).toBe("signedOut");

    const stale = client({ storage: copy });
    expect(await stale.fetchToken({ forceRefreshToken: false })).toBe(token);
    expect(await stale.fetchToken({ forceRefreshToken: true })).toBeNull();
    expect(stale.getState().status).toBe("signedOut");
  });

  test("signing in again ends the session it replaces (SES-8)", async () => {
    const { client, as, tokenOf } = setup();
    const auth = client();
    await auth.signIn("password", signUpParams());
    const first = await tokenOf(auth);
    await auth.signIn("password", signInParams());
    expect(await (await as(first)).query(api.users.viewerLive, {})).toBeNull();
    expect(await (await as(await tokenOf(auth))).query(api.users.viewerLive, {})).not.toBeNull();
  });
});
