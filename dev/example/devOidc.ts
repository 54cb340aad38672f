/**
 * "Dev OIDC": a real OpenID Provider (`oidc-provider`) on loopback, so the
 * example's OAuth button works offline. Any login name signs in (the
 * password is not checked) as `<login>@dev-oidc.example`, verified. Its
 * client is registered on the first request, with the callback of the
 * backend's site origin (`CONVEX_SITE_URL`, set once the backend is up).
 * A development stand-in, nothing more: in-memory, dev interactions, fixed keys.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";

/** The provider id in the example's `convex/auth.ts`; its env vars are `AUTH_DEV_OIDC_*`. */
export const DEV_OIDC_ID = "dev-oidc";
const CLIENT_ID = "warden-example";
const CLIENT_SECRET = "dev-oidc-client-secret-for-the-example-only";

export interface DevOidc {
  issuer: string;
  /** What `example/convex/auth.ts` reads to enable the provider. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

async function provider(issuer: string, callbackUrl: string) {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  return new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [callbackUrl],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: "dev-oidc-1", alg: "RS256", use: "sig" }] },
    cookies: { keys: ["dev-oidc-cookie-key"] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    pkce: { required: () => true },
    async findAccount(_ctx, id) {
      return { accountId: id, claims: async () => ({ sub: id, email: `${id}@dev-oidc.example`, email_verified: true, name: id }) };
    },
  });
}

export async function startDevOidc(host: string): Promise<DevOidc> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const issuer = `http://${host}:${(server.address() as AddressInfo).port}`;
  let handler: Promise<ReturnType<Provider["callback"]>> | undefined;
  server.on("request", (request, response) => {
    handler ??= (async () => {
      const site = process.env.CONVEX_SITE_URL;
      if (site === undefined) throw new TypeError("Dev OIDC: CONVEX_SITE_URL is not set (start the backend first)");
      return (await provider(issuer, `${site}/api/auth/callback/${DEV_OIDC_ID}`)).callback();
    })();
    handler.then(
      (callback) => callback(request, response),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  return {
    issuer,
    env: {
      AUTH_DEV_OIDC_ISSUER: issuer,
      AUTH_DEV_OIDC_ID: CLIENT_ID,
      AUTH_DEV_OIDC_SECRET: CLIENT_SECRET,
      VITE_DEV_OIDC: "1",
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
