import { exportJWK, exportPKCS8, generateKeyPair } from "jose";

/**
 * The environment @convex-dev/auth reads, set up as its docs describe: an
 * RS256 key pair (private key as PKCS#8 with spaces for newlines, public key
 * as a JWKS), the site URL, the deployment's HTTP URL and the GitHub app's
 * credentials. Keys are generated once per run; call this before any v1
 * function runs.
 */
export const V1_SITE = "https://warden-bench.convex.site";

declare const process: { env: Record<string, string | undefined> };

export async function setUpV1Environment(): Promise<void> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const pkcs8 = await exportPKCS8(privateKey);
  process.env.JWT_PRIVATE_KEY = pkcs8.trimEnd().replace(/\n/g, " ");
  process.env.JWKS = JSON.stringify({ keys: [{ use: "sig", ...(await exportJWK(publicKey)) }] });
  process.env.SITE_URL = "http://localhost:5173";
  process.env.CONVEX_SITE_URL = V1_SITE;
  process.env.AUTH_GITHUB_ID = "bench-client-id";
  process.env.AUTH_GITHUB_SECRET = "bench-client-secret";
  // v1 logs every internal call at INFO by default. Its warnings stay on; the
  // warden app logs nothing on these paths at its default level either.
  process.env.AUTH_LOG_LEVEL = "WARN";
}

export function v1Jwks(): string {
  const jwks = process.env.JWKS;
  if (jwks === undefined) throw new Error("Call setUpV1Environment() first");
  return jwks;
}
