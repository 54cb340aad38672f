// @vitest-environment node
import type { FunctionReference } from "convex/server";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import {
  createAuthClient,
  memoryStorage,
  pageLock,
  type AuthClient,
  type Navigation,
  type TokenStorage,
  type Transport,
} from "convex-warden/client";
import { OIDC } from "convex-warden/providers/OAuth";
import { api } from "../../example/convex/_generated/api";
import { identityFromClaims, verifyAccessToken } from "../../src/test";
import { wardenTables, type ExampleApp } from "../setup";
import { CLIENT_SECRET, startOpenIdProvider, type RunningProvider } from "../oauth/support/openidProvider";
import { AppBrowser, callbackUrl, CONVEX_SITE_URL, location, oauthApp, SITE_URL } from "./support/app";

/**
 * The browser client against the real routes: it starts the redirect and
 * keeps the verifier, and on the page the browser comes back to it finishes
 * the flow (or reports its error code) and cleans the URL.
 */
let op: RunningProvider;
beforeAll(async () => {
  op = await startOpenIdProvider({ clients: [{ client_id: "warden-app", redirect_uris: [callbackUrl("acme")] }] });
});
afterAll(() => op.close());

const acme = () =>
  OIDC({ id: "acme", issuer: op.issuer, clientId: "warden-app", clientSecret: CLIENT_SECRET, siteUrl: SITE_URL, convexSiteUrl: CONVEX_SITE_URL });

/** Calls go to convex-test, as the caller the token names. */
function transportTo(t: ExampleApp) {
  const calls: Array<{ provider?: string; params?: Record<string, unknown> }> = [];
  const transport = (async (ref, args, token) => {
    calls.push(args as never);
    const caller = token === null ? t : t.withIdentity(identityFromClaims(await verifyAccessToken(t, token)));
    return caller.mutation(ref as FunctionReference<"mutation">, args as never);
  }) as Transport;
  return { transport, calls };
}

/** One page load at `href`: where it is, where it was sent, how its URL was rewritten. */
function page(href: string) {
  const seen = { href, assigned: [] as string[], replaced: [] as string[] };
  const navigation: Navigation = {
    href: () => seen.href,
    assign: (url) => void seen.assigned.push(url),
    replace: (url) => {
      seen.replaced.push(url);
      seen.href = url;
    },
  };
  return { seen, navigation };
}

