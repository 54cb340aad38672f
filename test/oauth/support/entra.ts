import { createHash, randomBytes } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { closeServer, listen } from "./net";

/**
 * A server shaped like Microsoft Entra ID's v2.0 endpoints: discovery under
 * any tenant segment (`common`, `organizations`, a tenant id) names the issuer
 * as the `{tenantid}` template, and each ID token is signed for the tenant the
 * test chooses, with `tid`, `oid` and an unverified `email`.
 */
export const ENTRA_CLIENT = { id: "00000000-aaaa-bbbb-cccc-000000000001", secret: "entra-client-secret" };
export const TENANT_A = "72f988bf-86f1-41af-91ab-2d7cd011db47";
export const TENANT_B = "9188040d-6c67-4c5b-b112-36a304b66dad";

interface Pending {
  nonce: string;
  challenge: string;
  redirectUri: string;
}

export async function startEntra() {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "entra-key-1", use: "sig" };
  const codes = new Map<string, Pending>();
  /** What the next ID token says: its tenant, and its issuer (default: the tenant's own). */
  const next: { tid: string; iss?: string } = { tid: TENANT_A };
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const url = new URL(req.url ?? "/", base);
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(value));
    };
    const discovery = url.pathname.match(/^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/);
    if (discovery) return json(200, metadata(discovery[1]!));
    if (url.pathname === "/common/discovery/v2.0/keys") return json(200, { keys: [jwk] });
    if (url.pathname.endsWith("/oauth2/v2.0/authorize")) return authorize(url, res);
    if (url.pathname.endsWith("/oauth2/v2.0/token")) {
      return json(...(await token(new URLSearchParams(body), req.headers.authorization)));
    }
    return json(404, { error: "not_found" });
  });
  const port = await listen(server);
  const base = `http://127.0.0.1:${port}`;

  const metadata = (segment: string) => ({
    issuer: `${base}/{tenantid}/v2.0`,
    authorization_endpoint: `${base}/${segment}/oauth2/v2.0/authorize`,
    token_endpoint: `${base}/${segment}/oauth2/v2.0/token`,
    jwks_uri: `${base}/common/discovery/v2.0/keys`,
    response_types_supported: ["code", "id_token", "code id_token"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
  });

  function authorize(url: URL, res: ServerResponse) {
    const code = randomBytes(12).toString("hex");
    const redirectUri = url.searchParams.get("redirect_uri") ?? "";
    codes.set(code, {
      nonce: url.searchParams.get("nonce") ?? "",
      challenge: url.searchParams.get("code_challenge") ?? "",
      redirectUri,
    });
    const back = new URL(redirectUri);
    back.searchParams.set("code", code);
    back.searchParams.set("state", url.searchParams.get("state") ?? "");
    res.writeHead(302, { location: back.href });
    res.end();
  }

  async function token(params: URLSearchParams, authorization = ""): Promise<[number, unknown]> {
    const pending = codes.get(params.get("code") ?? "");
    codes.delete(params.get("code") ?? "");
    const [id, secret] = Buffer.from(authorization.replace(/^Basic /, ""), "base64").toString().split(":");
    if (decodeURIComponent(id ?? "") !== ENTRA_CLIENT.id || decodeURIComponent(secret ?? "") !== ENTRA_CLIENT.secret) {
      return [401, { error: "invalid_client" }];
    }
    const verifier = createHash("sha256").update(params.get("code_verifier") ?? "").digest("base64url");
    if (pending === undefined || pending.challenge !== verifier || pending.redirectUri !== params.get("redirect_uri")) {
      return [400, { error: "invalid_grant" }];
    }
    const now = Math.floor(Date.now() / 1000);
    const idToken = await new SignJWT({
      tid: next.tid,
      oid: "11111111-2222-3333-4444-555555555555",
      email: "ada@contoso.example",
      name: "Ada Lovelace",
      preferred_username: "ada@contoso.example",
      nonce: pending.nonce,
    })
      .setProtectedHeader({ alg: "RS256", kid: "entra-key-1" })
      .setIssuer(next.iss ?? `${base}/${next.tid}/v2.0`)
      .setAudience(ENTRA_CLIENT.id)
      .setSubject("AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ")
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(privateKey);
    return [200, { token_type: "Bearer", access_token: randomBytes(24).toString("hex"), expires_in: 3600, id_token: idToken }];
  }

  return { url: base, next, close: () => closeServer(server) };
}
