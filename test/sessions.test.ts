import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { asTestUser, signInTestUser, verifyAccessToken } from "convex-warden/test";
import { api } from "../example/convex/_generated/api";
import { base64UrlDecode, base64UrlEncode, randomBytes } from "../src/lib/crypto";
import { exampleApp, expectFailure, signUpParams, tokensOf, wardenTables, type ExampleApp } from "./setup";

const DAY = 86_400_000;
const refresh = (t: ExampleApp, refreshToken: string) => t.mutation(api.auth.refresh, { refreshToken });
const signUp = (t: ExampleApp) => signInTestUser(t, api.auth.signIn, { provider: "password", params: signUpParams() });

describe("refresh tokens (SES-1, SES-2, SES-3)", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  test("a refresh rotates the refresh token and mints a new access token for the same session", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    vi.advanceTimersByTime(60_000);
    const next = tokensOf(await refresh(t, ada.tokens.refreshToken));
    expect(next.refreshToken).not.toBe(ada.tokens.refreshToken);
    const claims = await verifyAccessToken(t, next.token);
    expect(claims).toMatchObject({ sub: ada.userId, sid: ada.sessionId });
    expect(claims.iat).toBeGreaterThan(ada.claims.iat!);
    expect(tokensOf(await refresh(t, next.refreshToken)).refreshToken).not.toBe(next.refreshToken);
  });

  test("refresh tokens carry 256 random bits, and only their hashes are stored", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    const next = tokensOf(await refresh(t, ada.tokens.refreshToken));
    const secrets = [ada.tokens.refreshToken, next.refreshToken].map((token) => token.split(".")[1]!);
    for (const secret of secrets) expect(base64UrlDecode(secret)).toHaveLength(32);
    const stored = JSON.stringify(await wardenTables(t));
    for (const secret of secrets) expect(stored).not.toContain(secret);
  });

  test("a session id alone, or with a guessed secret, is not a credential", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    for (const forged of [ada.sessionId, `${ada.sessionId}.`, `${ada.sessionId}.${base64UrlEncode(randomBytes(32))}`]) {
      expectFailure(await refresh(t, forged), "INVALID_REFRESH_TOKEN");
    }
    // A wrong guess does not end the session: knowing a session id cannot sign anyone out.
    expect((await refresh(t, ada.tokens.refreshToken)).kind).toBe("signedIn");
  });

  test("tabs refreshing at once with one token all stay signed in, with the same successor (SES-3)", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    const results = await Promise.all([1, 2, 3].map(() => refresh(t, ada.tokens.refreshToken)));
    const successors = new Set(results.map((result) => tokensOf(result).refreshToken));
    expect(successors.size).toBe(1);
    expect((await refresh(t, [...successors][0]!)).kind).toBe("signedIn");
  });

  test("the replaced token still works within the grace window, and yields the current one", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    const first = tokensOf(await refresh(t, ada.tokens.refreshToken));
    vi.advanceTimersByTime(9_000);
    expect(tokensOf(await refresh(t, ada.tokens.refreshToken)).refreshToken).toBe(first.refreshToken);
  });

  test("reuse of a replaced token after the grace window revokes the session (SES-2)", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    const next = tokensOf(await refresh(t, ada.tokens.refreshToken));
    vi.advanceTimersByTime(11_000);
    expectFailure(await refresh(t, ada.tokens.refreshToken), "REFRESH_TOKEN_REUSED");
    // The legitimate holder is signed out too: the thief's copy and theirs are both dead.
    expectFailure(await refresh(t, next.refreshToken), "INVALID_REFRESH_TOKEN");
    expect((await wardenTables(t)).sessions).toEqual([]);
  });

  test("a session keeps one row however many refreshes happen", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    let token = ada.tokens.refreshToken;
    for (let i = 0; i < 50; i++) token = tokensOf(await refresh(t, token)).refreshToken;
    const tables = await wardenTables(t);
    expect(tables.sessions).toHaveLength(1);
    expect(Object.values(tables).flat()).toHaveLength(2); // the session and the account
  });
});

describe("session lifetime (SES-4)", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  test("an idle session ends after inactiveDurationMs", async () => {
    const t = exampleApp({ session: { inactiveDurationMs: 2 * DAY } });
    const ada = await signUp(t);
    vi.advanceTimersByTime(2 * DAY - 1000);
    const kept = tokensOf(await refresh(t, ada.tokens.refreshToken));
    vi.advanceTimersByTime(2 * DAY);
    expectFailure(await refresh(t, kept.refreshToken), "SESSION_EXPIRED");
  });

  test("an active session still ends at totalDurationMs", async () => {
    const t = exampleApp({ session: { totalDurationMs: 3 * DAY, inactiveDurationMs: 2 * DAY } });
    const ada = await signUp(t);
    let token = ada.tokens.refreshToken;
    for (let day = 1; day < 3; day++) {
      vi.advanceTimersByTime(DAY);
      token = tokensOf(await refresh(t, token)).refreshToken;
    }
    vi.advanceTimersByTime(DAY);
    expectFailure(await refresh(t, token), "SESSION_EXPIRED");
    expect((await wardenTables(t)).sessions).toEqual([]);
  });

  test("the defaults are 14 days idle and 30 days in all", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    vi.advanceTimersByTime(14 * DAY + 1);
    expectFailure(await refresh(t, ada.tokens.refreshToken), "SESSION_EXPIRED");
  });
});

describe("sign-out (SES-5)", () => {
  test("sign-out revokes the session at once", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    await ada.as.mutation(api.auth.signOut, {});
    expectFailure(await refresh(t, ada.tokens.refreshToken), "INVALID_REFRESH_TOKEN");
    expect((await wardenTables(t)).sessions).toEqual([]);
  });

  test("after sign-out the live-session helper refuses the still-unexpired token", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    expect(await ada.as.query(api.users.viewerLive, {})).toBe(ada.userId);
    await ada.as.mutation(api.auth.signOut, {});
    expect(await ada.as.query(api.users.viewerLive, {})).toBeNull();
    // The token-only helper trusts the token until it expires; that is its contract.
    expect((await ada.as.query(api.users.viewer, {}))?.id).toBe(ada.userId);
  });

  test("sign-out ends only the caller's session", async () => {
    const t = exampleApp();
    const laptop = await signUp(t);
    const phone = await asTestUser(
      t,
      tokensOf(await t.mutation(api.auth.signIn, { provider: "password", params: { ...signUpParams(), flow: "signIn" } })),
    );
    await laptop.as.mutation(api.auth.signOut, {});
    expect(await phone.as.query(api.users.viewerLive, {})).toBe(phone.userId);
  });

  test("sign-out without a session is a no-op", async () => {
    const t = exampleApp();
    await expect(t.mutation(api.auth.signOut, {})).resolves.toBeNull();
  });
});

describe("sign-out with the refresh token", () => {
  test("ends the session without an access token (e.g. after it expired offline)", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    await t.mutation(api.auth.signOut, { refreshToken: ada.tokens.refreshToken });
    expectFailure(await refresh(t, ada.tokens.refreshToken), "INVALID_REFRESH_TOKEN");
    expect(await ada.as.query(api.users.viewerLive, {})).toBeNull();
  });

  test("a session id with a guessed secret signs nobody out", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    await t.mutation(api.auth.signOut, { refreshToken: `${ada.sessionId}.${base64UrlEncode(randomBytes(32))}` });
    await t.mutation(api.auth.signOut, { refreshToken: "garbage" });
    expect(await ada.as.query(api.users.viewerLive, {})).toBe(ada.userId);
  });
});