function setup() {
  const t = oauthApp([acme()]);
  const wire = transportTo(t);
  /** One browser profile's storage, shared by its page loads. */
  const items = new Map<string, string>();
  const storage: TokenStorage = {
    getItem: (key) => items.get(key),
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
  const load = (href: string) => {
    const { seen, navigation } = page(href);
    const auth = createAuthClient({ url: process.env.CONVEX_CLOUD_URL!, transport: wire.transport, storage, lock: pageLock(), tabSync: null, navigation });
    auth.subscribe(() => {});
    return { auth, seen };
  };
  return { t, wire, items, load };
}

const settled = (auth: AuthClient) =>
  vi.waitFor(() => {
    const { status, flow } = auth.getState();
    if (status === "loading" || flow?.step === "finishingRedirect") throw new Error("not yet");
  });

/** The browser, having left the app for the start URL, walks to the provider and back; returns where it lands. */
async function travel(t: ExampleApp, startUrl: string, walk: { decline?: boolean } = {}) {
  const browser = new AppBrowser(t);
  const toProvider = location(await browser.site(startUrl));
  const callback = await browser.authorize(toProvider.href, "acme", walk);
  return location(await browser.callback("acme", callback)).href;
}

describe("the redirect", () => {
  test("signIn starts it: the client keeps the verifier and leaves for the start route", async () => {
    const { load, items } = setup();
    const { auth, seen } = load(`${SITE_URL}/login`);
    await settled(auth);
    const outcome = await auth.signIn("acme", { redirectTo: "/after" });
    expect(outcome.kind).toBe("redirecting");
    expect(seen.assigned).toHaveLength(1);
    expect(seen.assigned[0]!.startsWith(`${CONVEX_SITE_URL}/api/auth/signin/acme?flow=`)).toBe(true);
    expect(auth.getState().flow).toMatchObject({ step: "redirecting", provider: "acme" });
    const [pending] = [...items].filter(([key]) => key.endsWith("_redirect"));
    const kept = JSON.parse(pending![1]) as { provider: string; verifier: string };
    expect(kept.provider).toBe("acme");
    expect(kept.verifier).toMatch(/^[\w-]{43}$/);
    expect(seen.assigned[0]).not.toContain(kept.verifier);
  });

  test("back on the app, a new page load finishes it: signed in, the URL cleaned, once", async () => {
    const { t, load, wire } = setup();
    const first = load(`${SITE_URL}/login`);
    await settled(first.auth);
    await first.auth.signIn("acme", { redirectTo: "/after?tab=1" });
    const landing = await travel(t, first.seen.assigned[0]!);
    expect(landing).toMatch(new RegExp(`^${SITE_URL}/after\\?tab=1&wardenCode=[\\w-]{43}$`));

    const back = load(landing);
    await settled(back.auth);
    expect(back.auth.getState()).toMatchObject({ status: "signedIn", flow: null });
    expect(back.seen.replaced).toEqual([`${SITE_URL}/after?tab=1`]);
    const finish = wire.calls.at(-1)!;
    expect(finish.provider).toBe("acme");
    expect(Object.keys(finish.params!).sort()).toEqual(["code", "verifier"]);
    expect((await wardenTables(t)).sessions).toHaveLength(1);

    // Reloading the landing URL (history, a bookmark) does not redeem anything again.
    const calls = wire.calls.length;
    const reload = load(landing);
    await settled(reload.auth);
    expect(wire.calls.length).toBe(calls);
    expect(reload.auth.getState().status).toBe("signedIn");
  });

  test("an error on the way back is reported by code and cleaned from the URL", async () => {
    const { t, load } = setup();
    const first = load(`${SITE_URL}/`);
    await settled(first.auth);
    await first.auth.signIn("acme");
    const landing = await travel(t, first.seen.assigned[0]!, { decline: true });
    expect(new URL(landing).searchParams.get("wardenError")).toBe("OAUTH_ACCESS_DENIED");

    const back = load(landing);
    await settled(back.auth);
    expect(back.auth.getState()).toMatchObject({
      status: "signedOut",
      flow: { step: "redirectFailed", provider: "acme", error: { code: "OAUTH_ACCESS_DENIED" } },
    });
    expect(back.seen.replaced).toEqual([`${SITE_URL}/`]);
    back.auth.cancelSignIn();
    await vi.waitFor(() => expect(back.auth.getState().flow).toBeNull());
  });

  test("a failure of the hand-off itself (a code already used) is reported by its code", async () => {
    const { t, load } = setup();
    const first = load(`${SITE_URL}/`);
    await settled(first.auth);
    await first.auth.signIn("acme");
    const landing = await travel(t, first.seen.assigned[0]!);
    // Someone redeemed the code first (it leaked): the verifier-holding browser gets INVALID_CODE.
    await t.mutation(api.auth.signIn, { provider: "acme", params: { code: new URL(landing).searchParams.get("wardenCode")!, verifier: "x" } } as never);
    const back = load(landing);
    await settled(back.auth);
    expect(back.auth.getState().flow).toMatchObject({ step: "redirectFailed", error: { code: "INVALID_CODE" } });
    expect(back.seen.replaced).toEqual([`${SITE_URL}/`]);
  });

  test("a hand-off code in a page this browser did not send away is not redeemed", async () => {
    const { t, load, wire } = setup();
    const other = load(`${SITE_URL}/`);
    await settled(other.auth);
    await other.auth.signIn("acme");
    const landing = await travel(t, other.seen.assigned[0]!);
    // Another browser profile (no pending redirect) opens the link.
    const stranger = createAuthClient({
      url: process.env.CONVEX_CLOUD_URL!,
      transport: wire.transport,
      storage: memoryStorage(),
      lock: pageLock(),
      tabSync: null,
      navigation: page(landing).navigation,
    });
    const calls = wire.calls.length;
    stranger.subscribe(() => {});
    await settled(stranger);
    expect(stranger.getState()).toMatchObject({ status: "signedOut", flow: null });
    expect(wire.calls.length).toBe(calls);
  });
});

test("without a browser (server rendering) the client loads and starts nothing", async () => {
  expect(typeof window).toBe("undefined");
  const { t } = setup();
  const wire = transportTo(t);
  const auth = createAuthClient({ url: process.env.CONVEX_CLOUD_URL!, transport: wire.transport, storage: memoryStorage(), lock: pageLock() });
  auth.subscribe(() => {});
  await settled(auth);
  expect(auth.getState().status).toBe("signedOut");
  // signIn still answers; with nowhere to navigate, the app decides what to do with the URL.
  expect((await auth.signIn("acme")).kind).toBe("redirecting");
});
