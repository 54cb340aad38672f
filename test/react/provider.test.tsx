// @vitest-environment happy-dom
import { StrictMode } from "react";
import { act, cleanup, fireEvent, render, renderHook, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { AuthLoading, Authenticated, Unauthenticated, type ConvexReactClient } from "convex/react";
import { createAuthClient, memoryStorage, type AuthClient, type TokenStorage } from "convex-warden/client";
import { ConvexAuthProvider, useAuthActions, useAuthState, useAuthToken } from "convex-warden/react";
import { asyncStorage, fakeServer, LEEWAY_MS, LIFETIME_MS, PASSWORD, testClient, URL } from "../client/fakes";

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  localStorage.clear();
});

const settle = () => act(() => vi.advanceTimersByTimeAsync(0));

/**
 * Stands in for ConvexReactClient's auth handling: `setAuth` fetches a token
 * and reports whether there is one, as the real client does once the server
 * confirms it.
 */
function fakeConvex() {
  const log: string[] = [];
  const client = {
    url: URL,
    setAuth(fetchToken: (args: { forceRefreshToken: boolean }) => Promise<string | null>, onChange: (ok: boolean) => void) {
      log.push("setAuth");
      void fetchToken({ forceRefreshToken: false }).then((token) => {
        log.push(`token ${token}`);
        onChange(token !== null);
      });
    },
    clearAuth: () => void log.push("clearAuth"),
  };
  return { convex: client as unknown as ConvexReactClient, log };
}

function Screen() {
  const { signIn, signOut } = useAuthActions();
  const token = useAuthToken();
  return (
    <>
      <AuthLoading>loading</AuthLoading>
      <Unauthenticated>
        <button onClick={() => void signIn("password", PASSWORD)}>sign in</button>
      </Unauthenticated>
      <Authenticated>
        <p>token {token}</p>
        <button onClick={() => void signOut()}>sign out</button>
      </Authenticated>
    </>
  );
}

function renderApp(auth: AuthClient, { strict = false } = {}) {
  const { convex, log } = fakeConvex();
  const tree = (
    <ConvexAuthProvider client={convex} authClient={auth}>
      <Screen />
    </ConvexAuthProvider>
  );
  const result = render(strict ? <StrictMode>{tree}</StrictMode> : tree);
  return { ...result, log };
}

/** A storage already holding a session, as after an earlier visit. */
async function signedInStorage(server = fakeServer()): Promise<TokenStorage> {
  const storage = memoryStorage();
  await testClient(server, { storage }).signIn("password", PASSWORD);
  return storage;
}

