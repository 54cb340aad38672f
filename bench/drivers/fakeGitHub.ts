/**
 * GitHub's OAuth endpoints answered in memory, so an OAuth callback can run
 * with no network and no network time: the token endpoint grants a token for
 * any code, the user endpoint returns one fixed user (every sign-in after the
 * first is a returning user, the common case), and the emails endpoint its
 * primary verified address (convex-warden asks for it on every sign-in; v1
 * only when `/user` has no email). Installed as the global `fetch` for the
 * run; any other URL fails loudly.
 */
export const GITHUB_USER = {
  id: 4242,
  login: "octobench",
  name: "Octo Bench",
  email: "octo@bench.test",
  avatar_url: "https://avatars.example/4242",
};

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { headers: { "Content-Type": "application/json" } });

async function fakeGitHub(input: RequestInfo | URL): Promise<Response> {
  const url = input instanceof Request ? input.url : String(input);
  switch (url) {
    case "https://github.com/login/oauth/access_token":
      return json({ access_token: "gho_bench", token_type: "bearer", scope: "read:user,user:email" });
    case "https://api.github.com/user":
      return json(GITHUB_USER);
    case "https://api.github.com/user/emails":
      return json([{ email: GITHUB_USER.email, primary: true, verified: true, visibility: "public" }]);
    default:
      throw new TypeError(`The bench has no network: ${url}`);
  }
}

/** Puts the fake in place of `fetch`; returns how to restore the real one. */
export function installFakeGitHub(): () => void {
  const real = globalThis.fetch;
  globalThis.fetch = fakeGitHub as typeof fetch;
  return () => {
    globalThis.fetch = real;
  };
}
