import { REDIRECT_CODE_PARAM, REDIRECT_ERROR_PARAM, REDIRECT_PROVIDER_PARAM } from "../shared/redirect.js";
import type { TokenStorage } from "./storage.js";

/**
 * What the browser keeps while it is away at an OAuth provider, and what it
 * finds in its URL when it comes back. The verifier proves this browser
 * started the flow: only its holder can redeem the hand-off code.
 */
export interface PendingRedirect {
  provider: string;
  verifier: string;
}

/** Where the app's page is and how to leave it. Default `window.location` and `history`. */
export interface Navigation {
  href(): string;
  /** Leaves for `url` (an OAuth provider). */
  assign(url: string): void;
  /** Replaces the current URL without a reload (to drop the hand-off parameters). */
  replace(url: string): void;
}

export function browserNavigation(): Navigation | null {
  if (typeof window === "undefined" || typeof history === "undefined") return null;
  return {
    href: () => window.location.href,
    assign: (url) => window.location.assign(url),
    replace: (url) => history.replaceState(history.state, "", url),
  };
}

const pendingKey = (key: string) => `${key}_redirect`;

export async function rememberRedirect(storage: TokenStorage, key: string, pending: PendingRedirect) {
  await storage.setItem(pendingKey(key), JSON.stringify(pending));
}

/** The pending redirect, removed from storage: a hand-off is tried once. */
export async function takePendingRedirect(storage: TokenStorage, key: string): Promise<PendingRedirect | null> {
  const raw = await storage.getItem(pendingKey(key));
  if (raw == null) return null;
  await storage.removeItem(pendingKey(key));
  try {
    const pending = JSON.parse(raw) as Partial<PendingRedirect>;
    return typeof pending.provider === "string" && typeof pending.verifier === "string"
      ? { provider: pending.provider, verifier: pending.verifier }
      : null;
  } catch {
    return null;
  }
}

/**
 * The hand-off code or error in `href`, the provider a sign-in link names,
 * and `href` without them; null when there is neither code nor error.
 */
export function redirectReturn(href: string) {
  const url = new URL(href);
  const take = (name: string) => {
    const value = url.searchParams.get(name);
    url.searchParams.delete(name);
    return value;
  };
  const code = take(REDIRECT_CODE_PARAM);
  const error = take(REDIRECT_ERROR_PARAM);
  const provider = take(REDIRECT_PROVIDER_PARAM);
  if (code === null && error === null) return null;
  return { code, error, provider, cleaned: url.toString() };
}
