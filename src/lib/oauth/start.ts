import * as o from "oauth4webapi";
import { resolveServer, type ServerOptions } from "./discovery.js";
import type { OAuthProvider } from "./types.js";
import { parseEndpoint } from "./urls.js";

/**
 * What a flow must keep between its start and its callback. Each random
 * value is 32 bytes from the CSPRNG as 43 base64url characters.
 */
export interface OAuthFlowSecrets {
  /** The provider the flow is for. Not secret. */
  provider: string;
  /** The exact `redirect_uri` sent; the token request repeats it. Not secret. */
  redirectUri: string;
  /**
   * Travels through the browser in both URLs, so not secret from the user,
   * but unguessable: it binds the callback to this flow. Store it hashed and
   * look the flow up by it, single use.
   */
  state: string;
  /** PKCE code verifier (S256). Secret: it leaves the server only to the token endpoint. */
  codeVerifier: string;
  /** OpenID Connect only. Secret until the ID token carrying it comes back. */
  nonce?: string;
}

/** Authorization request parameters the flow sets itself. */
const RESERVED = new Set([
  "response_type", "client_id", "redirect_uri", "state", "nonce", "code_challenge", "code_challenge_method", "scope",
  "response_mode",
]);

export interface FlowSecretsOptions {
  /** The callback URL registered at the provider, exactly. HTTPS (HTTP only on loopback). */
  redirectUri: string;
}

/** Fresh secrets for one flow. Pure: no network, so a mutation can create them. */
export function createFlowSecrets(provider: OAuthProvider, options: FlowSecretsOptions): OAuthFlowSecrets {
  const redirect = parseEndpoint(options.redirectUri);
  if (redirect === null || redirect.search !== "") {
    throw new TypeError("convex-warden: redirectUri must be an https URL (http only on loopback) without query");
  }
  const secrets: OAuthFlowSecrets = {
    provider: provider.id,
    redirectUri: options.redirectUri,
    state: o.generateRandomState(),
    codeVerifier: o.generateRandomCodeVerifier(),
  };
  if (provider.protocol === "oidc") secrets.nonce = o.generateRandomNonce();
  return secrets;
}

export interface AuthorizationUrlOptions extends ServerOptions {
  /** More authorization parameters for this flow (`login_hint`, `prompt`). Default: none. */
  params?: Record<string, string>;
}

/**
 * The URL to send the browser to: the provider's parameters, then PKCE S256,
 * `state`, `nonce` (OIDC) and the exact `redirect_uri`. OIDC providers are
 * discovered (cached) first, so this may use the network.
 */
export async function authorizationUrl(
  provider: OAuthProvider,
  secrets: OAuthFlowSecrets,
  options: AuthorizationUrlOptions = {},
): Promise<string> {
  if (secrets.provider !== provider.id) {
    throw new TypeError("convex-warden: these flow secrets belong to another provider");
  }
  const { as } = await resolveServer(provider, options);
  const url = new URL(as.authorization_endpoint as string);
  for (const [name, value] of Object.entries(provider.authorizationParams)) url.searchParams.set(name, value);
  for (const [name, value] of Object.entries(options.params ?? {})) {
    if (RESERVED.has(name)) throw new TypeError(`convex-warden: the "${name}" parameter is set by the flow itself`);
    url.searchParams.set(name, value);
  }
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", provider.clientId);
  url.searchParams.set("redirect_uri", secrets.redirectUri);
  url.searchParams.set("state", secrets.state);
  url.searchParams.set("code_challenge", await o.calculatePKCECodeChallenge(secrets.codeVerifier));
  url.searchParams.set("code_challenge_method", "S256");
  if (provider.protocol === "oidc") {
    if (secrets.nonce === undefined) throw new TypeError("convex-warden: an OIDC flow needs its nonce");
    url.searchParams.set("nonce", secrets.nonce);
  }
  return url.href;
}

export interface StartOptions extends AuthorizationUrlOptions, FlowSecretsOptions {}

/** Both steps at once: fresh secrets for the caller to keep, and the URL to redirect to. */
export async function startAuthorization(
  provider: OAuthProvider,
  options: StartOptions,
): Promise<{ url: string; secrets: OAuthFlowSecrets }> {
  const secrets = createFlowSecrets(provider, options);
  return { url: await authorizationUrl(provider, secrets, options), secrets };
}
