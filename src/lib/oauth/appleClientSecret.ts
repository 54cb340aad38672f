import type { ClientSecret } from "./types.js";

/** jose, loaded when a secret is first signed (a token request), not with the configuration. */
const jose = () => import("jose");

/** The audience Apple requires of its client secret JWTs. */
export const APPLE_AUDIENCE = "https://appleid.apple.com";

export interface AppleClientSecretOptions {
  /** The Apple Developer team id; the JWT's `iss`. */
  teamId: string;
  /** The id of the Sign in with Apple key; the JWT header's `kid`. */
  keyId: string;
  /**
   * The key's PKCS #8 PEM (the `.p8` file Apple gives). Literal `\n` escapes,
   * as env vars often hold them, are read as newlines.
   */
  privateKey: string;
  /** Seconds each secret is valid. Default: 300 (Apple accepts up to six months). */
  lifetimeSeconds?: number;
}

const MAX_LIFETIME_SECONDS = 15_777_000;

/**
 * Apple's client secret: a fresh ES256 JWT for every token request, signed
 * with the team's key, `iss` = team id, `sub` = client id (the Services ID),
 * `aud` = https://appleid.apple.com. The key is imported once.
 */
export function appleClientSecret(options: AppleClientSecretOptions): ClientSecret {
  const { teamId, keyId } = options;
  const lifetime = options.lifetimeSeconds ?? 300;
  if (!teamId || !keyId || !options.privateKey) {
    throw new TypeError("convex-warden: Apple needs teamId, keyId and privateKey for its client secret");
  }
  if (!Number.isInteger(lifetime) || lifetime <= 0 || lifetime > MAX_LIFETIME_SECONDS) {
    throw new TypeError("convex-warden: lifetimeSeconds must be a whole number of seconds, at most six months");
  }
  const pem = options.privateKey.replace(/\\n/g, "\n");
  let key: Promise<CryptoKey> | undefined;
  const signingKey = () =>
    (key ??= jose().then(({ importPKCS8 }) => importPKCS8(pem, "ES256")).catch(() => {
      key = undefined;
      throw new TypeError("convex-warden: the Apple private key is not a PKCS #8 P-256 key");
    }));
  return async ({ clientId, nowMs }) => {
    const now = Math.floor(nowMs / 1000);
    const { SignJWT } = await jose();
    return new SignJWT({})
      .setProtectedHeader({ alg: "ES256", kid: keyId })
      .setIssuer(teamId)
      .setSubject(clientId)
      .setAudience(APPLE_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetime)
      .sign(await signingKey());
  };
}
