// @vitest-environment node
import GitHub from "@auth/core/providers/github";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { OAuth, OIDC, type OAuthOptions } from "convex-warden/providers/OAuth";
import { api } from "../../example/convex/_generated/api";
import { tokensOf, wardenTables, type ExampleApp } from "../setup";
import { GITHUB_CLIENT, startGitHub, type GitHubUser } from "../oauth/support/github";
import { CLIENT_SECRET, startOpenIdProvider, type RunningProvider } from "../oauth/support/openidProvider";
import { AppBrowser, callbackUrl, CONVEX_SITE_URL, handedBack, location, oauthApp, SITE_URL, userOf } from "./support/app";

/**
 * OA-4: accounts are keyed by (provider, subject); a second provider joins a
 * user by email only when the provider verified it, is trusted for it, and
 * the user's own email is verified. Otherwise a new user, or a typed error:
 * never a silent merge. A signed-in user links a provider explicitly.
 */
const ALICE_EMAIL = "alice@example.com"; // alice at the OpenID Provider, verified there
const github = (id: number, login: string, email: string, verified: boolean): GitHubUser => ({
  id,
  login,
  name: login,
  avatar_url: `https://avatars.example/${id}`,
  email: null,
  emails: [{ email, primary: true, verified, visibility: "public" }],
});

let op: RunningProvider;
let gh: Awaited<ReturnType<typeof startGitHub>>;
beforeAll(async () => {
  op = await startOpenIdProvider({ clients: [{ client_id: "warden-app", redirect_uris: [callbackUrl("acme")] }] });
  gh = await startGitHub([
    github(1, "alice-gh", ALICE_EMAIL, true),
    github(2, "alice-unverified", ALICE_EMAIL, false),
    github(3, "bob-gh", "bob@example.com", true),
  ]);
});
afterAll(async () => {
  await op.close();
  await gh.close();
});
beforeEach(() => {
  gh.state.signedIn = "alice-gh";
});

const flow = { siteUrl: SITE_URL, convexSiteUrl: CONVEX_SITE_URL };
const acme = () => OIDC({ id: "acme", issuer: op.issuer, clientId: "warden-app", clientSecret: CLIENT_SECRET, ...flow });
const gitHub = (options: OAuthOptions<"github"> = {}) =>
  OAuth(GitHub({ clientId: GITHUB_CLIENT.id, clientSecret: GITHUB_CLIENT.secret, enterprise: { baseUrl: gh.url } }), {
    id: "github",
    ...flow,
    ...options,
  });

const users = (t: ExampleApp) => t.run((ctx) => ctx.db.query("users").collect());
const accountsOf = async (t: ExampleApp) =>
  (await wardenTables(t)).accounts.map((a) => `${a.provider}:${a.providerAccountId}->${a.userId}`).sort();

/** Signs in at GitHub as `login` and comes back with the hand-off, or the error. */
async function viaGitHub(t: ExampleApp, login: string, params: Record<string, unknown> = {}, token?: string) {
  gh.state.signedIn = login;
  const browser = new AppBrowser(t);
  const callback = await browser.authorize(await browser.start("github", params, token), "github");
  const back = handedBack(location(await browser.callback("github", callback)));
  return back.code === null ? { error: back.error } : { result: await browser.finish("github", back.code) };
}

