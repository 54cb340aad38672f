/**
 * The browser client's code and link steps, driving the real server
 * functions (the example app and the warden component under convex-test)
 * through a transport that runs each mutation as the caller its token names.
 */
import type { FunctionReference } from "convex/server";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import {
  createAuthClient,
  memoryStorage,
  pageLock,
  type AuthClient,
  type Navigation,
  type TokenStorage,
  type Transport,
} from "convex-warden/client";
import { Email, type EmailOptions } from "convex-warden/providers/Email";
import { identityFromClaims, verifyAccessToken } from "convex-warden/test";
import { api } from "../../example/convex/_generated/api";
import { isWardenError } from "../../src/shared/errors/index";
import { exampleApp, type ExampleApp } from "../setup";
import { outbox, sendScheduled } from "../codes/support";

const URL_ = process.env.CONVEX_CLOUD_URL!;
const ADA = "ada@example.com";
const SITE = "https://app.example.com";

function transportTo(t: ExampleApp): Transport {
  return (async (ref, args, token) => {
    const caller = token === null ? t : t.withIdentity(identityFromClaims(await verifyAccessToken(t, token)));
    return caller.mutation(ref as FunctionReference<"mutation">, args as never);
  }) as Transport;
}

/** A page at `href` that records where the client moved it. */
function page(href: string): Navigation & { current: string } {
  const navigation: Navigation & { current: string } = {
    href: () => navigation.current,
    current: href,
    assign: (url) => void (navigation.current = url),
    replace: (url) => void (navigation.current = url),
  };
  return navigation;
}

function setup(options: Partial<EmailOptions<"email">> = {}) {
  const box = outbox();
  const t = exampleApp({ providers: [Email({ appName: "Acme", sender: box.email, ...options })] });
  /** One tab of a browser: `storage` is the browser's, shared by its tabs. */
  const tab = (storage: TokenStorage, navigation: Navigation | null = null) =>
    createAuthClient({
      url: URL_,
      api: api.auth,
      transport: transportTo(t),
      storage,
      lock: pageLock(),
      tabSync: null,
      navigation,
    });
  return { t, box, tab };
}

const codeOf = (error: unknown) => (isWardenError(error) ? error.data.code : error);
const flowOf = (auth: AuthClient) => auth.getState().flow;
/** Lets the client's effects (storage, the hand-off on load) settle. */
const settle = () => vi.advanceTimersByTimeAsync(5);
/** Waits until the client is done with the flow in the URL (the server's answer takes real time). */
const finished = (auth: AuthClient) =>
  vi
    .waitFor(() => expect(auth.getState().status === "signedIn" || flowOf(auth)?.step === "redirectFailed").toBe(true), {
      timeout: 5000,
      interval: 5,
    })
    .then(settle);

beforeEach(() => void vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("sign-in by code", () => {
  test("codeSent, then the code signs in and ends the flow", async () => {
    const { t, box, tab } = setup();
    const auth = tab(memoryStorage());
    const sent = await auth.signIn("email", { email: ADA });
    expect(sent).toEqual({ kind: "codeSent", destination: "a•••@example.com", resendAfterMs: 30_000 });
    expect(flowOf(auth)).toEqual({ step: "awaitingCode", provider: "email", destination: "a•••@example.com", resendAt: Date.now() + 30_000 });

    await sendScheduled(t);
    expect(await auth.signIn("email", { email: ADA, code: box.codeFor(ADA) })).toEqual({ kind: "signedIn" });
    expect(auth.getState()).toMatchObject({ status: "signedIn", flow: null });
  });

  test("a wrong code throws its code and keeps the flow, so the user can try again", async () => {
    const { t, box, tab } = setup();
    const auth = tab(memoryStorage());
    await auth.signIn("email", { email: ADA });
    await sendScheduled(t);
    const error = await auth.signIn("email", { email: ADA, code: "00000000" }).catch((caught: unknown) => caught);
    expect(codeOf(error)).toBe(box.codeFor(ADA) === "00000000" ? undefined : "INVALID_CODE");
    expect(flowOf(auth)).toMatchObject({ step: "awaitingCode" });
    expect((await auth.signIn("email", { email: ADA, code: box.codeFor(ADA) })).kind).toBe("signedIn");
  });

  test("resend: refused with the server's wait before the cooldown, then a new cooldown", async () => {
    const { tab } = setup();
    const auth = tab(memoryStorage());
    await auth.signIn("email", { email: ADA });
    const firstResendAt = (flowOf(auth) as { resendAt: number }).resendAt;
    await vi.advanceTimersByTimeAsync(10_000);
    const early = await auth.signIn("email", { email: ADA }).catch((caught: unknown) => caught);
    expect(isWardenError(early, "RATE_LIMITED") && early.data.retryAfterMs).toBeGreaterThan(19_000);
    expect((flowOf(auth) as { resendAt: number }).resendAt).toBe(firstResendAt);

    await vi.advanceTimersByTimeAsync(firstResendAt - Date.now() + 10);
    expect((await auth.signIn("email", { email: ADA })).kind).toBe("codeSent");
    expect((flowOf(auth) as { resendAt: number }).resendAt).toBe(Date.now() + 30_000);
  });

  test("a send that failed is reported when the code is entered", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const { t, box, tab } = setup();
    box.fail = new Error("provider down");
    const auth = tab(memoryStorage());
    await auth.signIn("email", { email: ADA });
    await sendScheduled(t);
    const error = await auth.signIn("email", { email: ADA, code: "12345678" }).catch((caught: unknown) => caught);
    expect(isWardenError(error, "DELIVERY_FAILED") && error.data.reason).toBe("unavailable");
    expect(flowOf(auth)).toMatchObject({ step: "awaitingCode" });
  });

  test("cancelSignIn abandons the sent code", async () => {
    const { tab } = setup();
    const auth = tab(memoryStorage());
    await auth.signIn("email", { email: ADA });
    auth.cancelSignIn();
    await settle();
    expect(flowOf(auth)).toBeNull();
  });
});

