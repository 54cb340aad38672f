import { createServer } from "node:http";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import Provider, { type ClientMetadata, type Configuration } from "oidc-provider";
import { closeServer, listen } from "./net";

/** The people who can sign in at the test provider. */
export const ACCOUNTS: Record<string, { email: string; email_verified: boolean; name: string; picture: string }> = {
  alice: { email: "alice@example.com", email_verified: true, name: "Alice Liddell", picture: "https://img.example/alice.png" },
  bob: { email: "bob@example.com", email_verified: false, name: "Bob", picture: "https://img.example/bob.png" },
};

export const CLIENT_SECRET = "a-client-secret-long-enough-for-hs256-32b";

export interface OpenIdProviderOptions {
  /** The clients registered, beyond their redirect URIs and secret. */
  clients: Array<Partial<ClientMetadata> & { client_id: string; redirect_uris: string[] }>;
  /** The host named in the issuer; the server always listens on 127.0.0.1. Default: 127.0.0.1. */
  issuerHost?: string;
  /** Put scope claims (email, name) into the ID token as Google and Apple do. Default: false (userinfo only). */
  claimsInIdToken?: boolean;
  /** Offer a userinfo endpoint. Default: true. */
  userinfo?: boolean;
}

export interface RunningProvider {
  issuer: string;
  port: number;
  /** The provider's signing key, private half included, as served (public) in its JWKS. */
  signingKey: JWK;
  close(): Promise<void>;
}

/** A real OpenID Provider (`oidc-provider`) on a random loopback port. */
export async function startOpenIdProvider(options: OpenIdProviderOptions): Promise<RunningProvider> {
  const server = createServer();
  const port = await listen(server);
  const issuer = `http://${options.issuerHost ?? "127.0.0.1"}:${port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: "op-key-1", alg: "RS256", use: "sig" };
  const configuration: Configuration = {
    clients: options.clients.map((client) => ({
      client_secret: CLIENT_SECRET,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      ...client,
    })),
    jwks: { keys: [signingKey] },
    cookies: { keys: ["cookie-signing-key-for-tests"] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "picture"] },
    conformIdTokenClaims: !options.claimsInIdToken,
    features: { userinfo: { enabled: options.userinfo ?? true } },
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 3600, IdToken: 3600, Interaction: 600, Session: 3600 },
    async findAccount(_ctx, id) {
      const account = ACCOUNTS[id];
      if (account === undefined) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...account }) };
    },
  };
  const provider = new Provider(issuer, configuration);
  server.on("request", provider.callback());
  return { issuer, port, signingKey, close: () => closeServer(server) };
}
