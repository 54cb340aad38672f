import { defaultLock, type Lock } from "./lock.js";
import { systemClock, type Clock, type RetryOptions } from "./refresh.js";
import { defaultStorage, storageKey, type TokenStorage } from "./storage.js";
import { defaultTabSync, type TabSync } from "./tabSync.js";
import { defaultApi, httpTransport, type AuthApi, type Transport } from "./transport.js";
import { browserNavigation, type Navigation } from "./redirect.js";

/** The options of `createAuthClient`. Every field but `url` has a default. */
export interface AuthClientOptions<Api extends AuthApi = AuthApi> {
  /**
   * The deployment URL, e.g. `import.meta.env.VITE_CONVEX_URL`. It names the
   * storage key (tokens are kept per deployment, WEB-1) and, with the default
   * transport, receives the auth mutations.
   */
  url: string;
  /**
   * The app's auth mutations. Default `auth:signIn`, `auth:refresh`,
   * `auth:signOut`; pass `api.auth` to type-check them, provider ids and
   * params included.
   */
  api?: Api;
  /** How the mutations are called. Default `httpTransport(url)`. */
  transport?: Transport;
  /** Where the session lives. Default `localStorage` where usable, else memory. */
  storage?: TokenStorage;
  /** Names the storage key and the lock. Default `url`. */
  namespace?: string;
  /** Serializes refreshes and session writes. Default Web Locks, else a lock per page. */
  lock?: Lock;
  /** Follows other tabs' sign-in, refresh and sign-out. Default `storage` events in a browser; `null` for none. */
  tabSync?: TabSync | null;
  /** Refresh this long before the access token expires; at most half its lifetime is used. Default 60 s. */
  refreshLeewayMs?: number;
  /** Backoff between retries of a refresh that failed without ending the session. */
  retry?: RetryOptions;
  /** Time and timers. Default the runtime's. */
  clock?: Clock;
  /**
   * The page's URL and how to leave it, for flows that redirect (OAuth).
   * Default `window.location` and `history`; none outside a browser (SSR).
   */
  navigation?: Navigation | null;
}

export function resolveOptions<Api extends AuthApi>(options: AuthClientOptions<Api>) {
  if (typeof options.url !== "string") throw new TypeError("convex-warden: `url` is required");
  return {
    api: options.api ?? defaultApi,
    transport: options.transport ?? httpTransport(options.url),
    storage: options.storage ?? defaultStorage(),
    key: storageKey(options.namespace ?? options.url),
    lock: options.lock ?? defaultLock(),
    tabSync: options.tabSync === undefined ? defaultTabSync() : options.tabSync,
    leewayMs: options.refreshLeewayMs ?? 60_000,
    retry: options.retry ?? {},
    clock: options.clock ?? systemClock,
    navigation: options.navigation === undefined ? browserNavigation() : options.navigation,
  };
}
export type ResolvedOptions = ReturnType<typeof resolveOptions>;
