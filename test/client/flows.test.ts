import { getFunctionName } from "convex/server";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { isWardenError, memoryStorage, type AuthState, type Navigation, type Transport } from "convex-warden/client";
import { wardenError } from "../../src/shared/errors/index";
import type { SignInResult, Tokens } from "../../src/shared/results";
import { fakeServer, LIFETIME_MS, PASSWORD, settle, testClient, token, watch } from "./fakes";

/**
 * The sign-in steps beyond a password, through the client as an app drives
 * it: a code sent, a redirect out and the finish on return, a second factor;
 * and what the client does with codes it does not know.
 */
beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

const tokens = (n: number): Tokens => ({ token: `access-${n}`, refreshToken: `refresh-${n}`, expiresInMs: LIFETIME_MS });

/** A server that answers each signIn with the next scripted result, recording what it was sent. */
function scripted(...answers: (SignInResult | Error)[]) {
  const sent: { name: string; args: Record<string, unknown> }[] = [];
  const transport = (async (ref, args) => {
    const name = getFunctionName(ref).split(":")[1]!;
    sent.push({ name, args: args as Record<string, unknown> });
    if (name !== "signIn") return null as never;
    const answer = answers.shift();
    if (answer === undefined) throw new Error("no answer scripted");
    if (answer instanceof Error) throw answer;
    return answer as never;
  }) as Transport;
  return { transport, sent };
}

/** A page: its URL, where it was sent, what replaced its URL. */
function page(href = "https://app.example/") {
  const visits: string[] = [];
  const navigation: Navigation & { current: string } = {
    current: href,
    href: () => navigation.current,
    assign: (url) => void visits.push(url),
    replace: (url) => void (navigation.current = url),
  };
  return { navigation, visits };
}

const flowOf = (state: AuthState) => state.flow;

describe("a code sent", () => {
  test("codeSent shows where it went and when to resend; the code then signs in and the flow ends", async () => {
    const { transport, sent } = scripted(
      { kind: "codeSent", provider: "email", destination: "a•••e@example.com", resendAfterMs: 30_000 },
      { kind: "signedIn", tokens: tokens(1) },
    );
    const auth = testClient(fakeServer(), { transport });
    watch(auth);
    const now = Date.now();
    await expect(auth.signIn("email", { email: "ada@example.com" })).resolves.toEqual({
      kind: "codeSent",
      destination: "a•••e@example.com",
      resendAfterMs: 30_000,
    });
    expect(flowOf(auth.getState())).toEqual({ step: "awaitingCode", provider: "email", destination: "a•••e@example.com", resendAt: now + 30_000 });
    expect(auth.getState().status).toBe("signedOut");
    await auth.signIn("email", { email: "ada@example.com", code: "12345678" });
    expect(auth.getState()).toMatchObject({ status: "signedIn", token: "access-1", flow: null });
    expect(sent.map((call) => call.args.params)).toEqual([{ email: "ada@example.com" }, { email: "ada@example.com", code: "12345678" }]);
  });

  test("a wrong code throws its code and keeps the flow, so the app can ask again", async () => {
    const { transport } = scripted(
      { kind: "codeSent", provider: "email", destination: "a•••e@example.com" },
      { kind: "failed", error: { code: "INVALID_CODE", attemptsLeft: 4 } },
    );
    const auth = testClient(fakeServer(), { transport });
    await auth.signIn("email", { email: "ada@example.com" });
    const error = await auth.signIn("email", { email: "ada@example.com", code: "0" }).catch((e: unknown) => e);
    expect(isWardenError(error, "INVALID_CODE") && error.data.attemptsLeft).toBe(4);
    expect(flowOf(auth.getState())?.step).toBe("awaitingCode");
    auth.cancelSignIn();
    await settle();
    expect(flowOf(auth.getState())).toBeNull();
  });
});

