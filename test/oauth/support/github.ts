import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { closeServer, listen } from "./net";

/**
 * A server that behaves like GitHub's OAuth app endpoints and REST API, as
 * far as sign-in sees them: plain OAuth 2.0 (no OIDC), errors from the token
 * endpoint with status 200, a form-encoded token response unless JSON is
 * asked for, a REST API that refuses requests without a User-Agent, and
 * `/user/emails` with primary and verified flags. API paths answer with or
 * without GitHub Enterprise's `/api/v3` prefix.
 */
export interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
  visibility: "public" | "private" | null;
}

export interface GitHubUser {
  id: number;
  login: string;
  name: string | null;
  avatar_url: string;
  email: string | null;
  emails: GitHubEmail[];
}

/** A GitHub user as the API shows one; `octocat` has a display name, the others none. */
export const gitHubUser = (id: number, login: string, emails: GitHubUser["emails"]): GitHubUser => ({
  id,
  login,
  name: login === "octocat" ? "The Octocat" : null,
  avatar_url: `https://avatars.example/${id}`,
  email: null,
  emails,
});

export const GITHUB_CLIENT = { id: "Iv1.warden-test", secret: "github-client-secret" };

interface Grant {
  login: string;
  redirectUri: string;
  challenge: string | null;
}

export interface RequestRecord {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export async function startGitHub(users: GitHubUser[]) {
  const codes = new Map<string, Grant>();
  const tokens = new Map<string, string>();
  const requests: RequestRecord[] = [];
  const state = { signedIn: users[0]!.login, decline: false, grantEmailScope: true };

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
  };

  function authorize(url: URL, res: ServerResponse) {
    const redirectUri = url.searchParams.get("redirect_uri") ?? "";
    if (url.searchParams.get("client_id") !== GITHUB_CLIENT.id) return json(res, 404, { message: "Not Found" });
    const back = new URL(redirectUri);
    const stateParam = url.searchParams.get("state");
    if (stateParam !== null) back.searchParams.set("state", stateParam);
    if (state.decline) {
      back.searchParams.set("error", "access_denied");
      back.searchParams.set("error_description", "The user has denied your application access.");
    } else {
      const code = randomBytes(10).toString("hex");
      const method = url.searchParams.get("code_challenge_method");
      codes.set(code, {
        login: state.signedIn,
        redirectUri,
        challenge: method === "S256" ? url.searchParams.get("code_challenge") : null,
      });
      back.searchParams.set("code", code);
    }
    res.writeHead(302, { location: back.href });
    res.end();
  }

  function accessToken(req: IncomingMessage, body: string, res: ServerResponse) {
    const params: Record<string, string> = (req.headers["content-type"] ?? "").includes("json")
      ? (JSON.parse(body) as Record<string, string>)
      : Object.fromEntries(new URLSearchParams(body));
    const basic = req.headers.authorization?.startsWith("Basic ")
      ? Buffer.from(req.headers.authorization.slice(6), "base64").toString().split(":").map(decodeURIComponent)
      : [];
    const clientId = params.client_id ?? basic[0];
    const clientSecret = params.client_secret ?? basic[1];
    const answer = (fields: Record<string, string>) => {
      if ((req.headers.accept ?? "").includes("application/json")) return json(res, 200, fields);
      res.writeHead(200, { "content-type": "application/x-www-form-urlencoded; charset=utf-8" });
      res.end(new URLSearchParams(fields).toString());
    };
    if (clientId !== GITHUB_CLIENT.id || clientSecret !== GITHUB_CLIENT.secret) {
      return answer({ error: "incorrect_client_credentials", error_description: "The client_id and/or client_secret passed are incorrect." });
    }
    const grant = codes.get(params.code ?? "");
    codes.delete(params.code ?? "");
    const verifierOk =
      grant?.challenge == null ||
      createHash("sha256").update(params.code_verifier ?? "").digest("base64url") === grant.challenge;
    if (grant === undefined || grant.redirectUri !== params.redirect_uri || !verifierOk) {
      return answer({ error: "bad_verification_code", error_description: "The code passed is incorrect or expired." });
    }
    const token = `gho_${randomBytes(18).toString("hex")}`;
    tokens.set(token, grant.login);
    return answer({ access_token: token, scope: state.grantEmailScope ? "read:user,user:email" : "read:user", token_type: "bearer" });
  }

  function api(path: string, req: IncomingMessage, res: ServerResponse) {
    if (!req.headers["user-agent"]) {
      return json(res, 403, { message: "Request forbidden by administrative rules. Please make sure your request has a User-Agent header" });
    }
    const [scheme, token] = (req.headers.authorization ?? "").split(" ");
    const login = scheme === "Bearer" || scheme === "token" ? tokens.get(token ?? "") : undefined;
    const user = users.find((u) => u.login === login);
    if (user === undefined) return json(res, 401, { message: "Bad credentials" });
    const { emails, ...profile } = user;
    if (path === "/user") return json(res, 200, profile);
    if (path === "/user/emails") {
      if (!state.grantEmailScope) return json(res, 404, { message: "Not Found" });
      return json(res, 200, emails);
    }
    return json(res, 404, { message: "Not Found" });
  }

  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push({ method: req.method ?? "", path: url.pathname, headers: req.headers, body });
    const path = url.pathname.replace(/^\/api\/v3/, "");
    if (req.method === "GET" && path === "/login/oauth/authorize") return authorize(url, res);
    if (req.method === "POST" && path === "/login/oauth/access_token") return accessToken(req, body, res);
    if (req.method === "GET") return api(path, req, res);
    return json(res, 404, { message: "Not Found" });
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, state, requests, close: () => closeServer(server) };
}
