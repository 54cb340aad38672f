/**
 * `npm run demo`: the foundation flows, step by step, on the embedded
 * convex-test backend running the example app in `example/convex`.
 */
import { convexTest } from "convex-test";
import { test } from "vitest";
import { decodeProtectedHeader } from "jose";
import { registerWarden, asTestUser } from "convex-warden/test";
import { api } from "../example/convex/_generated/api";
import schema from "../example/convex/schema";

const modules = import.meta.glob("../example/convex/**/*.ts");
const step = (n: number, title: string) => console.log(`\n${n}. ${title}`);
const show = (label: string, value: unknown) =>
  console.log(`   ${label.padEnd(18)} ${typeof value === "string" ? value : JSON.stringify(value)}`);
const abbreviate = (secret: string) => `${secret.slice(0, 10)}…${secret.slice(-6)} (${secret.length} chars)`;

// Runs under vitest (see vitest.demo.config.ts), which supplies convex-test's module loading.
test("demo", async () => {
  const t = convexTest(schema, modules);
  registerWarden(t);
  const credentials = { email: "ada@example.com", password: "correct horse battery" };

  step(1, "Sign up with a password (one mutation: user, account, session, token)");
  const signUp = await t.mutation(api.auth.signIn, { provider: "password", params: { flow: "signUp", ...credentials } });
  if (signUp.kind !== "signedIn") throw new Error(`sign-up failed: ${JSON.stringify(signUp)}`);
  show("access token", abbreviate(signUp.tokens.token));
  show("refresh token", abbreviate(signUp.tokens.refreshToken));

  step(2, "Verify the access token against the deployment's JWKS");
  const ada = await asTestUser(t, signUp.tokens);
  show("header", decodeProtectedHeader(signUp.tokens.token));
  show("claims", ada.claims);

  step(3, "Call an authenticated query as that user");
  show("users.viewer", await ada.as.query(api.users.viewer, {}));

  step(4, "A wrong password is refused with a stable code");
  const wrong = await t.mutation(api.auth.signIn, {
    provider: "password",
    params: { flow: "signIn", email: credentials.email, password: "not it" },
  });
  show("result", wrong.kind === "failed" ? wrong.error : wrong.kind);

  step(5, "Refresh: the refresh token rotates, the session stays");
  const refreshed = await t.mutation(api.auth.refresh, { refreshToken: signUp.tokens.refreshToken });
  if (refreshed.kind !== "signedIn") throw new Error(`refresh failed: ${refreshed.error.code}`);
  const after = await asTestUser(t, refreshed.tokens);
  show("new refresh token", abbreviate(refreshed.tokens.refreshToken));
  show("same session", after.sessionId === ada.sessionId);

  step(6, "Sign out: the session is revoked on the server");
  await after.as.mutation(api.auth.signOut, {});
  show("live session", await after.as.query(api.users.viewerLive, {}));

  step(7, "Refresh after sign-out is refused");
  const refused = await t.mutation(api.auth.refresh, { refreshToken: refreshed.tokens.refreshToken });
  show("result", refused.kind === "failed" ? refused.error : refused.kind);
  console.log("");
});