describe("a redirect out and back", () => {
  test("the client keeps the verifier, leaves for the URL, and on return redeems the code once and cleans the URL", async () => {
    const storage = memoryStorage();
    const out = page();
    const first = scripted({ kind: "redirect", provider: "github", url: "https://github.example/login", verifier: "v-123" });
    const leaving = testClient(fakeServer(), { transport: first.transport, storage, navigation: out.navigation });
    await expect(leaving.signIn("github", {})).resolves.toEqual({ kind: "redirecting", url: "https://github.example/login" });
    expect(out.visits).toEqual(["https://github.example/login"]);
    expect(flowOf(leaving.getState())).toEqual({ step: "redirecting", provider: "github", url: "https://github.example/login" });

    // The page loads again, back from the provider with a hand-off code.
    const back = page("https://app.example/welcome?tab=2&wardenCode=handoff-1");
    const second = scripted({ kind: "signedIn", tokens: tokens(1) });
    const returned = testClient(fakeServer(), { transport: second.transport, storage, navigation: back.navigation });
    const { states } = watch(returned);
    await settle();
    await settle();
    expect(second.sent).toEqual([{ name: "signIn", args: { provider: "github", params: { code: "handoff-1", verifier: "v-123" } } }]);
    expect(back.navigation.current).toBe("https://app.example/welcome?tab=2");
    expect(returned.getState()).toMatchObject({ status: "signedIn", token: "access-1", flow: null });
    expect(states).toContain("signedIn");

    // Reloading the same URL again does not try the spent hand-off a second time.
    const again = scripted();
    const reloaded = testClient(fakeServer(), { transport: again.transport, storage, navigation: page(back.navigation.current).navigation });
    watch(reloaded);
    await settle();
    expect(again.sent).toEqual([]);
  });

  /** A browser that left for GitHub: its storage holds the pending redirect. */
  async function leftForGitHub() {
    const storage = memoryStorage();
    const { transport } = scripted({ kind: "redirect", provider: "github", url: "https://github.example/login", verifier: "v" });
    await testClient(fakeServer(), { transport, storage, navigation: page().navigation }).signIn("github", {});
    return storage;
  }

  test("an error code on return is reported as the flow's failure, by code, and the URL is cleaned", async () => {
    const storage = await leftForGitHub();
    const back = page("https://app.example/?wardenError=OAUTH_ACCESS_DENIED");
    const server = scripted();
    const auth = testClient(fakeServer(), { transport: server.transport, storage, navigation: back.navigation });
    watch(auth);
    await settle();
    await settle();
    expect(server.sent).toEqual([]);
    expect(flowOf(auth.getState())).toEqual({ step: "redirectFailed", provider: "github", error: { code: "OAUTH_ACCESS_DENIED" } });
    expect(back.navigation.current).toBe("https://app.example/");
  });

  test("a redeem the server refuses is reported the same way", async () => {
    const storage = await leftForGitHub();
    const { transport } = scripted({ kind: "failed", error: { code: "INVALID_CODE" } });
    const auth = testClient(fakeServer(), { transport, storage, navigation: page("https://app.example/?wardenCode=x").navigation });
    watch(auth);
    await settle();
    await settle();
    expect(flowOf(auth.getState())).toEqual({ step: "redirectFailed", provider: "github", error: { code: "INVALID_CODE" } });
  });

  test("a hand-off code this browser did not ask for is left alone", async () => {
    const back = page("https://app.example/?wardenCode=someone-elses");
    const server = scripted();
    const auth = testClient(fakeServer(), { transport: server.transport, navigation: back.navigation });
    watch(auth);
    await settle();
    expect(server.sent).toEqual([]);
    expect(auth.getState()).toEqual({ status: "signedOut", flow: null });
  });

  test("without a page (SSR), a redirect answer navigates nowhere and nothing breaks", async () => {
    const { transport } = scripted({ kind: "redirect", provider: "github", url: "https://github.example/login", verifier: "v" });
    const auth = testClient(fakeServer(), { transport, navigation: null });
    await expect(auth.signIn("github", {})).resolves.toEqual({ kind: "redirecting", url: "https://github.example/login" });
  });
});

describe("a second factor", () => {
  test("the pending token is sent with the second factor's sign-in, not shown to the app", async () => {
    const { transport, sent } = scripted(
      { kind: "secondFactorRequired", pendingToken: "pending-secret", expiresInMs: 300_000, factors: ["totp"] },
      { kind: "signedIn", tokens: tokens(1) },
    );
    const auth = testClient(fakeServer(), { transport });
    await expect(auth.signIn("password", PASSWORD)).resolves.toEqual({ kind: "secondFactorRequired", factors: ["totp"] });
    expect(flowOf(auth.getState())).toMatchObject({ step: "awaitingSecondFactor", factors: ["totp"] });
    expect(JSON.stringify(auth.getState())).not.toContain("pending-secret");
    await auth.signIn("totp", { code: "123456" });
    expect(sent[1]!.args).toEqual({ provider: "totp", params: { code: "123456", pendingToken: "pending-secret" } });
    expect(token(auth)).toBe("access-1");
  });
});

describe("codes this client does not know", () => {
  test("a sign-in failing with a newer code is thrown with it, as that call's failure", async () => {
    const { transport } = scripted({ kind: "failed", error: { code: "PASSKEY_REQUIRED" } as never });
    const auth = testClient(fakeServer(), { transport });
    const error = await auth.signIn("password", PASSWORD).catch((e: unknown) => e);
    expect(isWardenError(error) && error.data.code).toBe("PASSKEY_REQUIRED");
    expect(auth.getState().status).toBe("signedOut");
  });

  test("a refresh refused with a newer code ends the session", async () => {
    const server = fakeServer();
    const auth = testClient(server);
    watch(auth);
    await auth.signIn("password", PASSWORD);
    server.refreshFails = { code: "USER_DISABLED_BY_ADMIN" } as never;
    await vi.advanceTimersByTimeAsync(LIFETIME_MS);
    expect(auth.getState().status).toBe("signedOut");
  });

  test("a refresh throwing a ConvexError is retried, and the client does not claim the backend is unreachable", async () => {
    const server = fakeServer();
    const auth = testClient(server);
    const seen: string[] = [];
    auth.subscribe((state) => seen.push(state.status));
    await auth.signIn("password", PASSWORD);
    server.refreshThrows = wardenError({ code: "SOMETHING_NEW" } as never);
    await vi.advanceTimersByTimeAsync(LIFETIME_MS + 5_000);
    expect(server.named("refresh").length).toBeGreaterThan(1);
    expect(seen).not.toContain("reconnecting");
    expect(auth.getState().status).toBe("signedIn");
  });
});

describe("reconnecting", () => {
  test("a returning user whose token expired while the backend is away sees reconnecting, not a sign-in page", async () => {
    const server = fakeServer();
    const auth = testClient(server);
    const seen: string[] = [];
    auth.subscribe((state) => seen.push(state.status));
    await auth.signIn("password", PASSWORD);
    server.offline = true;
    await vi.advanceTimersByTimeAsync(LIFETIME_MS + 10_000);
    expect(auth.getState()).toMatchObject({ status: "reconnecting", token: "access-1" });
    expect((auth.getState() as { retryAt: number }).retryAt).toBeGreaterThan(Date.now());
    server.offline = false;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(auth.getState()).toMatchObject({ status: "signedIn", token: "access-2" });
    expect(seen).toEqual(["signedOut", "signedIn", "reconnecting", "signedIn"]);
  });
});
