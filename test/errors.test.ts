import { anyApi, componentsGeneric, makeFunctionReference } from "convex/server";
import { v } from "convex/values";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, expect, test, vi } from "vitest";
import { convexAuth, defineProvider, ERROR_CODES, ERROR_DISPOSITION, requireAuthUserId, type WardenErrorCode } from "convex-warden/server";
import { Password } from "convex-warden/providers/Password";
import { Anonymous } from "convex-warden/providers/Anonymous";
import { Email } from "convex-warden/providers/Email";
import { Phone } from "convex-warden/providers/Phone";
import { outbox, sendScheduled } from "./codes/support";
import { isWardenError } from "convex-warden/client";
import { api } from "../example/convex/_generated/api";
import { createDiscoveryCache } from "../src/lib/oauth/discovery";
import { ADA, exampleApp, signInParams, signUpParams, tokensOf } from "./setup";
import { asTestUser } from "convex-warden/test";
import { AppBrowser, handedBack, location } from "./oauthFlow/support/app";
import { idpCallback, inMemoryIdp, type IdpMode, type InMemoryIdp } from "./oauthFlow/support/inMemoryIdp";

/**
 * Every error code, produced for real, reaches the caller the way the
 * catalog's disposition says: returned as `{ kind: "failed" }` (the step
 * commits) or thrown as a ConvexError (the step rolls back). The README's
 * table is the catalog's.
 */
type Observed = { code: string; how: "returned" | "thrown" };
type T = ReturnType<typeof exampleApp>;

const signIn = anyApi.auth!.signIn as unknown as typeof api.auth.signIn;
const call = (t: T, provider: string, params: Record<string, unknown>) => t.mutation(signIn, { provider, params } as never);

async function observe(run: () => Promise<unknown>): Promise<Observed> {
  try {
    const result = (await run()) as { kind?: string; error?: { code: string } };
    if (result?.kind !== "failed" || result.error === undefined) throw new Error(`no failure: ${JSON.stringify(result)}`);
    return { code: result.error.code, how: "returned" };
  } catch (error) {
    if (!isWardenError(error)) throw error;
    return { code: error.data.code, how: "thrown" };
  }
}

const pin = defineProvider({
  id: "pin",
  factor: "second",
  params: v.object({ pendingToken: v.string(), pin: v.string() }),
  stores: [],
  signIn: async (step) => ({ kind: "authorized", userId: step.pending!.userId }),
});

let idp: InMemoryIdp;
beforeAll(async () => {
  idp = await inMemoryIdp();
});

/**
 * An OAuth flow's failure at a route reaches the app in the URL the browser
 * is sent back to (`?wardenError=`), after the route's steps committed (the
 * flow's state stays consumed): the code as a returned failure.
 */
const backWith = async (back: Promise<{ error: string | null }>) => ({ kind: "failed", error: { code: (await back).error } });
const oauthFails = (mode: IdpMode, error?: string, id = "idp") => async (t: T) => {
  idp.state.mode = mode;
  return backWith(idpCallback(new AppBrowser(t), idp, id, { error }));
};
/** Signs in with the in-memory provider to the end: the final `signIn` call's result. */
async function oauthSignIn(t: T, id: string, params: Record<string, unknown> = {}, token?: string) {
  const browser = new AppBrowser(t);
  const back = await idpCallback(browser, idp, id, { params, token });
  return browser.finish(id, back.code!);
}

