import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { asTestUser, signInTestUser, verifyAccessToken } from "convex-warden/test";
import { api } from "../example/convex/_generated/api";
import { base64UrlDecode, base64UrlEncode, randomBytes } from "../src/lib/crypto";
import {
  exampleApp,
  expectFailure,
  signInParams,
  signUpParams,
  tokensOf,
  wardenTables,
  type ExampleApp,
} from "./setup";

const DAY = 86_400_000;
const refresh = (t: ExampleApp, refreshToken: string) => t.mutation(api.auth.refresh, { refreshToken });
const signUp = (t: ExampleApp) => signInTestUser(t, api.auth.signIn, { provider: "password", params: signUpParams() });
/** The token with its secret (the part after the last dot) replaced by a random one. */
const forged = (refreshToken: string) => refreshToken.replace(/[^.]+$/, base64UrlEncode(randomBytes(32)));
const secretOf = (refreshToken: string) => base64UrlDecode(refreshToken.slice(refreshToken.lastIndexOf(".") + 1))!;

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
    const tokens = [ada.tokens.refreshToken, next.refreshToken];
    for (const token of tokens) expect(secretOf(token)).toHaveLength(32);
    const stored = JSON.stringify(await wardenTables(t));
    for (const token of tokens) expect(stored).not.toContain(token.slice(token.lastIndexOf(".") + 1));
  });

  test("the secrets are random: all distinct, every bit set about half the time", async () => {
    const t = exampleApp();
    await signUp(t);
    const secrets: Uint8Array[] = [];
    for (let i = 0; i < 32; i++) {
      const session = tokensOf(await t.mutation(api.auth.signIn, { provider: "password", params: signInParams() }));
      secrets.push(secretOf(session.refreshToken), secretOf(tokensOf(await refresh(t, session.refreshToken)).refreshToken));
    }
    expect(new Set(secrets.map((secret) => base64UrlEncode(secret))).size).toBe(secrets.length);
    // 64 secrets of 256 bits: each bit position is set in 32 of them on average.
    for (let bit = 0; bit < 256; bit++) {
      const set = secrets.filter((secret) => (secret[bit >> 3]! >> (bit & 7)) & 1).length;
      expect(set).toBeGreaterThan(8);
      expect(set).toBeLessThan(56);
    }
  });

  test("a session id alone, or with a guessed secret, is not a credential", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    for (const guess of [ada.sessionId, `${ada.sessionId}.`, `${ada.sessionId}.0.`, forged(ada.tokens.refreshToken)]) {
      expectFailure(await refresh(t, guess), "INVALID_REFRESH_TOKEN");
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
    const rowsAfterSignUp = Object.values(await wardenTables(t)).flat().length;
    let token = ada.tokens.refreshToken;
    for (let i = 0; i < 50; i++) token = tokensOf(await refresh(t, token)).refreshToken;
    const tables = await wardenTables(t);
    expect(tables.sessions).toHaveLength(1);
    expect(Object.values(tables).flat()).toHaveLength(rowsAfterSignUp);
  });
});

