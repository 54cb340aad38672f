import * as o from "oauth4webapi";
import { oauthError, OAuthError } from "./errors.js";
import { providerFetch, type ProviderHttpOptions } from "./http.js";
import { tenantTemplate, type TenantTemplate } from "./tenant.js";
import type { OAuthProvider } from "./types.js";
import { insecureFor, parseEndpoint } from "./urls.js";

/** A provider's authorization server, as the protocol steps use it. */
export interface ResolvedServer {
  /** Metadata; for a `{tenantid}` template, `issuer` is the template. */
  as: o.AuthorizationServer;
  /** oauth4webapi's JWKS cache for this issuer, shared by every flow. */
  jwks: o.JWKSCacheInput;
  /** Set when the issuer is a Microsoft Entra ID `{tenantid}` template. */
  tenant: TenantTemplate | undefined;
}

/** Discovered servers, kept per issuer. */
export interface DiscoveryCache {
  get(key: string, nowMs: number): ResolvedServer | undefined;
  set(key: string, server: ResolvedServer, nowMs: number): void;
}

export interface DiscoveryCacheOptions {
  /** How long a discovery document is reused. Default: 3 600 000 (one hour). */
  ttlMs?: number;
  /** Issuers kept at most; the oldest is dropped first. Default: 100. */
  maxEntries?: number;
}

export function createDiscoveryCache(options: DiscoveryCacheOptions = {}): DiscoveryCache {
  const ttlMs = options.ttlMs ?? 3_600_000;
  const maxEntries = options.maxEntries ?? 100;
  const entries = new Map<string, { server: ResolvedServer; expiresAt: number }>();
  return {
    get(key, nowMs) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.expiresAt <= nowMs) {
        entries.delete(key);
        return undefined;
      }
      return entry.server;
    },
    set(key, server, nowMs) {
      entries.delete(key);
      entries.set(key, { server, expiresAt: nowMs + ttlMs });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
  };
}

/** The cache used when a step is given none: one per running isolate. */
export const sharedDiscoveryCache = createDiscoveryCache();

/** How a step reaches the provider's server. */
export interface ServerOptions extends ProviderHttpOptions {
  /** Where discovery documents are kept. Default: `sharedDiscoveryCache` (one hour). */
  discoveryCache?: DiscoveryCache;
  /** The clock, in milliseconds. Default: `Date.now`. */
  now?: () => number;
}

const invalid = (error: string) => oauthError({ code: "OAUTH_INVALID_RESPONSE", step: "discovery", error });

async function discover(provider: OAuthProvider, issuer: string, options: ServerOptions): Promise<ResolvedServer> {
  const response = await o.discoveryRequest(new URL(issuer), {
    [o.customFetch]: providerFetch("discovery", options),
    [o.allowInsecureRequests]: insecureFor(issuer),
  });
  if (response.status !== 200) throw invalid("status");
  const document: unknown = await response.clone().json().catch(() => undefined);
  const received = typeof document === "object" && document !== null ? (document as { issuer?: unknown }).issuer : undefined;
  if (typeof received !== "string" || parseEndpoint(received) === null) throw invalid("issuer");
  const tenant = provider.issuerTemplate === "tenantid" ? tenantTemplate(issuer, received, provider.allowedTenants) : undefined;
  if (tenant === undefined && new URL(received).href !== new URL(issuer).href) {
    throw oauthError({ code: "OAUTH_DISCOVERY_MISMATCH", expected: issuer, received });
  }
  let as: o.AuthorizationServer;
  try {
    as = await o.processDiscoveryResponse(new URL(received), response);
  } catch {
    throw invalid("metadata");
  }
  return { as, jwks: {}, tenant };
}

/** Every endpoint a flow will call must be HTTPS (HTTP on loopback). */
function checkEndpoints(as: o.AuthorizationServer): void {
  for (const url of [as.authorization_endpoint, as.token_endpoint, as.jwks_uri]) if (parseEndpoint(url) === null) throw invalid("endpoint");
  if (as.userinfo_endpoint !== undefined && parseEndpoint(as.userinfo_endpoint) === null) throw invalid("endpoint");
}

/**
 * The provider's server: discovered (and cached per issuer) for OIDC, with
 * configured endpoints taking precedence; built from the configuration for
 * plain OAuth 2.0. The discovered issuer must equal the configured one.
 */
export async function resolveServer(provider: OAuthProvider, options: ServerOptions = {}): Promise<ResolvedServer> {
  const { endpoints } = provider;
  if (provider.protocol === "oauth2") {
    const issuer = provider.issuer ?? new URL(endpoints.authorization as string).origin;
    return {
      as: {
        issuer,
        authorization_endpoint: endpoints.authorization,
        token_endpoint: endpoints.token,
        userinfo_endpoint: endpoints.userinfo,
      },
      jwks: {},
      tenant: undefined,
    };
  }
  const issuer = provider.issuer as string;
  const cache = options.discoveryCache ?? sharedDiscoveryCache;
  const nowMs = (options.now ?? Date.now)();
  const key = `${provider.issuerTemplate} ${issuer} ${(provider.allowedTenants ?? []).join(",")}`;
  let server = cache.get(key, nowMs);
  if (server === undefined) {
    try {
      server = await discover(provider, issuer, options);
    } catch (error) {
      if (error instanceof OAuthError || error instanceof TypeError) throw error;
      throw invalid("metadata");
    }
    checkEndpoints(server.as);
    cache.set(key, server, nowMs);
  }
  const as: o.AuthorizationServer = {
    ...server.as,
    authorization_endpoint: endpoints.authorization ?? server.as.authorization_endpoint,
    token_endpoint: endpoints.token ?? server.as.token_endpoint,
    userinfo_endpoint: endpoints.userinfo ?? server.as.userinfo_endpoint,
  };
  return { as, jwks: server.jwks, tenant: server.tenant };
}
