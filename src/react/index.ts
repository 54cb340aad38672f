/**
 * convex-warden/react: thin React bindings over convex-warden/client. All
 * behaviour lives in the client; these hooks only subscribe to it.
 *
 * ```tsx
 * <ConvexAuthProvider client={convex}>
 *   <AuthLoading>…</AuthLoading>
 *   <Unauthenticated><SignIn /></Unauthenticated>
 *   <Authenticated><App /></Authenticated>
 * </ConvexAuthProvider>
 * ```
 */
import {
  createContext,
  createElement,
  useContext,
  useMemo,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from "react";
import { ConvexProviderWithAuth, type ConvexReactClient } from "convex/react";
import { createAuthClient, type AuthApi, type AuthClient, type AuthState } from "../client/index.js";

const AuthContext = createContext<AuthClient<AuthApi> | null>(null);

export interface ConvexAuthProviderProps {
  /** The app's Convex client. */
  client: ConvexReactClient;
  /**
   * The auth client. Default `createAuthClient({ url: client.url })`; create
   * one yourself for other storage, transport or timing. Read once, at mount.
   */
  authClient?: AuthClient;
  children?: ReactNode;
}

/**
 * Provides the auth client and Convex's auth state, so `convex/react`'s
 * `Authenticated`, `Unauthenticated` and `AuthLoading` work below it.
 */
export function ConvexAuthProvider({ client, authClient, children }: ConvexAuthProviderProps) {
  const [auth] = useState(() => authClient ?? createAuthClient({ url: client.url }));
  // A hook that ConvexProviderWithAuth calls on each of its renders; one per provider.
  const [useAuth] = useState(() => () => useConvexAuthFrom(auth));
  return createElement(
    AuthContext.Provider,
    { value: auth },
    createElement(ConvexProviderWithAuth, { client, useAuth }, children),
  );
}

/** What `ConvexProviderWithAuth` asks of an auth integration. */
function useConvexAuthFrom(auth: AuthClient) {
  const state = useSyncExternalStore(auth.subscribe, auth.getState, auth.getState);
  const signedIn = state.status === "signedIn" || state.status === "reconnecting";
  const session = signedIn ? state.since : 0;
  // A new function for each session makes Convex authenticate again when the user changes.
  const fetchAccessToken = useMemo(
    () => (args: { forceRefreshToken: boolean }) => auth.fetchToken(args),
    [auth, session],
  );
  return {
    // Back from a redirect, the sign-in is being finished: not signed out yet.
    isLoading: state.status === "loading" || (!signedIn && state.flow?.step === "finishingRedirect"),
    isAuthenticated: signedIn,
    fetchAccessToken,
  };
}

function useAuthClient<Api extends AuthApi = AuthApi>(): AuthClient<Api> {
  const auth = useContext(AuthContext);
  if (auth === null) throw new TypeError("convex-warden: use this hook inside <ConvexAuthProvider>");
  // The provider holds the app's one client; `Api` only narrows how its signIn is typed.
  return auth as AuthClient<Api>;
}

/**
 * `signIn(provider, params)`, `signOut()` and `cancelSignIn()`; stable across
 * renders. `useAuthActions<typeof api.auth>()` type-checks provider ids and params.
 */
export function useAuthActions<Api extends AuthApi = AuthApi>(): Pick<
  AuthClient<Api>,
  "signIn" | "signOut" | "cancelSignIn"
> {
  return useAuthClient<Api>();
}

/** The client's auth state: loading, signed out, signed in or reconnecting, and the sign-in under way. */
export function useAuthState(): AuthState {
  const auth = useAuthClient();
  return useSyncExternalStore(auth.subscribe, auth.getState, auth.getState);
}

/** The current access token, or null when signed out. */
export function useAuthToken(): string | null {
  const state = useAuthState();
  return state.status === "signedIn" || state.status === "reconnecting" ? state.token : null;
}
