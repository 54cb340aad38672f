import { convexSiteUrlFromEnv, siteUrlFromEnv } from "../../lib/env.js";
import type { DiscoveryCache } from "../../lib/oauth/discovery.js";
import type { Fetch } from "../../lib/oauth/http.js";
import type { OAuthProfile } from "../../lib/oauth/types.js";
import { configuredEndpoint } from "../../lib/oauth/urls.js";
import { checkRedirectTarget, type RedirectCheck } from "../../lib/redirect.js";
import type { UserProfile } from "../../server/types.js";

/** How an OAuth or OIDC provider runs its flow in the app; every field has a default. */
export interface OAuthFlowOptions {
  /**
   * The app's URL: browsers return here when `signIn` is given no
   * `redirectTo`, and a `redirectTo` path resolves against its origin.
   * Default: the `SITE_URL` env var, read when a flow starts.
   */
  siteUrl?: string;
  /**
   * Further origins a `redirectTo` may name, each exactly (OA-5): a preview
   * deployment (`https://app-git-fix.vercel.app`), another frontend, a native
   * app's scheme (`myapp://callback`). No wildcards. Default: none.
   */
  allowedOrigins?: readonly string[];
  /**
   * Where the deployment serves its HTTP actions; the callback URL to
   * register at the provider is `<convexSiteUrl>/api/auth/callback/<id>`.
   * Default: the `CONVEX_SITE_URL` env var (Convex sets it), read when a flow starts.
   */
  convexSiteUrl?: string;
  /**
   * Trust this provider's verified emails (OA-4): a sign-in whose email the
   * provider verified joins the existing user whose email is verified too,
   * instead of failing with `OAUTH_ACCOUNT_NOT_LINKED`. Only for providers
   * that verify ownership (Google, Apple, GitHub's primary verified email).
   * Default: false.
   */
  trustEmail?: boolean;
  /**
   * The fields a new user gets from the profile. Runs on the callback, with
   * the provider's email already normalized. Default: `email`,
   * `emailVerificationTime` (when the provider verified it), `name`, `image`.
   * An existing user is updated with the same fields except the email ones:
   * an OAuth sign-in never changes a user's email.
   */
  userProfile?: (profile: OAuthProfile) => UserProfile;
  /** How long a started sign-in may take to come back from the provider. Default: 600 000 (10 minutes); at most an hour. */
  flowLifetimeMs?: number;
  /**
   * Keep the provider's tokens on the account, encrypted with
   * `AUTH_TOKEN_ENCRYPTION_KEY` (AES-256-GCM), for server-side calls to the
   * provider's API; read them with `providerTokens`. They never reach a
   * client (OA-6). Default: false.
   */
  keepTokens?: boolean;
  /** The fetch requests to the provider go through. Default: the global `fetch`. */
  fetch?: Fetch;
  /** Milliseconds each request to the provider may take (OA-6). Default: 10 000. */
  timeoutMs?: number;
  /** Seconds of clock difference tolerated on ID token times. Default: 30. */
  clockToleranceSeconds?: number;
  /** The clock the ID token is checked against, in milliseconds. Default: `Date.now`. */
  now?: () => number;
  /** Where discovery documents are kept. Default: one cache per isolate, an hour per issuer. */
  discoveryCache?: DiscoveryCache;
}

export const DEFAULT_FLOW_LIFETIME_MS = 10 * 60_000;
const MAX_FLOW_LIFETIME_MS = 60 * 60_000;
/** The hand-off code lives this long: the browser redeems it as soon as it is back. */
export const HANDOFF_LIFETIME_MS = 2 * 60_000;

/** The routes of provider `id`, under the path the app's router mounts them at. */
export const routePaths = (id: string) => ({
  start: `/api/auth/signin/${id}`,
  callback: `/api/auth/callback/${id}`,
});

/** The options, checked; URLs from the environment are read (and checked) when a flow needs them. */
export function flowSettings(id: string, options: OAuthFlowOptions) {
  const flowLifetimeMs = options.flowLifetimeMs ?? DEFAULT_FLOW_LIFETIME_MS;
  if (!Number.isInteger(flowLifetimeMs) || flowLifetimeMs < 1_000 || flowLifetimeMs > MAX_FLOW_LIFETIME_MS) {
    throw new TypeError("convex-warden: flowLifetimeMs must be whole milliseconds from 1 000 to 3 600 000");
  }
  const allowedOrigins = [...(options.allowedOrigins ?? [])];
  const siteUrl = () => {
    const url = options.siteUrl ?? siteUrlFromEnv();
    if (url === undefined) throw new TypeError(`convex-warden: OAuth provider "${id}" needs siteUrl or the SITE_URL env var`);
    // Checks the site URL and every allowed origin (a bad one is a TypeError).
    checkRedirectTarget("/", { siteUrl: url, allowedOrigins });
    return url;
  };
  if (options.siteUrl !== undefined) siteUrl();
  const convexSiteUrl = () => {
    const url = options.convexSiteUrl ?? convexSiteUrlFromEnv();
    if (url === undefined) throw new TypeError(`convex-warden: OAuth provider "${id}" needs convexSiteUrl or CONVEX_SITE_URL`);
    return configuredEndpoint(url.replace(/\/+$/, ""), "convexSiteUrl");
  };
  if (options.convexSiteUrl !== undefined) convexSiteUrl();
  const paths = routePaths(id);
  return {
    flowLifetimeMs,
    siteUrl,
    /** The checked, absolute URL to return to; the site itself when none is asked for. */
    redirectTarget: (target: string | undefined): RedirectCheck =>
      checkRedirectTarget(target ?? siteUrl(), { siteUrl: siteUrl(), allowedOrigins }),
    startUrl: () => `${convexSiteUrl()}${paths.start}`,
    callbackUrl: () => `${convexSiteUrl()}${paths.callback}`,
    /** Whether the flow cookie can be `Secure` (an https site origin). */
    secureCookie: () => convexSiteUrl().startsWith("https:"),
    http: {
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      now: options.now,
      discoveryCache: options.discoveryCache,
      clockToleranceSeconds: options.clockToleranceSeconds,
    },
  };
}

export type FlowSettings = ReturnType<typeof flowSettings>;
