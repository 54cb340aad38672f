// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { createAuthClient, memoryStorage, type TokenStorage } from "convex-warden/client";
import { asyncStorage, fakeServer, PASSWORD, settle, testClient, token, URL, watch } from "./fakes";
import { storageKey } from "../../src/client/storage";

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  localStorage.clear();
});

describe("storage", () => {
  test("localStorage by default, one key per deployment (WEB-1)", async () => {
    const server = fakeServer();
    await createAuthClient({ url: URL, transport: server.transport }).signIn("password", PASSWORD);
    expect(localStorage.length).toBe(1);
    const key = localStorage.key(0)!;
    expect(key).toMatch(/^convexWarden_[\w.-]+$/);
    expect(key).toContain("happy-otter-123");
    expect(JSON.parse(localStorage.getItem(key)!)).toMatchObject({ token: "access-1", refreshToken: "refresh-1" });

    const sameDeployment = createAuthClient({ url: URL, transport: server.transport });
    const otherDeployment = createAuthClient({ url: "https://other-app-456.convex.cloud", transport: server.transport });
    expect(await sameDeployment.fetchToken({ forceRefreshToken: false })).toBe("access-1");
    expect(await otherDeployment.fetchToken({ forceRefreshToken: false })).toBeNull();
  });

  test("keys are injective: deployments whose URLs differ never share one", () => {
    const urls = [
      "https://h:3210",
      "https://h/3210",
      "https://h_3210",
      "https://h_3A3210",
      "https://h%3A3210",
      "https://h.3210",
      "https://é.example",
      "https://xn--9ca.example",
      "https://h:3210/",
    ];
    const keys = urls.map(storageKey);
    expect(new Set(keys).size).toBe(urls.length);
    for (const key of keys) expect(key).toMatch(/^convexWarden_[A-Za-z0-9._-]+$/);
  });

  test("the namespace option replaces the url in the key", async () => {
    const server = fakeServer();
    await createAuthClient({ url: URL, namespace: "staging", transport: server.transport }).signIn("password", PASSWORD);
    expect(localStorage.key(0)).toBe("convexWarden_staging");
  });

  test("memory storage lasts as long as the client's page", async () => {
    const server = fakeServer();
    await testClient(server, { storage: memoryStorage() }).signIn("password", PASSWORD);
    expect(await testClient(server, { storage: memoryStorage() }).fetchToken({ forceRefreshToken: false })).toBeNull();
    expect(localStorage.length).toBe(0);
  });

  test("where localStorage is unusable (a sandboxed frame), memory is used", async () => {
    vi.stubGlobal("localStorage", {
      getItem() {
        throw new DOMException("denied", "SecurityError");
      },
    });
    const auth = createAuthClient({ url: URL, transport: fakeServer().transport });
    vi.unstubAllGlobals();
    await auth.signIn("password", PASSWORD);
    expect(localStorage.length).toBe(0);
    expect(token(auth)).toBe("access-1");
  });

  test("a stored value in another format is no session", async () => {
    const storage = memoryStorage();
    await storage.setItem(storageKey(URL), JSON.stringify({ token: "t", refreshToken: "r" }));
    expect(await testClient(fakeServer(), { storage }).fetchToken({ forceRefreshToken: false })).toBeNull();
  });

  test("a storage that fails to read reads as signed out", async () => {
    const broken: TokenStorage = {
      getItem: () => Promise.reject(new Error("keychain locked")),
      setItem: () => {},
      removeItem: () => {},
    };
    const auth = testClient(fakeServer(), { storage: broken });
    const { states } = watch(auth);
    await settle();
    expect(states).toEqual(["signedOut"]);
  });
});

describe("async storage", () => {
  test("the state is loading until the stored session is read", async () => {
    const server = fakeServer();
    const store = asyncStorage();
    await testClient(server, { storage: store.storage }).signIn("password", PASSWORD);
    store.hold();
    const auth = testClient(server, { storage: store.storage });
    const { states } = watch(auth);
    let fetched: string | null | undefined;
    void auth.fetchToken({ forceRefreshToken: false }).then((value) => (fetched = value));
    await settle();
    expect(auth.getState().status).toBe("loading");
    expect(fetched).toBeUndefined();
    store.release();
    await settle();
    expect(states).toEqual(["signedIn"]);
    expect(fetched).toBe("access-1");
  });

  test("a sign-in is reported only once the storage has it", async () => {
    const store = asyncStorage();
    const auth = testClient(fakeServer(), { storage: store.storage });
    await auth.fetchToken({ forceRefreshToken: false });
    store.hold();
    let done = false;
    void auth.signIn("password", PASSWORD).then(() => (done = true));
    await settle();
    expect([done, auth.getState().status]).toEqual([false, "signedOut"]);
    store.release();
    await settle();
    expect([done, auth.getState().status]).toEqual([true, "signedIn"]);
    expect(await store.inner.getItem(storageKey(URL))).toContain("refresh-1");
  });

  test("a read that started before a sign-in does not undo it", async () => {
    const store = asyncStorage();
    const server = fakeServer();
    const auth = testClient(server, { storage: store.storage });
    store.hold();
    watch(auth); // starts a read that waits
    const signingIn = auth.signIn("password", PASSWORD);
    store.release();
    await signingIn;
    await settle();
    expect(token(auth)).toBe("access-1");
  });
});
