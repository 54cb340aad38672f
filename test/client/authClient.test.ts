import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { memoryStorage } from "convex-warden/client";
import { isWardenError } from "../../src/shared/errors/index";
import { fakeServer, LIFETIME_MS, PASSWORD, settle, testClient, token, URL, watch } from "./fakes";
import { storageKey } from "../../src/client/storage";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const codeOf = (error: unknown) => (isWardenError(error) ? error.data.code : error);

describe("sign-in", () => {
  test("starts loading, then signed out when nothing is stored", async () => {
    const auth = testClient(fakeServer());
    expect(auth.getState().status).toBe("loading");
    const { states } = watch(auth);
    await settle();
    expect(states).toEqual(["signedOut"]);
    expect(await auth.fetchToken({ forceRefreshToken: false })).toBeNull();
  });

  test("a password sign-in signs in and hands the token to Convex", async () => {
    const server = fakeServer();
    const auth = testClient(server);
    const { states } = watch(auth);
    await expect(auth.signIn("password", PASSWORD)).resolves.toEqual({ kind: "signedIn" });
    expect(states).toEqual(["signedOut", "signedIn"]);
    expect(server.named("signIn")).toEqual([
      { name: "signIn", args: { provider: "password", params: PASSWORD }, token: null },
    ]);
    expect(await auth.fetchToken({ forceRefreshToken: false })).toBe("access-1");
  });

  test("a failed sign-in throws the server's code and stays signed out", async () => {
    const auth = testClient(fakeServer());
    const { states } = watch(auth);
    const error = await auth.signIn("password", { ...PASSWORD, password: "wrong" }).catch((e: unknown) => e);
    expect(codeOf(error)).toBe("INVALID_CREDENTIALS");
    expect(states).toEqual(["signedOut"]);
  });

  test("an error the server throws reaches the caller with its code", async () => {
    const auth = testClient(fakeServer());
    const error = await auth.signIn("github", {}).catch((e: unknown) => e);
    expect(codeOf(error)).toBe("PROVIDER_NOT_FOUND");
    expect(auth.getState().status).toBe("signedOut");
  });

  test("a network error during sign-in is thrown as is and changes nothing", async () => {
    const server = fakeServer();
    const auth = testClient(server);
    await auth.signIn("password", PASSWORD);
    server.offline = true;
    await expect(auth.signIn("password", PASSWORD)).rejects.toBeInstanceOf(TypeError);
    expect(token(auth)).toBe("access-1");
  });

  test("accepts the fields of a form", async () => {
    const server = fakeServer();
    const form = new FormData();
    for (const [name, value] of Object.entries(PASSWORD)) form.set(name, value);
    await testClient(server).signIn("password", form);
    expect(server.calls[0]!.args).toEqual({ provider: "password", params: PASSWORD });
  });

  test("signing in again sends the current token, so the server ends the session it replaces", async () => {
    const server = fakeServer();
    const auth = testClient(server);
    await auth.signIn("password", PASSWORD);
    await auth.signIn("password", PASSWORD);
    expect(server.named("signIn").map((call) => call.token)).toEqual([null, "access-1"]);
    expect(token(auth)).toBe("access-2");
  });

  test("a token about to expire is not sent with a sign-in (the server would reject the call)", async () => {
    const server = fakeServer();
    const auth = testClient(server);
    await auth.signIn("password", PASSWORD);
    await vi.advanceTimersByTimeAsync(LIFETIME_MS - 30_000);
    await auth.signIn("password", PASSWORD);
    expect(server.named("signIn")[1]!.token).toBeNull();
  });

  test("a later page load restores the stored session", async () => {
    const server = fakeServer();
    const storage = memoryStorage();
    await testClient(server, { storage }).signIn("password", PASSWORD);
    const reloaded = testClient(server, { storage });
    const { states } = watch(reloaded);
    await settle();
    expect(states).toEqual(["signedIn"]);
    expect(token(reloaded)).toBe("access-1");
  });

  test("a stored value it cannot read is no session", async () => {
    const storage = memoryStorage();
    const auth = testClient(fakeServer(), { storage });
    await storage.setItem(storageKey(URL), "{not json");
    expect(await auth.fetchToken({ forceRefreshToken: false })).toBeNull();
    expect(auth.getState().status).toBe("signedOut");
  });

  test("options without a url are a programmer error", () => {
    expect(() => testClient(fakeServer(), { url: undefined as unknown as string })).toThrow(TypeError);
  });
});

describe("sign-out", () => {
  test("ends the session on the server by its refresh token, then here", async () => {
    const server = fakeServer();
    const storage = memoryStorage();
    const auth = testClient(server, { storage });
    await auth.signIn("password", PASSWORD);
    const { states } = watch(auth);
    await auth.signOut();
    expect(server.named("signOut")).toEqual([{ name: "signOut", args: { refreshToken: "refresh-1" }, token: null }]);
    expect(states.at(-1)).toBe("signedOut");
    expect(await auth.fetchToken({ forceRefreshToken: false })).toBeNull();
    await expect(testClient(server, { storage }).fetchToken({ forceRefreshToken: false })).resolves.toBeNull();
  });

  test("offline, it still signs out here", async () => {
    const server = fakeServer();
    const auth = testClient(server);
    await auth.signIn("password", PASSWORD);
    server.offline = true;
    await expect(auth.signOut()).resolves.toBeUndefined();
    expect(auth.getState().status).toBe("signedOut");
  });

  test("with an expired access token it needs no refresh first: the refresh token names the session", async () => {
    const server = fakeServer();
    const auth = testClient(server, { storage: memoryStorage() });
    await auth.signIn("password", PASSWORD);
    await vi.advanceTimersByTimeAsync(LIFETIME_MS + 1);
    await auth.signOut();
    expect(server.named("refresh")).toEqual([]);
    expect(server.named("signOut")[0]!.args).toEqual({ refreshToken: "refresh-1" });
  });

  test("signed out already, it makes no call", async () => {
    const server = fakeServer();
    await testClient(server).signOut();
    expect(server.calls).toEqual([]);
  });
});

describe("the wire's seams", () => {
  test("a sign-in result of a kind this client does not know is a programmer error, not a silent success", async () => {
    const server = fakeServer();
    const auth = testClient(server, {
      transport: (async () => ({ kind: "passkeyChallenge" })) as unknown as typeof server.transport,
    });
    await expect(auth.signIn("email", { email: "ada@example.com" })).rejects.toBeInstanceOf(TypeError);
    expect(auth.getState().status).toBe("signedOut");
  });
});
