// @vitest-environment node
/**
 * Providers other than the deployment itself: an OpenID Provider found by
 * its discovery document, and a `customJwt` provider with a remote JWKS, both
 * served on loopback by the test.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { authConfigProvider } from "convex-warden/server";
import type { Backend } from "../../dev/backend";
import { api, closeAll, httpClient, testBackend } from "./fixtures";

let issuer: Server;
let issuerUrl: string;
let privateKey: CryptoKey;
let backend: Backend;

beforeAll(async () => {
  const keys = await generateKeyPair("RS256");
  privateKey = keys.privateKey;
  const jwks = { keys: [{ ...(await exportJWK(keys.publicKey)), kid: "k1", alg: "RS256", use: "sig" }] };
  issuer = createServer((request, response) => {
    const body =
      request.url === "/.well-known/openid-configuration"
        ? { issuer: issuerUrl, jwks_uri: `${issuerUrl}/jwks` }
        : request.url === "/jwks"
          ? jwks
          : undefined;
    response.writeHead(body ? 200 : 404, { "Content-Type": "application/json" }).end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => issuer.listen(0, "127.0.0.1", resolve));
  issuerUrl = `http://127.0.0.1:${(issuer.address() as AddressInfo).port}`;
  const authConfig = {
    // Read when a token arrives, once the backend has set CONVEX_CLOUD_URL.
    get default() {
      return {
        providers: [
          authConfigProvider(),
          { domain: issuerUrl, applicationID: "example-app" },
          { type: "customJwt", issuer: `${issuerUrl}/custom`, jwks: `${issuerUrl}/jwks`, algorithm: "RS256" },
        ],
      };
    },
  };
  backend = await testBackend({ app: { modules: { "auth.config": authConfig } } });
});
afterEach(closeAll);
afterAll(async () => {
  await backend.stop();
  await new Promise((resolve) => issuer.close(resolve));
});

const token = (claims: { iss: string; aud?: string; sub: string }) =>
  new SignJWT({ aud: claims.aud, sub: claims.sub })
    .setProtectedHeader({ alg: "RS256", kid: "k1" })
    .setIssuer(claims.iss)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(privateKey);

test("an OpenID Provider's token is verified with the keys its discovery document names", async () => {
  const idToken = await token({ iss: issuerUrl, aud: "example-app", sub: "oidc-user" });
  expect(await httpClient(backend, idToken).query(api.whoami, {})).toBe("oidc-user");
});

test("an OpenID Provider's token for another application is refused", async () => {
  const idToken = await token({ iss: issuerUrl, aud: "another-app", sub: "oidc-user" });
  await expect(httpClient(backend, idToken).query(api.whoami, {})).rejects.toThrow(/InvalidToken/);
});

test("a customJwt provider's token is verified against its remote JWKS", async () => {
  const custom = await token({ iss: `${issuerUrl}/custom`, sub: "custom-user" });
  expect(await httpClient(backend, custom).query(api.whoami, {})).toBe("custom-user");
});
