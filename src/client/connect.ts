import type { AuthTokenFetcher } from "convex/browser";
import type { AuthClient, AuthState } from "./authClient.js";

/** A `ConvexClient` or `ConvexReactClient`: a WebSocket that fetches its own tokens. */
export interface SocketClientLike {
  setAuth(fetchToken: AuthTokenFetcher, onChange?: (isAuthenticated: boolean) => void): void;
  connectionState(): unknown;
  /** `ConvexReactClient`'s. */
  clearAuth?(): void;
}

/**
 * Signs the socket out. `setAuth` with a fetcher that answers null would not:
 * the socket pauses while it fetches, and the sign-out message it sends then
 * is dropped, so the server would keep the old identity on it.
 */
function clearSocket(convex: SocketClientLike, fetchToken: AuthTokenFetcher) {
  const base = (convex as { client?: { clearAuth?(): void } }).client;
  if (convex.clearAuth) convex.clearAuth();
  else if (base?.clearAuth) base.clearAuth(); // `ConvexClient` keeps it on its underlying client
  else convex.setAuth(fetchToken);
}

/** A `ConvexHttpClient`: it is handed each token. */
export interface HttpClientLike {
  setAuth(token: string): void;
  clearAuth(): void;
}

/**
 * Keeps a Convex client signed in as the auth client's user, and starts the
 * auth client (see `subscribe`). A WebSocket client authenticates again at
 * each sign-in, sign-out or change of user, here or in another tab, and asks
 * for fresh tokens itself; an HTTP client gets every new token. Returns a
 * function that stops. React apps use `ConvexAuthProvider` instead.
 */
export function connect(auth: AuthClient, convex: SocketClientLike | HttpClientLike): () => void {
  let session: number | undefined;
  const follow = (state: AuthState) => {
    if (state.status === "loading") return;
    // Reconnecting keeps the session: the socket waits in fetchToken for the refresh to get through.
    const signedIn = state.status === "signedIn" || state.status === "reconnecting";
    if ("connectionState" in convex) {
      const next = signedIn ? state.since : 0;
      if (next !== session) {
        if (next === 0 && session !== undefined) clearSocket(convex, auth.fetchToken);
        else convex.setAuth(auth.fetchToken);
      }
      session = next;
    } else if (signedIn) {
      convex.setAuth(state.token);
    } else {
      convex.clearAuth();
    }
  };
  const stop = auth.subscribe(follow);
  follow(auth.getState());
  return stop;
}
