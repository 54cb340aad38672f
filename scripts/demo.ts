/**
 * `npm run demo`: the foundation flows, step by step, on the embedded
 * convex-test backend running the example app in `example/convex`, then a
 * sign-in by emailed code through the console adapter the example configures.
 */
import { convexTest } from "convex-test";
import { test, vi } from "vitest";
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

  step(8, "Ask for a sign-in code by email (one mutation: limits, challenge, the send scheduled)");
  const grace = "grace@example.com";
  const sent = await t.mutation(api.auth.signIn, { provider: "email", params: { email: grace } });
  show("result", sent);

  step(9, "The scheduled send runs; the console adapter prints the message instead of sending it");
  const printed: string[] = [];
  const print = console.log.bind(console);
  const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    printed.push(args.join(" "));
    print(...args);
  });
  await new Promise((resolve) => setTimeout(resolve, 0));
  await t.finishInProgressScheduledFunctions();
  spy.mockRestore();
  const code = printed.join("\n").match(/^ {4}([0-9]{8})$/m)?.[1];
  if (code === undefined) throw new Error("the console adapter printed no code");

  step(10, "Enter the code: a new user, its address marked verified, signed in");
  const byCode = await t.mutation(api.auth.signIn, { provider: "email", params: { email: grace, code } });
  if (byCode.kind !== "signedIn") throw new Error(`code sign-in failed: ${JSON.stringify(byCode)}`);
  const graceUser = await asTestUser(t, byCode.tokens);
  show("users.viewer", await graceUser.as.query(api.users.viewer, {}));
  const stored = await t.run((ctx) => ctx.db.get(graceUser.userId));
  show("verified at", new Date(stored!.emailVerificationTime!).toISOString());

  step(11, "The same code again is refused: single use");
  const again = await t.mutation(api.auth.signIn, { provider: "email", params: { email: grace, code } });
  show("result", again.kind === "failed" ? again.error : again.kind);
  console.log("");
});