const scenarios: Record<WardenErrorCode, (t: T) => Promise<unknown>> = {
  INVALID_ARGUMENT: (t) => call(t, "password", { flow: "signIn", email: ADA.email }),
  PROVIDER_NOT_FOUND: (t) => call(t, "nope", {}),
  UNSUPPORTED_FLOW: (t) =>
    t.mutation(makeFunctionReference<"mutation">("auth:signInStep"), { provider: "password", step: "nope", args: {} }),
  RATE_LIMITED: async (t) => {
    await call(t, "password", signUpParams());
    for (let i = 0; i < 10; i++) await call(t, "password", signInParams({ ...ADA, password: "wrong password" }));
    return call(t, "password", signInParams());
  },
  NOT_SIGNED_IN: (t) => t.run((ctx) => requireAuthUserId(ctx)),
  INVALID_CONFIG: (t) => call(t, "password", signUpParams()), // with claims that override `sub`, below
  INVALID_CREDENTIALS: (t) => call(t, "password", signInParams()),
  ACCOUNT_EXISTS: async (t) => {
    await call(t, "password", signUpParams());
    return call(t, "password", signUpParams());
  },
  INVALID_EMAIL: (t) => call(t, "password", signUpParams({ email: "not an email", password: ADA.password })),
  PASSWORD_REJECTED: (t) => call(t, "password", signUpParams({ email: ADA.email, password: "short" })),
  REAUTHENTICATION_REQUIRED: async (t) => {
    const ada = await asTestUser(t, tokensOf(await call(t, "password", signUpParams())));
    vi.advanceTimersByTime(10 * 60_000 + 1);
    return ada.as.mutation(signIn, { provider: "password", params: { flow: "change", newPassword: "a new passphrase" } } as never);
  },
  EMAIL_IN_USE: async (t) => {
    await call(t, "password", signUpParams({ email: "bob@example.com", password: ADA.password }));
    const ada = await asTestUser(t, tokensOf(await call(t, "password", signUpParams())));
    return ada.as.mutation(signIn, { provider: "password", params: { flow: "changeEmail", newEmail: "bob@example.com" } } as never);
  },
  INVALID_REFRESH_TOKEN: (t) => t.mutation(api.auth.refresh, { refreshToken: "nothing.0.AAAA" }),
  REFRESH_TOKEN_REUSED: async (t) => {
    const { refreshToken } = tokensOf(await call(t, "password", signUpParams()));
    await t.mutation(api.auth.refresh, { refreshToken });
    vi.advanceTimersByTime(60_000);
    return t.mutation(api.auth.refresh, { refreshToken });
  },
  SESSION_EXPIRED: async (t) => {
    const { refreshToken } = tokensOf(await call(t, "password", signUpParams()));
    vi.advanceTimersByTime(15 * 86_400_000);
    return t.mutation(api.auth.refresh, { refreshToken });
  },
  INVALID_CODE: (t) => call(t, "pin", { pendingToken: "forged", pin: "1234" }),
  CODE_EXPIRED: async (t) => {
    const first = await call(t, "password", signUpParams());
    vi.advanceTimersByTime(300_001);
    return call(t, "pin", { pendingToken: first.kind === "secondFactorRequired" ? first.pendingToken : "", pin: "1234" });
  },
  INVALID_USERNAME: (t) => call(t, "password", { flow: "signUp", username: "a b", password: ADA.password }),
  USER_DISABLED: async (t) => {
    const ada = await asTestUser(t, tokensOf(await call(t, "password", signUpParams())));
    await t.run((ctx) => helpers.disableUser(ctx, ada.userId));
    return call(t, "password", signInParams());
  },
  GUEST_UPGRADE_REFUSED: async (t) => {
    await call(t, "password", signUpParams());
    const visitor = await asTestUser(t, tokensOf(await call(t, "anonymous", {})));
    return visitor.as.mutation(signIn, { provider: "password", params: signInParams() } as never);
  },
  GUEST_NOT_ALLOWED: async (t) => {
    const visitor = await asTestUser(t, tokensOf(await call(t, "anonymous", {})));
    return visitor.as.mutation(api.profile.setName, { name: "Visitor" });
  },
  LAST_ACCOUNT: async (t) => {
    const ada = await asTestUser(t, tokensOf(await call(t, "password", signUpParams())));
    return ada.as.mutation(api.auth.unlinkAccount, { provider: "password", providerAccountId: ADA.email });
  },
  ACCOUNT_NOT_FOUND: async (t) => {
    const ada = await asTestUser(t, tokensOf(await call(t, "password", signUpParams())));
    return ada.as.mutation(api.auth.unlinkAccount, { provider: "password", providerAccountId: "nobody@example.com" });
  },
  SERVICE_UNAUTHORIZED: (t) => t.query(api.worker.userCounts, { serviceSecret: "not the secret" }),
  OAUTH_ACCESS_DENIED: oauthFails("ok", "access_denied"),
  OAUTH_PROVIDER_ERROR: oauthFails("ok", "login_required"),
  OAUTH_STATE_MISMATCH: async (t) => {
    const starter = new AppBrowser(t);
    const callback = idp.authorize(await starter.start("idp"));
    // Delivered to a browser without the flow's cookie.
    return backWith(Promise.resolve(handedBack(location(await new AppBrowser(t).callback("idp", callback)))));
  },
  OAUTH_FLOW_EXPIRED: async (t) => {
    const browser = new AppBrowser(t);
    const callback = idp.authorize(await browser.start("idp"));
    vi.advanceTimersByTime(10 * 60_000 + 1);
    return backWith(Promise.resolve(handedBack(location(await browser.callback("idp", callback)))));
  },
  OAUTH_CODE_REJECTED: oauthFails("invalidGrant"),
  OAUTH_CLIENT_REJECTED: oauthFails("invalidClient"),
  OAUTH_INVALID_RESPONSE: oauthFails("notJson"),
  OAUTH_INVALID_ID_TOKEN: oauthFails("wrongNonce"),
  OAUTH_PROVIDER_UNAVAILABLE: oauthFails("down"),
  OAUTH_EMAIL_UNVERIFIED: oauthFails("unverifiedEmail", undefined, "idp-strict"),
  OAUTH_DISCOVERY_MISMATCH: async (t) => {
    idp.state.mode = "otherIssuer";
    const browser = new AppBrowser(t);
    const started = await browser.signIn("idp-elsewhere");
    if (started.kind !== "redirect") throw new Error("no redirect");
    return backWith(Promise.resolve(handedBack(location(await browser.site(started.url)))));
  },
  OAUTH_ACCOUNT_NOT_LINKED: async (t) => {
    await oauthSignIn(t, "idp"); // a user whose email is verified
    return oauthSignIn(t, "idp-strict"); // another provider, not trusted for email, with that email
  },
  OAUTH_ACCOUNT_IN_USE: async (t) => {
    await oauthSignIn(t, "idp"); // the provider account belongs to this user…
    const { token } = tokensOf(await call(t, "password", signUpParams()));
    return oauthSignIn(t, "idp", { link: true }, token); // …and Ada tries to link it
  },
  REDIRECT_NOT_ALLOWED: (t) => call(t, "idp", { redirectTo: "//evil.example" }),
  DELIVERY_FAILED: async (t) => {
    await call(t, "email", { email: ADA.email });
    await sendScheduled(t);
    return call(t, "email", { email: ADA.email, code: "12345678" });
  },
  LINK_OTHER_BROWSER: async (t) => {
    await call(t, "email", { email: ADA.email });
    await sendScheduled(t);
    return call(t, "email", { code: links.linkFor(ADA.email).searchParams.get("wardenCode")! });
  },
  INVALID_PHONE: (t) => call(t, "phone", { phone: "12345" }),
};

