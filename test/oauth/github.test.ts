// @vitest-environment node
import GitHub from "@auth/core/providers/github";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { fromAuthCore } from "../../src/lib/oauth/authCore";
import { handleCallback } from "../../src/lib/oauth/callback";
import { startAuthorization } from "../../src/lib/oauth/start";
import { expectOAuthError, runFlow } from "./support/flow";
import { GITHUB_CLIENT, gitHubUser, startGitHub } from "./support/github";

const REDIRECT = "http://127.0.0.1/api/auth/callback/github";

const USERS = [
  gitHubUser(583231, "octocat", [
    { email: "octocat@users.noreply.example", primary: false, verified: true, visibility: null },
    { email: "octocat@example.com", primary: true, verified: true, visibility: "public" },
  ]),
  gitHubUser(1001, "secondary", [
    { email: "old@example.com", primary: true, verified: false, visibility: "private" },
    { email: "work@example.com", primary: false, verified: true, visibility: null },
  ]),
  gitHubUser(1002, "unverified", [
    { email: "new@example.com", primary: true, verified: false, visibility: "private" },
    { email: "other@example.com", primary: false, verified: false, visibility: null },
  ]),
];

let github: Awaited<ReturnType<typeof startGitHub>>;
beforeAll(async () => {
  github = await startGitHub(USERS);
});
afterAll(() => github.close());
beforeEach(() => {
  Object.assign(github.state, { signedIn: "octocat", decline: false, grantEmailScope: true });
  github.requests.length = 0;
});

/** The catalogue's GitHub config, pointed at the loopback server as an app could (Enterprise base URL). */
const enterprise = (options: Parameters<typeof fromAuthCore>[1] = {}) =>
  fromAuthCore(
    GitHub({ clientId: GITHUB_CLIENT.id, clientSecret: GITHUB_CLIENT.secret, enterprise: { baseUrl: github.url } }),
    options,
  );

/** The same config with each endpoint overridden instead. */
const overridden = () =>
  fromAuthCore(
    GitHub({
      clientId: GITHUB_CLIENT.id,
      clientSecret: GITHUB_CLIENT.secret,
      authorization: { url: `${github.url}/login/oauth/authorize` },
      token: `${github.url}/login/oauth/access_token`,
      userinfo: `${github.url}/user`,
    }),
  );

async function signIn(provider = enterprise(), login = "octocat") {
  github.state.signedIn = login;
  const { secrets, parameters } = await runFlow(provider, { redirectUri: REDIRECT });
  return handleCallback(provider, parameters, secrets);
}

test("a GitHub user signs in with the primary verified email and the numeric id as subject", async () => {
  const { profile, tokens } = await signIn();
  expect(profile).toMatchObject({
    provider: "github",
    subject: "583231",
    email: "octocat@example.com",
    emailVerified: true,
    name: "The Octocat",
    image: "https://avatars.example/583231",
  });
  expect(profile.raw).toMatchObject({ login: "octocat", emails: USERS[0]!.emails });
  expect(tokens).toBeUndefined();
});

test("the endpoints can be overridden one by one, and a returning user keeps the subject", async () => {
  const first = await signIn(overridden());
  const second = await signIn(overridden());
  expect([first.profile.subject, second.profile.subject]).toEqual(["583231", "583231"]);
  expect(github.requests.map((r) => r.path)).toContain("/user/emails");
});

test("the requests carry what GitHub requires: PKCE, JSON, a User-Agent and the API version", async () => {
  await signIn();
  const authorize = github.requests.find((r) => r.path === "/login/oauth/authorize")!;
  const token = github.requests.find((r) => r.path === "/login/oauth/access_token")!;
  const api = github.requests.filter((r) => r.path.startsWith("/api/v3/user"));
  expect(authorize).toBeDefined();
  expect(token.headers.accept).toContain("application/json");
  expect(new URLSearchParams(token.body).get("code_verifier")).toMatch(/^[\w-]{43}$/);
  expect(api.map((r) => r.path)).toEqual(["/api/v3/user", "/api/v3/user/emails"]);
  for (const request of api) {
    expect(request.headers["user-agent"]).toBe("convex-warden");
    expect(request.headers.accept).toBe("application/vnd.github+json");
    expect(request.headers["x-github-api-version"]).toBe("2022-11-28");
    expect(request.headers.authorization).toMatch(/^Bearer gho_/);
  }
});

