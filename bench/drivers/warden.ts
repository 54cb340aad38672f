import { convexTest } from "convex-test";
import { identityFromClaims, registerWarden, verifyAccessToken } from "convex-warden/test";
import type { SignInResult } from "convex-warden/server";
import { ConvexError } from "convex/values";
import { api, components } from "../warden/convex/_generated/api";
import schema from "../warden/convex/schema";
import type { App, Credentials, Library } from "./types";

const modules = import.meta.glob("../warden/convex/**/*.ts");

function tokensOf(result: SignInResult) {
  if (result.kind === "failed") throw new ConvexError(result.error);
  if (result.kind !== "signedIn") throw new Error(`warden: expected tokens, got ${result.kind}`);
  return { token: result.tokens.token, refreshToken: result.tokens.refreshToken };
}

function create(): App {
  const t = convexTest(schema, modules);
  registerWarden(t);
  const password = (flow: "signUp" | "signIn", who: Credentials) =>
    t.mutation(api.auth.signIn, { provider: "password", params: { flow, ...who } });
  return {
    signUp: async (who) => tokensOf(await password("signUp", who)),
    signIn: async (who) => tokensOf(await password("signIn", who)),
    refresh: async (refreshToken) => tokensOf(await t.mutation(api.auth.refresh, { refreshToken })),
    // As convex-warden's client signs out: by refresh token, with no access
    // token, so a client whose access token expired can still sign out.
    async signOut(user) {
      await t.mutation(api.auth.signOut, { refreshToken: user.tokens.refreshToken });
    },
    async viewer(user) {
      const viewer = await user.as.query(api.users.viewer, {});
      if (viewer === null) throw new Error("warden: viewer found no user");
      return viewer.id;
    },
    async passwordScheme(who) {
      const account = await t.query(components.warden.accounts.get, {
        provider: "password",
        providerAccountId: who.email,
      });
      // A PHC string: `$argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>`; keep the parameters.
      return account?.secret?.split("$").slice(1, 4).join(" ") ?? "no password stored";
    },
    async asUser(tokens) {
      const claims = await verifyAccessToken(t, tokens.token);
      return { tokens, as: t.withIdentity(identityFromClaims(claims)) };
    },
    // emailCode: the email code flows are a later issue; adding them here is
    // all the bench needs to measure them.
  };
}

export const warden: Library = { id: "warden", label: "convex-warden", create };