/** Where the link scenario's messages land. */
const links = outbox();
/** An adapter whose provider is down. */
const down = { kind: "email" as const, id: "down", send: () => Promise.reject(new Error("unreachable")) };

/** The server helpers of the example's configuration, for scenarios that act as the app's own code. */
const helpers = convexAuth(componentsGeneric().warden as never, { providers: [Password()] }).auth;

function appFor(code: WardenErrorCode): T {
  if (code.startsWith("OAUTH_") || code === "REDIRECT_NOT_ALLOWED") {
    // A discovery cache per provider id keeps the misbehaving issuer's document to its own scenario.
    const providers = [
      idp.provider("idp"),
      idp.provider("idp-strict", { requireVerifiedEmail: true }),
      idp.provider("idp-elsewhere", { discoveryCache: createDiscoveryCache() }),
    ];
    return exampleApp({ providers: [Password(), ...providers] });
  }
  if (code === "INVALID_CONFIG") return exampleApp({ jwt: { customClaims: async () => ({ sub: "someone else" }) } });
  if (code === "INVALID_USERNAME") return exampleApp({ providers: [Password({ identifier: "username" })] });
  if (code === "GUEST_UPGRADE_REFUSED") {
    return exampleApp({ providers: [Password(), Anonymous()], callbacks: { guestConflict: () => "refuse" } });
  }
  if (code === "INVALID_CODE" || code === "CODE_EXPIRED") {
    return exampleApp({ providers: [Password(), pin], secondFactor: { required: async () => true } });
  }
  if (code === "DELIVERY_FAILED") return exampleApp({ providers: [Email({ appName: "Acme", sender: down })], logLevel: "silent" });
  if (code === "LINK_OTHER_BROWSER") {
    return exampleApp({ providers: [Email({ appName: "Acme", sender: links.email, code: false, link: { siteUrl: "https://app.example.com" } })] });
  }
  if (code === "EMAIL_IN_USE") {
    return exampleApp({ providers: [Password({ email: { appName: "Acme", sender: outbox().email }, changeEmail: true })] });
  }
  if (code === "INVALID_PHONE") return exampleApp({ providers: [Phone({ appName: "Acme", sender: outbox().sms })] });
  return exampleApp();
}

