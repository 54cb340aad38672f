import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { decodeBase64urlIgnorePadding } from "@oslojs/encoding";
import { Email, type EmailOptions } from "convex-warden/providers/Email";
import { api } from "../../example/convex/_generated/api";
import type { SignInResult } from "../../src/shared/results";
import { exampleApp, expectFailure, wardenTables } from "../setup";
import { everything, outbox, sendScheduled } from "./support";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ADA = "ada@example.com";
const SITE = "https://app.example.com";

/** The example app with an Email provider that sends sign-in links to an outbox. */
function linkApp(options: Partial<EmailOptions<"email">> = {}) {
  const box = outbox();
  const provider = Email({ appName: "Acme", sender: box.email, code: false, link: { siteUrl: SITE }, ...options });
  const t = exampleApp({ providers: [provider] });
  const signIn = (params: Record<string, string>) => t.mutation(api.auth.signIn, { provider: "email", params: params as never });
  /** Asks for a link as a browser does: the answer's verifier is what that browser keeps. */
  async function linkFor(email: string, client = t) {
    const sent = await client.mutation(api.auth.signIn, { provider: "email", params: { email } });
    if (sent.kind !== "codeSent") throw new Error(`expected codeSent, got ${JSON.stringify(sent)}`);
    await sendScheduled(t);
    const link = box.linkFor(email);
    return { link, token: link.searchParams.get("wardenCode")!, verifier: sent.verifier, sent };
  }
  return { t, box, signIn, linkFor };
}

beforeEach(() => void vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe("sign-in by link", () => {
  test("the browser that asked signs in with the link and its verifier", async () => {
    const { signIn, linkFor, t } = linkApp();
    const { token, verifier } = await linkFor(ADA);
    expect((await signIn({ code: token, verifier: verifier! })).kind).toBe("signedIn");
    expect((await everything(t)).users).toMatchObject([{ email: ADA }]);
    expect((await everything(t)).users[0]!.emailVerificationTime).toBeGreaterThan(0);
  });

  test("a link-only message says nothing of a code and gives no code to type", async () => {
    const { box, linkFor } = linkApp();
    await linkFor(ADA);
    expect(box.emails[0]!.text).not.toMatch(/^ {4}\S+$/m);
    expect(box.emails[0]!.text).toContain("The link expires in 1 hour");
  });

  test("a link is single use: a replay is refused", async () => {
    const { signIn, linkFor } = linkApp();
    const { token, verifier } = await linkFor(ADA);
    expect((await signIn({ code: token, verifier: verifier! })).kind).toBe("signedIn");
    expectFailure(await signIn({ code: token, verifier: verifier! }), "INVALID_CODE");
  });

  test("code and link in one message: using one spends the other", async () => {
    const { box, signIn, linkFor } = linkApp({ code: {} });
    const { token, verifier } = await linkFor(ADA);
    const code = box.codeFor(ADA);
    expect(code).toMatch(/^[0-9]{8}$/);
    expect((await signIn({ email: ADA, code })).kind).toBe("signedIn");
    expectFailure(await signIn({ code: token, verifier: verifier! }), "INVALID_CODE");
  });

  test("a provider that sends no links refuses a link's params", async () => {
    const box = outbox();
    const t = exampleApp({ providers: [Email({ appName: "Acme", sender: box.email })] });
    const error = await t
      .mutation(api.auth.signIn, { provider: "email", params: { code: "x".repeat(43) } })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ data: { code: "UNSUPPORTED_FLOW" } });
  });
});

describe("a link opened in another browser", () => {
  test("fails with LINK_OTHER_BROWSER and keeps working in the browser that asked", async () => {
    const { signIn, linkFor } = linkApp();
    const { token, verifier } = await linkFor(ADA);
    expectFailure(await signIn({ code: token }), "LINK_OTHER_BROWSER");
    expect((await signIn({ code: token, verifier: verifier! })).kind).toBe("signedIn");
  });

  test("a wrong verifier spends the link: whoever holds it should not", async () => {
    const { signIn, linkFor } = linkApp();
    const { token, verifier } = await linkFor(ADA);
    expectFailure(await signIn({ code: token, verifier: "A".repeat(43) }), "INVALID_CODE");
    expectFailure(await signIn({ code: token, verifier: verifier! }), "INVALID_CODE");
  });

  test("works when the app allows it; the answer then carries no verifier", async () => {
    const { signIn, linkFor } = linkApp({ link: { siteUrl: SITE, allowOtherBrowser: true } });
    const { token, sent } = await linkFor(ADA);
    expect(sent).not.toHaveProperty("verifier");
    expect((await signIn({ code: token })).kind).toBe("signedIn");
  });
});

describe("links and verifiers are long random secrets (OTP-1)", () => {
  test("the link's token and the browser's verifier are 256-bit, and differ every time", async () => {
    const { linkFor } = linkApp();
    const first = await linkFor(ADA);
    vi.advanceTimersByTime(31_000);
    const second = await linkFor(ADA);
    for (const secret of [first.token, first.verifier!, second.token, second.verifier!]) {
      expect(decodeBase64urlIgnorePadding(secret)).toHaveLength(32);
    }
    expect(new Set([first.token, first.verifier, second.token, second.verifier]).size).toBe(4);
  });
});

