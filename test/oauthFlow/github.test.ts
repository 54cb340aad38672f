// @vitest-environment node
import GitHub from "@auth/core/providers/github";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { OAuth, type OAuthOptions } from "convex-warden/providers/OAuth";
import { wardenTables } from "../setup";
import { GITHUB_CLIENT, gitHubUser, startGitHub } from "../oauth/support/github";
import { AppBrowser, CONVEX_SITE_URL, handedBack, location, oauthApp, SITE_URL, userOf } from "./support/app";

/**
 * GitHub through the routes, against a GitHub-shaped OAuth 2.0 server on
 * loopback: no OIDC, so no ID token; the subject is the numeric id and the
 * email the primary verified one from `/user/emails`.
 */
const USERS = [
  gitHubUser(583231, "octocat", [
    { email: "octocat@users.noreply.example", primary: false, verified: true, visibility: null },
    { email: "Octocat@Example.com", primary: true, verified: true, visibility: "public" },
  ]),
  gitHubUser(1002, "unverified", [{ email: "new@example.com", primary: true, verified: false, visibility: "private" }]),
];

let github: Awaited<ReturnType<typeof startGitHub>>;
beforeAll(async () => {
  github = await startGitHub(USERS);
});
afterAll(() => github.close());
beforeEach(() => {
  Object.assign(github.state, { signedIn: "octocat", decline: false, grantEmailScope: true });
});

const gitHub = (options: OAuthOptions<"github"> = {}) =>
  OAuth(GitHub({ clientId: GITHUB_CLIENT.id, clientSecret: GITHUB_CLIENT.secret, enterprise: { baseUrl: github.url } }), {
    id: "github",
    siteUrl: SITE_URL,
    convexSiteUrl: CONVEX_SITE_URL,
    ...options,
  });

async function refused(options: OAuthOptions<"github"> = {}) {
  const t = oauthApp([gitHub(options)]);
  const browser = new AppBrowser(t);
  const callback = await browser.authorize(await browser.start("github"), "github");
  const back = handedBack(location(await browser.callback("github", callback)));
  expect(back.code).toBeNull();
  expect((await wardenTables(t)).accounts).toEqual([]);
  return back.error;
}

test("a GitHub user signs in: the numeric id keys the account, the primary verified email is the user's", async () => {
  const t = oauthApp([gitHub()]);
  const userId = await userOf(t, (await new AppBrowser(t).signInWith("github")).result);
  const stored = (await t.run((ctx) => ctx.db.get(userId as never))) as Record<string, unknown>;
  expect(stored).toMatchObject({ email: "octocat@example.com", name: "The Octocat", image: "https://avatars.example/583231" });
  expect(typeof stored.emailVerificationTime).toBe("number");
  expect((await wardenTables(t)).accounts.map((a) => [a.provider, a.providerAccountId])).toEqual([["github", "583231"]]);
});

test("a returning GitHub user is the same user", async () => {
  const t = oauthApp([gitHub()]);
  const browser = new AppBrowser(t);
  const first = await userOf(t, (await browser.signInWith("github")).result);
  const second = await userOf(t, (await browser.signInWith("github")).result);
  expect(second).toBe(first);
  expect((await wardenTables(t)).accounts).toHaveLength(1);
});

test("a GitHub user without a verified email gets a user whose email is not verified", async () => {
  github.state.signedIn = "unverified";
  const t = oauthApp([gitHub()]);
  const userId = await userOf(t, (await new AppBrowser(t).signInWith("github")).result);
  const stored = (await t.run((ctx) => ctx.db.get(userId as never))) as Record<string, unknown>;
  expect(stored.email).toBe("new@example.com");
  expect(stored.emailVerificationTime).toBeUndefined();
});

test("declining at GitHub is OAUTH_ACCESS_DENIED", async () => {
  github.state.decline = true;
  expect(await refused()).toBe("OAUTH_ACCESS_DENIED");
});

test("a wrong client secret (GitHub answers 200 with an error) is OAUTH_CLIENT_REJECTED", async () => {
  const wrong = OAuth(
    GitHub({ clientId: GITHUB_CLIENT.id, clientSecret: "wrong", enterprise: { baseUrl: github.url } }),
    { id: "github", siteUrl: SITE_URL, convexSiteUrl: CONVEX_SITE_URL },
  );
  const t = oauthApp([wrong]);
  const browser = new AppBrowser(t);
  const callback = await browser.authorize(await browser.start("github"), "github");
  expect(handedBack(location(await browser.callback("github", callback))).error).toBe("OAUTH_CLIENT_REJECTED");
});

test("a code GitHub does not know is OAUTH_CODE_REJECTED", async () => {
  const t = oauthApp([gitHub()]);
  const browser = new AppBrowser(t);
  const callback = await browser.authorize(await browser.start("github"), "github");
  callback.parameters.set("code", "0123456789abcdef0123");
  expect(handedBack(location(await browser.callback("github", callback))).error).toBe("OAUTH_CODE_REJECTED");
});

test("without the emails scope granted, the emails call fails: OAUTH_INVALID_RESPONSE", async () => {
  github.state.grantEmailScope = false;
  expect(await refused()).toBe("OAUTH_INVALID_RESPONSE");
});

test("the authorization request to GitHub carries PKCE S256 and the state", async () => {
  const t = oauthApp([gitHub()]);
  const url = new URL(await new AppBrowser(t).start("github"));
  expect(`${url.origin}${url.pathname}`).toBe(`${github.url}/login/oauth/authorize`);
  expect(url.searchParams.get("code_challenge_method")).toBe("S256");
  expect(url.searchParams.get("state")).toMatch(/^[\w-]{43}$/);
  expect(url.searchParams.get("nonce")).toBeNull();
});
