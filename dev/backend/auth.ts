/**
 * Token verification as a deployment does it: the token's issuer picks a
 * provider of the app's `auth.config.ts`, whose JWKS, algorithm and
 * application ID (audience) the token must satisfy. The identity functions
 * see is derived from the verified claims, as `convex-warden/test` does.
 *
 * - `customJwt` providers: `issuer`, `jwks` (a URL; the deployment's own
 *   `/.well-known/jwks.json` is served from memory), `algorithm`, optional
 *   `applicationID`.
 * - OIDC providers: `domain` (its discovery document names the JWKS) and
 *   `applicationID`.
 */
import type { AuthConfig, AuthProvider, UserIdentity } from "convex/server";
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from "jose";
import { identityFromClaims } from "convex-warden/test";

/** Why a token was refused. Stable codes; messages never include the token. */
export type TokenRejection = "InvalidAuthHeader" | "NoAuthProvider" | "TokenExpired" | "InvalidToken";

export class TokenRejected extends Error {
  override name = "TokenRejected";
  constructor(
    readonly code: TokenRejection,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export interface VerifiedToken {
  identity: Partial<UserIdentity>;
  /** When the token stops being valid (ms since epoch), from `exp`; null if it has none. */
  expiresAt: number | null;
}

export interface TokenVerifierOptions {
  /** The app's auth config (`auth.config.ts`'s default export). */
  config: () => AuthConfig;
  /** This deployment's URL: its `/.well-known/jwks.json` is `ownJwks`. */
  deploymentUrl: string;
  /** The keys `ctx.auth.signJwt` signs with. */
  ownJwks: () => Promise<JSONWebKeySet>;
  /** The current time. Default `Date.now`. */
  now?: () => number;
}

const trimSlash = (url: string) => url.replace(/\/+$/, "");

/** The provider whose issuer (or OIDC domain) is the token's `iss`. */
function providerFor(config: AuthConfig, issuer: string): AuthProvider | undefined {
  return config.providers.find((provider) =>
    "type" in provider && provider.type === "customJwt"
      ? trimSlash(provider.issuer) === trimSlash(issuer)
      : "domain" in provider && trimSlash(provider.domain) === trimSlash(issuer),
  );
}

export function tokenVerifier(options: TokenVerifierOptions) {
  const now = options.now ?? Date.now;
  const ownJwksUrl = `${trimSlash(options.deploymentUrl)}/.well-known/jwks.json`;
  const fromJson = (keys: Promise<JSONWebKeySet>): JWTVerifyGetKey => async (...args) =>
    createLocalJWKSet(await keys)(...args);
  const keySets = new Map<string, JWTVerifyGetKey>();
  /** The keys at a JWKS URL: the deployment's own from memory, a `data:` URL decoded, others fetched (and cached). */
  function keySet(url: string): JWTVerifyGetKey {
    if (trimSlash(url) === ownJwksUrl) return fromJson(options.ownJwks());
    let keys = keySets.get(url);
    if (!keys) {
      keys = url.startsWith("data:")
        ? fromJson(fetch(url).then((response) => response.json() as Promise<JSONWebKeySet>))
        : createRemoteJWKSet(new URL(url));
      keySets.set(url, keys);
    }
    return keys;
  }

  const discovered = new Map<string, Promise<JWTVerifyGetKey>>();
  /** An OpenID Provider's keys, found through its discovery document (cached once found). */
  function oidcKeySet(domain: string): Promise<JWTVerifyGetKey> {
    let keys = discovered.get(domain);
    if (!keys) {
      keys = (async () => {
        const response = await fetch(`${trimSlash(domain)}/.well-known/openid-configuration`);
        const discovery = (response.ok ? await response.json() : {}) as { jwks_uri?: unknown };
        if (typeof discovery.jwks_uri !== "string") {
          throw new TokenRejected("InvalidToken", `the OpenID Provider ${domain} has no usable discovery document`);
        }
        return keySet(discovery.jwks_uri);
      })();
      keys.catch(() => discovered.delete(domain));
      discovered.set(domain, keys);
    }
    return keys;
  }

  async function verify(token: string): Promise<VerifiedToken> {
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw new TokenRejected("InvalidAuthHeader", "the token is not a JWT");
    }
    const provider = typeof issuer === "string" ? providerFor(options.config(), issuer) : undefined;
    if (!provider) throw new TokenRejected("NoAuthProvider", "No auth provider found matching the given token");
    const custom = "type" in provider && provider.type === "customJwt" ? provider : null;
    try {
      const keys = custom ? keySet(custom.jwks) : await oidcKeySet((provider as { domain: string }).domain);
      const { payload } = await jwtVerify(token, keys, {
        issuer: issuer as string,
        audience: provider.applicationID,
        algorithms: custom ? [custom.algorithm] : undefined,
        currentDate: new Date(now()),
      });
      return {
        identity: identityFromClaims(payload),
        expiresAt: typeof payload.exp === "number" ? payload.exp * 1000 : null,
      };
    } catch (error) {
      if (error instanceof TokenRejected) throw error;
      if (error instanceof errors.JWTExpired) throw new TokenRejected("TokenExpired", "the token has expired");
      const reason = error instanceof errors.JOSEError ? error.code : "unverifiable";
      throw new TokenRejected("InvalidToken", `Could not verify the token (${reason})`);
    }
  }

  return { verify };
}

export type TokenVerifier = ReturnType<typeof tokenVerifier>;