describe("links expire (OTP-2)", () => {
  test("a link alone works for an hour by default", async () => {
    const early = linkApp();
    const one = await early.linkFor(ADA);
    vi.advanceTimersByTime(HOUR - 1000);
    expect((await early.signIn({ code: one.token, verifier: one.verifier! })).kind).toBe("signedIn");

    const late = linkApp();
    const two = await late.linkFor(ADA);
    vi.advanceTimersByTime(HOUR);
    expectFailure(await late.signIn({ code: two.token, verifier: two.verifier! }), "CODE_EXPIRED");
  });

  test("beside a code, a link lives as long as the code: 10 minutes", async () => {
    const { signIn, linkFor } = linkApp({ code: {} });
    const { token, verifier } = await linkFor(ADA);
    vi.advanceTimersByTime(10 * MINUTE);
    expectFailure(await signIn({ code: token, verifier: verifier! }), "CODE_EXPIRED");
  });

  test("the lifetime is configurable, up to a day", () => {
    const sender = outbox().email;
    expect(() => Email({ appName: "Acme", sender, link: { siteUrl: SITE, lifetimeMs: 25 * HOUR } })).toThrow(
      expect.objectContaining({ code: "INVALID_CONFIG", option: "Email(email).link.lifetimeMs" }),
    );
  });
});

describe("links land on the configured site, never one a request names (OTP-7)", () => {
  test("the link is the site's origin and configured path, with the hand-off parameters only", async () => {
    const { linkFor } = linkApp({ link: { siteUrl: "https://app.example.com/ignored/path?x=1", path: "/sign-in" } });
    const { link } = await linkFor(ADA);
    expect(link.origin).toBe(SITE);
    expect(link.pathname).toBe("/sign-in");
    expect([...link.searchParams.keys()].sort()).toEqual(["wardenCode", "wardenProvider"]);
    expect(link.searchParams.get("wardenProvider")).toBe("email");
  });

  test("SITE_URL is read when no siteUrl is given", async () => {
    vi.stubEnv("SITE_URL", "https://configured.example.org");
    const { linkFor } = linkApp({ link: true });
    expect((await linkFor(ADA)).link.origin).toBe("https://configured.example.org");
  });

  test("what the request carries changes nothing: its client, its params", async () => {
    const { t, box } = linkApp();
    const client = t.withRequestMetadata({ ip: "203.0.113.5", userAgent: "evil.example" });
    await client.mutation(api.auth.signIn, {
      provider: "email",
      params: { email: ADA, siteUrl: "https://evil.example", redirectTo: "https://evil.example/", origin: "https://evil.example" },
    });
    await sendScheduled(t);
    expect(box.linkFor(ADA).origin).toBe(SITE);
    expect(box.emails[0]!.html).not.toContain("evil");
  });

  test("links need a site: without siteUrl or SITE_URL the provider refuses to load", () => {
    vi.stubEnv("SITE_URL", "");
    const sender = outbox().email;
    expect(() => Email({ appName: "Acme", sender, link: true })).toThrow(
      expect.objectContaining({ code: "INVALID_CONFIG", option: "Email(email).link.siteUrl" }),
    );
    expect(() => Email({ appName: "Acme", sender, link: { siteUrl: "javascript:alert(1)" } })).toThrow(
      expect.objectContaining({ option: "Email(email).link.siteUrl" }),
    );
    expect(() => Email({ appName: "Acme", sender, link: { siteUrl: SITE, path: "//evil.example" } })).toThrow(
      expect.objectContaining({ option: "Email(email).link.path" }),
    );
  });
});

describe("no link token or verifier is stored in plaintext (OTP-5)", () => {
  test("tables and scheduled jobs hold neither, before and after use", async () => {
    const { t, signIn, linkFor } = linkApp();
    const { token, verifier } = await linkFor(ADA);
    const before = JSON.stringify(await everything(t));
    expect(before).not.toContain(token);
    expect(before).not.toContain(verifier!);
    await signIn({ code: token, verifier: verifier! });
    const after = JSON.stringify(await everything(t));
    expect(after).not.toContain(token);
    expect(after).not.toContain(verifier!);
    expect((await wardenTables(t)).challenges).toEqual([]);
  });
});

describe("a request for a link answers the same for known and unknown addresses (EN-1)", () => {
  test("same answer shape, a verifier either way", async () => {
    const { signIn, linkFor } = linkApp();
    const first = await linkFor(ADA);
    await signIn({ code: first.token, verifier: first.verifier! });
    vi.advanceTimersByTime(31_000);
    const known = (await linkFor(ADA)).sent;
    const unknown = (await linkFor("bob@example.com")).sent;
    const shape = (result: SignInResult) => Object.entries(result).map(([key, value]) => [key, typeof value]);
    expect(shape(known)).toEqual(shape(unknown));
  });
});
