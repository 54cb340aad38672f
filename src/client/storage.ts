/**
 * Where the client keeps the session. One interface covers `localStorage`,
 * `sessionStorage`, React Native's secure storage and cookie adapters: each
 * method may answer synchronously or with a promise.
 */
export interface TokenStorage {
  getItem(key: string): string | null | undefined | Promise<string | null | undefined>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

/** The stored session, one JSON value so that no reader sees half a write. */
export interface Session {
  /** The access JWT. */
  token: string;
  /** The secret that buys the next access token. */
  refreshToken: string;
  /** When `token` expires (this device's clock, ms since epoch). */
  expiresAt: number;
  /** When to refresh, a leeway before `expiresAt`. */
  refreshAt: number;
  /** When the session began; carried over by refreshes, new on each sign-in. */
  since: number;
}

/** Storage that lives as long as the page (or the test). */
export function memoryStorage(): TokenStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key),
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/** `localStorage` if this runtime has a usable one (not a sandboxed frame), else memory. */
export function defaultStorage(): TokenStorage {
  try {
    localStorage.getItem("");
    return localStorage;
  } catch {
    return memoryStorage();
  }
}

/**
 * The storage key (and lock name) for a deployment (WEB-1): tokens of one
 * deployment are never sent to another. Only `[A-Za-z0-9._-]`, which every
 * storage accepts, and injective: every other character (and `_` itself)
 * becomes `_` and its UTF-8 bytes in hex, so two URLs never share a key.
 */
export const storageKey = (namespace: string) =>
  "convexWarden_" +
  encodeURIComponent(namespace)
    .replace(/[!'()*~_]/g, (char) => "%" + char.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%/g, "_");

export async function readSession(storage: TokenStorage, key: string): Promise<Session | null> {
  const raw = await storage.getItem(key);
  try {
    const session = JSON.parse(raw ?? "null") as Partial<Session> | null;
    // Anything else (another version's format, a corrupt value) is no session.
    return typeof session?.refreshToken === "string" && typeof session.refreshAt === "number"
      ? (session as Session)
      : null;
  } catch {
    return null;
  }
}

export async function writeSession(storage: TokenStorage, key: string, session: Session | null) {
  await (session ? storage.setItem(key, JSON.stringify(session)) : storage.removeItem(key));
}