describe("sign-in by link, finished when the page loads", () => {
  const linkOptions = { code: false, link: { siteUrl: SITE, path: "/welcome" } } as const;

  test("the browser that asked: the link's tab signs in and the URL is cleaned", async () => {
    const { t, box, tab } = setup(linkOptions);
    const browser = memoryStorage();
    const asking = tab(browser);
    const sent = await asking.signIn("email", { email: ADA });
    // The verifier stays inside the client: neither the answer nor the state shows it.
    expect(sent).toEqual({ kind: "codeSent", destination: "a•••@example.com", resendAfterMs: 30_000 });
    expect(JSON.stringify(asking.getState())).not.toMatch(/verifier/);
    await sendScheduled(t);

    const link = box.linkFor(ADA);
    link.searchParams.set("ref", "mail");
    link.hash = "top";
    const opened = page(link.href);
    const landing = tab(browser, opened);
    const states: string[] = [];
    landing.subscribe((state) => states.push(`${state.status}:${state.flow?.step ?? "-"}`));
    await finished(landing);
    expect(landing.getState()).toMatchObject({ status: "signedIn", flow: null });
    expect(states).toContain("signedOut:finishingRedirect");
    expect(opened.current).toBe(`${SITE}/welcome?ref=mail#top`);
  });

  test("another browser: the link fails with LINK_OTHER_BROWSER, the URL is cleaned, and the link still works where it was asked for", async () => {
    const { t, box, tab } = setup(linkOptions);
    const browser = memoryStorage();
    await tab(browser).signIn("email", { email: ADA });
    await sendScheduled(t);
    const link = box.linkFor(ADA).href;

    const elsewhere = page(link);
    const other = tab(memoryStorage(), elsewhere);
    other.subscribe(() => {});
    await finished(other);
    expect(other.getState()).toMatchObject({
      status: "signedOut",
      flow: { step: "redirectFailed", provider: "email", error: { code: "LINK_OTHER_BROWSER" } },
    });
    expect(elsewhere.current).toBe(`${SITE}/welcome`);

    const home = tab(browser, page(link));
    home.subscribe(() => {});
    await finished(home);
    expect(home.getState().status).toBe("signedIn");
  });

  test("another browser signs in when the app allows it", async () => {
    const { t, box, tab } = setup({ code: false, link: { siteUrl: SITE, allowOtherBrowser: true } });
    await tab(memoryStorage()).signIn("email", { email: ADA });
    await sendScheduled(t);
    const other = tab(memoryStorage(), page(box.linkFor(ADA).href));
    other.subscribe(() => {});
    await finished(other);
    expect(other.getState().status).toBe("signedIn");
  });

  test("a link is finished once: opened again, it fails", async () => {
    const { t, box, tab } = setup(linkOptions);
    const browser = memoryStorage();
    await tab(browser).signIn("email", { email: ADA });
    await sendScheduled(t);
    const link = box.linkFor(ADA).href;
    const first = tab(browser, page(link));
    first.subscribe(() => {});
    await finished(first);
    expect(first.getState().status).toBe("signedIn");

    const again = tab(memoryStorage(), page(link));
    again.subscribe(() => {});
    await finished(again);
    expect(again.getState()).toMatchObject({ flow: { step: "redirectFailed", error: { code: "INVALID_CODE" } } });
  });
});