describe("ConvexAuthProvider", () => {
  test("renders AuthLoading while the stored session is being read", async () => {
    const store = asyncStorage();
    store.hold();
    renderApp(testClient(fakeServer(), { storage: store.storage }));
    await settle();
    expect(screen.getByText("loading")).toBeTruthy();
    store.release();
    await settle();
    expect(screen.queryByText("loading")).toBeNull();
    expect(screen.getByText("sign in")).toBeTruthy();
  });

  test("renders Authenticated, with the token, for a stored session", async () => {
    const server = fakeServer();
    renderApp(testClient(server, { storage: await signedInStorage(server) }));
    await settle();
    expect(screen.getByText("token access-1")).toBeTruthy();
  });

  test("renders Unauthenticated with nothing stored", async () => {
    const { log } = renderApp(testClient(fakeServer()));
    await settle();
    expect(screen.getByText("sign in")).toBeTruthy();
    expect(log).not.toContain("setAuth");
  });

  test("signs in and out through useAuthActions", async () => {
    const server = fakeServer();
    const { log } = renderApp(testClient(server));
    await settle();
    fireEvent.click(screen.getByText("sign in"));
    await settle();
    expect(screen.getByText("token access-1")).toBeTruthy();
    expect(log).toEqual(["setAuth", "token access-1"]);
    fireEvent.click(screen.getByText("sign out"));
    await settle();
    expect(screen.getByText("sign in")).toBeTruthy();
    expect(server.named("signOut")[0]!.args).toEqual({ refreshToken: "refresh-1" });
    expect(log.at(-1)).toBe("clearAuth");
  });

  test("a refresh updates the token without authenticating Convex again", async () => {
    const server = fakeServer();
    const { log } = renderApp(testClient(server, { storage: await signedInStorage(server) }));
    await settle();
    await act(() => vi.advanceTimersByTimeAsync(LIFETIME_MS - LEEWAY_MS));
    expect(screen.getByText("token access-2")).toBeTruthy();
    expect(log.filter((entry) => entry === "setAuth")).toHaveLength(1);
  });

  test("a sign-in as someone else authenticates Convex again", async () => {
    const server = fakeServer();
    const auth = testClient(server, { storage: await signedInStorage(server) });
    const { log } = renderApp(auth);
    await settle();
    await act(() => vi.advanceTimersByTimeAsync(1_000));
    await act(() => auth.signIn("password", { ...PASSWORD, email: "grace@example.com" }));
    await settle();
    expect(log.filter((entry) => entry.startsWith("token"))).toEqual(["token access-1", "token access-2"]);
  });

  test("under StrictMode's double effects: one refresh per token, and none after unmount", async () => {
    const server = fakeServer();
    const { unmount } = renderApp(testClient(server, { storage: await signedInStorage(server) }), { strict: true });
    await settle();
    expect(screen.getByText("token access-1")).toBeTruthy();
    await act(() => vi.advanceTimersByTimeAsync(LIFETIME_MS - LEEWAY_MS));
    expect(server.named("refresh")).toHaveLength(1);
    expect(screen.getByText("token access-2")).toBeTruthy();
    unmount();
    await vi.advanceTimersByTimeAsync(5 * LIFETIME_MS);
    expect(server.named("refresh")).toHaveLength(1);
  });

  test("StrictMode: signing in and out works the same", async () => {
    const server = fakeServer();
    renderApp(testClient(server), { strict: true });
    await settle();
    fireEvent.click(screen.getByText("sign in"));
    await settle();
    expect(screen.getByText("token access-1")).toBeTruthy();
    fireEvent.click(screen.getByText("sign out"));
    await settle();
    expect(screen.getByText("sign in")).toBeTruthy();
    expect(server.named("signIn")).toHaveLength(1);
  });

  test("without an authClient it keeps tokens in localStorage under the Convex client's url", async () => {
    const server = fakeServer();
    await createAuthClient({ url: URL, transport: server.transport }).signIn("password", PASSWORD);
    const { convex } = fakeConvex();
    render(
      <ConvexAuthProvider client={convex}>
        <Screen />
      </ConvexAuthProvider>,
    );
    await settle();
    expect(screen.getByText("token access-1")).toBeTruthy();
  });
});

describe("hooks", () => {
  test("useAuthState follows the client", async () => {
    const server = fakeServer();
    const auth = testClient(server);
    const { convex } = fakeConvex();
    const { result } = renderHook(() => useAuthState(), {
      wrapper: ({ children }) => (
        <ConvexAuthProvider client={convex} authClient={auth}>
          {children}
        </ConvexAuthProvider>
      ),
    });
    expect(result.current.status).toBe("loading");
    await settle();
    expect(result.current.status).toBe("signedOut");
    await act(() => auth.signIn("password", PASSWORD));
    expect(result.current).toMatchObject({ status: "signedIn", token: "access-1" });
  });

  test("useAuthActions is stable across renders", async () => {
    const auth = testClient(fakeServer());
    const { convex } = fakeConvex();
    const { result, rerender } = renderHook(() => useAuthActions(), {
      wrapper: ({ children }) => (
        <ConvexAuthProvider client={convex} authClient={auth}>
          {children}
        </ConvexAuthProvider>
      ),
    });
    const first = result.current;
    rerender();
    expect(result.current.signIn).toBe(first.signIn);
    expect(result.current.signOut).toBe(first.signOut);
    await settle();
  });

  test("outside ConvexAuthProvider the hooks are a programmer error", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(() => renderHook(() => useAuthActions())).toThrow(TypeError);
    expect(() => renderHook(() => useAuthToken())).toThrow(TypeError);
  });
});