describe("reuse across generations (SES-2, SES-3)", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  test("a thief who refreshed twice is caught when the victim presents the stolen token", async () => {
    const t = exampleApp();
    const victim = await signUp(t);
    const stolen = victim.tokens.refreshToken;
    vi.advanceTimersByTime(60_000);
    const t1 = tokensOf(await refresh(t, stolen));
    vi.advanceTimersByTime(60_000);
    const t2 = tokensOf(await refresh(t, t1.refreshToken));
    vi.advanceTimersByTime(60_000);
    expectFailure(await refresh(t, stolen), "REFRESH_TOKEN_REUSED");
    expectFailure(await refresh(t, t2.refreshToken), "INVALID_REFRESH_TOKEN");
    expect((await wardenTables(t)).sessions).toEqual([]);
  });

  test("any earlier generation, however far back, revokes after the grace window", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    const chain = [ada.tokens.refreshToken];
    for (let i = 0; i < 20; i++) {
      vi.advanceTimersByTime(60_000);
      chain.push(tokensOf(await refresh(t, chain.at(-1)!)).refreshToken);
    }
    vi.advanceTimersByTime(60_000);
    expectFailure(await refresh(t, chain[7]!), "REFRESH_TOKEN_REUSED");
    expect((await wardenTables(t)).sessions).toEqual([]);
  });

  test("tabs holding adjacent generations within the grace window all converge on the current token", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    const t0 = ada.tokens.refreshToken;
    const t1 = tokensOf(await refresh(t, t0)).refreshToken;
    // Tabs alternating T0 and T1 at once: T1 rotates to T2, every T0 after it must still converge.
    const results = await Promise.all([t0, t1, t0, t1, t0, t1].map((token) => refresh(t, token)));
    const received = new Set(results.map((result) => tokensOf(result).refreshToken));
    vi.advanceTimersByTime(5_000);
    const current = tokensOf(await refresh(t, t0)).refreshToken;
    expect(received.has(current)).toBe(true);
    expect(tokensOf(await refresh(t, t1)).refreshToken).toBe(current);
    // The converged token keeps the session going after the window.
    vi.advanceTimersByTime(60_000);
    expect((await refresh(t, current)).kind).toBe("signedIn");
  });

  test("a generation replaced within the window converges even after later rotations", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    const t0 = ada.tokens.refreshToken;
    const t1 = tokensOf(await refresh(t, t0)).refreshToken;
    vi.advanceTimersByTime(2_000);
    const t2 = tokensOf(await refresh(t, t1)).refreshToken;
    vi.advanceTimersByTime(2_000);
    const t3 = tokensOf(await refresh(t, t2)).refreshToken;
    vi.advanceTimersByTime(5_000); // T0 was replaced 9 s ago: still inside the 10 s window.
    expect(tokensOf(await refresh(t, t0)).refreshToken).toBe(t3);
    vi.advanceTimersByTime(2_000); // Now 11 s: outside.
    expectFailure(await refresh(t, t0), "REFRESH_TOKEN_REUSED");
  });
});

describe("forged refresh tokens (SES-1)", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  test("a forged secret answers the same on a live and an idle-expired session, and writes nothing", async () => {
    const t = exampleApp({ session: { inactiveDurationMs: DAY } });
    const live = await signUp(t);
    const idle = await asTestUser(
      t,
      tokensOf(await t.mutation(api.auth.signIn, { provider: "password", params: signInParams() })),
    );
    vi.advanceTimersByTime(DAY / 2);
    const kept = tokensOf(await refresh(t, live.tokens.refreshToken)).refreshToken;
    vi.advanceTimersByTime(DAY / 2 + 1); // `idle` is past its idle timeout, `kept` is not.
    const before = await wardenTables(t);
    expectFailure(await refresh(t, forged(idle.tokens.refreshToken)), "INVALID_REFRESH_TOKEN");
    expectFailure(await refresh(t, forged(kept)), "INVALID_REFRESH_TOKEN");
    expect(await wardenTables(t)).toEqual(before);
    // The genuine holder of the expired session learns it expired.
    expectFailure(await refresh(t, idle.tokens.refreshToken), "SESSION_EXPIRED");
  });

  test("a forged secret claiming an earlier generation revokes nothing", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    const t1 = tokensOf(await refresh(t, ada.tokens.refreshToken)).refreshToken;
    vi.advanceTimersByTime(60_000);
    expectFailure(await refresh(t, forged(ada.tokens.refreshToken)), "INVALID_REFRESH_TOKEN");
    expect((await refresh(t, t1)).kind).toBe("signedIn");
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
    await t.mutation(api.auth.signOut, { refreshToken: forged(ada.tokens.refreshToken) });
    await t.mutation(api.auth.signOut, { refreshToken: "garbage" });
    expect(await ada.as.query(api.users.viewerLive, {})).toBe(ada.userId);
  });
});