test("when the only verified email is not the primary one, that verified email is used", async () => {
  const { profile } = await signIn(enterprise(), "secondary");
  expect(profile).toMatchObject({ subject: "1001", email: "work@example.com", emailVerified: true, name: "secondary" });
});

test("with no verified email the primary one is given as unverified, or refused when required", async () => {
  const { profile } = await signIn(enterprise(), "unverified");
  expect(profile).toMatchObject({ subject: "1002", email: "new@example.com", emailVerified: false });
  await expectOAuthError(signIn(enterprise({ requireVerifiedEmail: true }), "unverified"), {
    code: "OAUTH_EMAIL_UNVERIFIED",
  });
});

test("without the user:email grant the emails call fails as a typed error", async () => {
  github.state.grantEmailScope = false;
  await expectOAuthError(signIn(), { code: "OAUTH_INVALID_RESPONSE", step: "emails", error: "status" });
});

test("declining at GitHub is OAUTH_ACCESS_DENIED", async () => {
  github.state.decline = true;
  await expectOAuthError(signIn(), { code: "OAUTH_ACCESS_DENIED" });
  expect(github.requests.map((r) => r.path)).toEqual(["/login/oauth/authorize"]);
});

test("GitHub's errors sent with status 200 are still errors: a replayed code, a wrong verifier, a wrong secret", async () => {
  const provider = enterprise();
  const { secrets, parameters } = await runFlow(provider, { redirectUri: REDIRECT });
  await handleCallback(provider, parameters, secrets);
  await expectOAuthError(handleCallback(provider, parameters, secrets), { code: "OAUTH_CODE_REJECTED" });

  const again = await runFlow(provider, { redirectUri: REDIRECT });
  const otherVerifier = (await startAuthorization(provider, { redirectUri: REDIRECT })).secrets.codeVerifier;
  await expectOAuthError(handleCallback(provider, again.parameters, { ...again.secrets, codeVerifier: otherVerifier }), {
    code: "OAUTH_CODE_REJECTED",
  });

  const wrongSecret = enterprise({ clientSecret: "not-it" });
  const third = await runFlow(wrongSecret, { redirectUri: REDIRECT });
  await expectOAuthError(handleCallback(wrongSecret, third.parameters, third.secrets), { code: "OAUTH_CLIENT_REJECTED" });
});

test("a callback for another flow is refused before the code is redeemed", async () => {
  const provider = enterprise();
  const mine = await startAuthorization(provider, { redirectUri: REDIRECT });
  const theirs = await runFlow(provider, { redirectUri: REDIRECT });
  await expectOAuthError(handleCallback(provider, theirs.parameters, mine.secrets), { code: "OAUTH_STATE_MISMATCH" });
  expect(github.requests.map((r) => r.path)).not.toContain("/login/oauth/access_token");
});

test("the GitHub API calls time out like every other request", async () => {
  for (const [path, step] of [
    ["/api/v3/user", "userinfo"],
    ["/api/v3/user/emails", "emails"],
  ] as const) {
    const provider = enterprise();
    const { secrets, parameters } = await runFlow(provider, { redirectUri: REDIRECT });
    const hanging = async (input: RequestInfo | URL, init?: RequestInit) =>
      new URL(String(input)).pathname === path
        ? new Promise<Response>((_resolve, reject) => {
            init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
          })
        : fetch(input, init);
    await expectOAuthError(handleCallback(provider, parameters, secrets, { fetch: hanging, timeoutMs: 150 }), {
      code: "OAUTH_PROVIDER_UNAVAILABLE",
      step,
      reason: "timeout",
    });
  }
});