beforeEach(() => {
  vi.useFakeTimers();
  if (idp) idp.state.mode = "ok";
});
afterEach(() => void vi.useRealTimers());

test("every code in the catalog has a scenario here, and nothing else does", () => {
  expect(Object.keys(scenarios).sort()).toEqual([...ERROR_CODES].sort());
});

test.each(ERROR_CODES)("%s reaches the caller the way the catalog says", async (code) => {
  const observed = await observe(() => scenarios[code](appFor(code)));
  expect(observed).toEqual({ code, how: ERROR_DISPOSITION[code] });
});

test("a thrown failure rolled its step back: the INVALID_CONFIG sign-up left no user", async () => {
  const t = appFor("INVALID_CONFIG");
  await observe(() => scenarios.INVALID_CONFIG(t));
  expect(await t.run((ctx) => ctx.db.query("users").collect())).toEqual([]);
});

test("the README's table of codes says what the catalog says", () => {
  const readme = readFileSync(join(import.meta.dirname, "../README.md"), "utf8");
  const rows = [...readme.matchAll(/^\| `([A-Z_]+)` \|[^|]*\| (returned|thrown) \|$/gm)].map(([, code, how]) => [code, how]);
  expect(Object.fromEntries(rows)).toEqual(ERROR_DISPOSITION);
});

test("the wire validator of errors takes each code with its own fields and nothing else", async () => {
  const { validate } = await import("convex-helpers/validators");
  const check = (validator: Parameters<typeof validate>[0], value: unknown) => ({ ok: validate(validator, value) });
  const { vWardenErrorData } = await import("../src/shared/errors/catalog");
  const { vRefreshResult } = await import("../src/shared/results");
  // Each code, with its fields where it has some required.
  const required = { RATE_LIMITED: { retryAfterMs: 1 }, PASSWORD_REJECTED: { reason: "too_short" }, DELIVERY_FAILED: { reason: "rejected" } } as Record<string, object>;
  for (const code of ERROR_CODES) expect([code, check(vWardenErrorData, { code, message: "m", ...required[code] }).ok]).toEqual([code, true]);
  expect(check(vWardenErrorData, { code: "NOT_SIGNED_IN" }).ok).toBe(true);
  expect(check(vWardenErrorData, { code: "NOT_SIGNED_IN", retryAfterMs: 1 }).ok).toBe(false);
  expect(check(vWardenErrorData, { code: "RATE_LIMITED" }).ok).toBe(false);
  expect(check(vWardenErrorData, { code: "RATE_LIMITED", retryAfterMs: 1 }).ok).toBe(true);
  expect(check(vWardenErrorData, { code: "NOT_A_CODE" }).ok).toBe(false);
  // A refresh answers with its own three codes only.
  expect(check(vRefreshResult, { kind: "failed", error: { code: "SESSION_EXPIRED" } }).ok).toBe(true);
  expect(check(vRefreshResult, { kind: "failed", error: { code: "INVALID_CREDENTIALS" } }).ok).toBe(false);
});