describe("by verified email", () => {
  test("a trusted provider's verified email joins the user whose email is verified", async () => {
    const t = oauthApp([acme(), gitHub({ trustEmail: true })]);
    const alice = await userOf(t, (await new AppBrowser(t).signInWith("acme")).result);
    const { result } = await viaGitHub(t, "alice-gh");
    expect(await userOf(t, result!)).toBe(alice);
    expect(await accountsOf(t)).toEqual([`acme:alice->${alice}`, `github:1->${alice}`]);
    expect(await users(t)).toHaveLength(1);
    // And it stays joined: the next GitHub sign-in finds its own account.
    expect(await userOf(t, (await viaGitHub(t, "alice-gh")).result!)).toBe(alice);
  });

  test("a provider not trusted for email is OAUTH_ACCOUNT_NOT_LINKED: no merge, no second user", async () => {
    const t = oauthApp([acme(), gitHub()]);
    const alice = await userOf(t, (await new AppBrowser(t).signInWith("acme")).result);
    const { result } = await viaGitHub(t, "alice-gh");
    expect(result).toMatchObject({ kind: "failed", error: { code: "OAUTH_ACCOUNT_NOT_LINKED" } });
    expect(await accountsOf(t)).toEqual([`acme:alice->${alice}`]);
    expect(await users(t)).toHaveLength(1);
  });

  test("an email the provider did not verify never joins, even when trusted", async () => {
    const t = oauthApp([acme(), gitHub({ trustEmail: true })]);
    const alice = await userOf(t, (await new AppBrowser(t).signInWith("acme")).result);
    const { result } = await viaGitHub(t, "alice-unverified");
    expect(result).toMatchObject({ kind: "failed", error: { code: "OAUTH_ACCOUNT_NOT_LINKED" } });
    expect(await accountsOf(t)).toEqual([`acme:alice->${alice}`]);
  });

  test("a user whose own email is not verified (a password sign-up) is never joined: a new user", async () => {
    const t = oauthApp([gitHub({ trustEmail: true })]);
    const password = await t.mutation(api.auth.signIn, {
      provider: "password",
      params: { flow: "signUp", email: ALICE_EMAIL, password: "correct horse battery" },
    });
    const { result } = await viaGitHub(t, "alice-gh");
    expect(await userOf(t, result!)).not.toBe(await userOf(t, password));
    expect(await users(t)).toHaveLength(2);
  });

  test("a provider that reports email_verified: false creates a user with that email unverified", async () => {
    const t = oauthApp([acme()]);
    const bob = await userOf(t, (await new AppBrowser(t).signInWith("acme", { login: "bob" })).result);
    const stored = (await t.run((ctx) => ctx.db.get(bob as never))) as Record<string, unknown>;
    expect(stored.email).toBe("bob@example.com");
    expect(stored.emailVerificationTime).toBeUndefined();
    // And that unverified user is no anchor for another provider's verified bob@example.com.
    const trusting = oauthApp([acme(), gitHub({ trustEmail: true })]);
    await new AppBrowser(trusting).signInWith("acme", { login: "bob" });
    const { result } = await viaGitHub(trusting, "bob-gh");
    expect(result!.kind).toBe("signedIn");
    expect(await users(trusting)).toHaveLength(2);
  });
});

describe("explicitly, by the signed-in user", () => {
  async function passwordUser(t: ExampleApp, email = "ada@example.com") {
    const result = await t.mutation(api.auth.signIn, {
      provider: "password",
      params: { flow: "signUp", email, password: "correct horse battery" },
    });
    return { userId: await userOf(t, result), token: tokensOf(result).token };
  }

  test("links the provider to the signed-in user, whatever its email", async () => {
    const t = oauthApp([gitHub()]);
    const ada = await passwordUser(t);
    const { result } = await viaGitHub(t, "alice-gh", { link: true }, ada.token);
    expect(await userOf(t, result!)).toBe(ada.userId);
    expect(await accountsOf(t)).toEqual([`github:1->${ada.userId}`, `password:ada@example.com->${ada.userId}`].sort());
    // The user's email is not changed by the linked provider's.
    const stored = (await t.run((ctx) => ctx.db.get(ada.userId as never))) as Record<string, unknown>;
    expect(stored.email).toBe("ada@example.com");
    // From now on GitHub signs Ada in.
    expect(await userOf(t, (await viaGitHub(t, "alice-gh")).result!)).toBe(ada.userId);
  });

  test("a provider account that belongs to another user is OAUTH_ACCOUNT_IN_USE", async () => {
    const t = oauthApp([gitHub()]);
    const owner = await userOf(t, (await viaGitHub(t, "alice-gh")).result!);
    const ada = await passwordUser(t);
    const { result } = await viaGitHub(t, "alice-gh", { link: true }, ada.token);
    expect(result).toMatchObject({ kind: "failed", error: { code: "OAUTH_ACCOUNT_IN_USE" } });
    expect(await accountsOf(t)).toContain(`github:1->${owner}`);
    expect(await accountsOf(t)).not.toContain(`github:1->${ada.userId}`);
  });

  test("linking needs a signed-in user: NOT_SIGNED_IN", async () => {
    const t = oauthApp([gitHub()]);
    const error = await new AppBrowser(t).signIn("github", { link: true }).catch((e: unknown) => e);
    expect((error as { data?: { code: string } }).data?.code).toBe("NOT_SIGNED_IN");
  });
});
