import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { ConvexError } from "convex/values";
import { DeliveryError } from "convex-warden/delivery";
import { Email, type EmailOptions } from "convex-warden/providers/Email";
import { Password } from "convex-warden/providers/Password";
import type { ConvexAuthOptions } from "convex-warden/server";
import { api, components } from "../../example/convex/_generated/api";
import type { SignInResult } from "../../src/shared/results";
import { exampleApp, expectFailure, wardenTables, type ExampleApp } from "../setup";
import { everything, outbox, rowCounts, sendScheduled } from "./support";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ADA = "ada@example.com";
/** The resend cooldown, and a little: convex-test may run a transaction a millisecond ahead of the clock. */
const COOLDOWN = 30_000 + 10;
const BOB = "bob@example.com";

/** The example app with an Email provider whose messages land in an outbox. */
function emailApp(options: Partial<EmailOptions<"email">> = {}, auth: Partial<ConvexAuthOptions> = {}) {
  const box = outbox();
  // Quiet unless a test asks: the failed-send tests would print their warnings.
  const t = exampleApp({ providers: [Password(), Email({ appName: "Acme", sender: box.email, ...options })], logLevel: "silent", ...auth });
  const request = (email: string, extra: Record<string, string> = {}) =>
    t.mutation(api.auth.signIn, { provider: "email", params: { email, ...extra } });
  const verify = (email: string, code: string) => t.mutation(api.auth.signIn, { provider: "email", params: { email, code } });
  /** Requests a code, lets the send run, and returns the code as delivered. */
  async function codeFor(email: string) {
    expect((await request(email)).kind).toBe("codeSent");
    await sendScheduled(t);
    return box.codeFor(email);
  }
  return { t, box, request, verify, codeFor };
}

const retryAfter = (result: SignInResult) =>
  result.kind === "failed" && result.error.code === "RATE_LIMITED" ? result.error.retryAfterMs : undefined;

/** A code of the right shape that is not `code`. */
const otherThan = (code: string) => code.replace(/./, (digit) => String((Number(digit) + 1) % 10));

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe("sign-in by emailed code", () => {
  test("a request answers codeSent with the address masked and the resend cooldown", async () => {
    const { request } = emailApp();
    expect(await request("Ada.Lovelace@Example.com ")).toEqual({
      kind: "codeSent",
      provider: "email",
      destination: "a•••e@example.com",
      resendAfterMs: 30_000,
    });
  });

  test("the code signs a new address up, marking it verified", async () => {
    const { t, verify, codeFor } = emailApp();
    const result = await verify(ADA, await codeFor(ADA));
    expect(result.kind).toBe("signedIn");
    const [user] = (await everything(t)).users;
    expect(user).toMatchObject({ email: ADA });
    expect(user!.emailVerificationTime).toBeCloseTo(Date.now(), -2);
    expect((await wardenTables(t)).accounts).toMatchObject([{ provider: "email", providerAccountId: ADA }]);
  });

  test("the address signs in to the same user next time; it is marked verified once", async () => {
    const { t, verify, codeFor } = emailApp();
    await verify(ADA, await codeFor(ADA));
    const [first] = (await everything(t)).users;
    vi.advanceTimersByTime(HOUR);
    expect((await verify(ADA, await codeFor(ADA))).kind).toBe("signedIn");
    const users = (await everything(t)).users;
    expect(users).toHaveLength(1);
    expect(users[0]!.emailVerificationTime).toBe(first!.emailVerificationTime);
  });

  test("a returning user whose address was not yet verified is marked verified", async () => {
    const { t, verify, codeFor } = emailApp();
    const userId = await t.run((ctx) => ctx.db.insert("users", { email: ADA }));
    await t.mutation(components.warden.accounts.create, { userId, provider: "email", providerAccountId: ADA });
    expect((await verify(ADA, await codeFor(ADA))).kind).toBe("signedIn");
    const user = await t.run((ctx) => ctx.db.get(userId));
    expect(user!.emailVerificationTime).toBeCloseTo(Date.now(), -2);
  });

  test("the code may be typed with spaces or dashes", async () => {
    const { verify, codeFor } = emailApp();
    const code = await codeFor(ADA);
    expect((await verify(ADA, ` ${code.slice(0, 4)} ${code.slice(4)}-`)).kind).toBe("signedIn");
  });

  test("a malformed address is refused before anything is sent", async () => {
    const { t, request, box } = emailApp();
    expectFailure(await request("not an address"), "INVALID_EMAIL");
    await sendScheduled(t);
    expect(box.emails).toEqual([]);
  });

  test("sign-up collects the profile fields the app validates; a refusal sends nothing", async () => {
    const { t, request, verify, box } = emailApp({
      profile: ({ rawParams }) => {
        if (typeof rawParams.name !== "string" || rawParams.name.length > 40) {
          throw new ConvexError({ code: "INVALID_ARGUMENT", field: "name" });
        }
        return { name: rawParams.name, favoriteColor: "teal" };
      },
    });
    const refused = await request(ADA, { name: "x".repeat(41) }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConvexError);
    expect((refused as ConvexError<{ field: string }>).data.field).toBe("name");
    await sendScheduled(t);
    expect(box.emails).toEqual([]);

    expect((await request(ADA, { name: "Ada" })).kind).toBe("codeSent");
    await sendScheduled(t);
    // A form's extra fields come along with the code too: it still verifies, not re-sends.
    const signedIn = await t.mutation(api.auth.signIn, {
      provider: "email",
      params: { email: ADA, code: box.codeFor(ADA), name: "Someone else" },
    });
    expect(signedIn.kind).toBe("signedIn");
    expect((await everything(t)).users).toMatchObject([{ email: ADA, name: "Ada", favoriteColor: "teal" }]);
  });
});

describe("codes are random, long enough, and drawn without bias (OTP-1)", () => {
  test("an email code is 8 digits by default, from the runtime's CSPRNG", async () => {
    const { codeFor } = emailApp();
    const random = vi.spyOn(globalThis.crypto, "getRandomValues");
    const code = await codeFor(ADA);
    expect(code).toMatch(/^[0-9]{8}$/);
    expect(random).toHaveBeenCalled();
    random.mockRestore();
  });

  test("digits are spread evenly over many codes, in every position", async () => {
    vi.useRealTimers();
    const { codeFor } = emailApp({ resendCooldownMs: 0 }, { rateLimits: { codeSends: false } });
    const codes: string[] = [];
    for (let i = 0; i < 250; i++) codes.push(await codeFor(`user${i}@example.com`));
    expect(new Set(codes).size).toBeGreaterThan(245);
    const counts = Array.from({ length: 10 }, () => 0);
    for (const code of codes) for (const digit of code) counts[Number(digit)]!++;
    const expected = (codes.length * 8) / 10;
    const chiSquare = counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    // 9 degrees of freedom: above 27.88 happens by chance once in a thousand runs.
    expect(chiSquare).toBeLessThan(27.88);
    for (let position = 0; position < 8; position++) {
      expect(new Set(codes.map((code) => code[position])).size).toBe(10);
    }
  });

  test("the app may choose the alphabet and length, but never weaker than 6 digits", async () => {
    const { codeFor } = emailApp({ code: { alphabet: "ABCDEFGHJKMNPQRSTVWXYZ23456789", length: 6 } });
    expect(await codeFor(ADA)).toMatch(/^[A-HJKMNP-TV-Z2-9]{6}$/);
    const weak = (code: EmailOptions["code"]) => () => Email({ appName: "Acme", sender: outbox().email, code });
    expect(weak({ length: 5 })).toThrow(expect.objectContaining({ code: "INVALID_CONFIG", option: "Email(email).code.length" }));
    expect(weak({ alphabet: "01", length: 16 })).toThrow(expect.objectContaining({ option: "Email(email).code.length" }));
    expect(weak({ alphabet: "aa11" })).toThrow(expect.objectContaining({ option: "Email(email).code.alphabet" }));
  });

  test("a typed code in another case passes when the alphabet has one case", async () => {
    const { verify, codeFor } = emailApp({ code: { alphabet: "ABCDEFGHJKMNPQRSTVWXYZ23456789", length: 8 } });
    const code = await codeFor(ADA);
    expect((await verify(ADA, code.toLowerCase())).kind).toBe("signedIn");
  });
});

describe("codes expire (OTP-2)", () => {
  test("a code works for 10 minutes by default, then is CODE_EXPIRED even when right", async () => {
    const first = emailApp();
    const code = await first.codeFor(ADA);
    vi.advanceTimersByTime(10 * MINUTE - 1000);
    expect((await first.verify(ADA, code)).kind).toBe("signedIn");

    const second = emailApp();
    const late = await second.codeFor(ADA);
    vi.advanceTimersByTime(10 * MINUTE);
    expectFailure(await second.verify(ADA, late), "CODE_EXPIRED");
  });

  test("the lifetime is configurable, up to an hour", async () => {
    const { verify, codeFor } = emailApp({ code: { lifetimeMs: 2 * MINUTE } });
    const code = await codeFor(ADA);
    vi.advanceTimersByTime(2 * MINUTE);
    expectFailure(await verify(ADA, code), "CODE_EXPIRED");
    expect(() => Email({ appName: "Acme", sender: outbox().email, code: { lifetimeMs: HOUR + 1 } })).toThrow(
      expect.objectContaining({ option: "Email(email).code.lifetimeMs" }),
    );
  });

  test("the message says how long the code lasts", async () => {
    const { box, codeFor } = emailApp({ code: { lifetimeMs: 5 * MINUTE } });
    await codeFor(ADA);
    expect(box.emails[0]!.text).toContain("expires in 5 minutes");
  });
});

describe("codes are single use (OTP-3)", () => {
  test("a used code is refused the second time", async () => {
    const { verify, codeFor } = emailApp();
    const code = await codeFor(ADA);
    expect((await verify(ADA, code)).kind).toBe("signedIn");
    expectFailure(await verify(ADA, code), "INVALID_CODE");
  });

  test("two verifications racing with the right code: exactly one signs in", async () => {
    const { verify, codeFor } = emailApp();
    const code = await codeFor(ADA);
    const results = await Promise.all([verify(ADA, code), verify(ADA, code)]);
    expect(results.map((result) => result.kind).sort()).toEqual(["failed", "signedIn"]);
    expectFailure(results.find((result) => result.kind === "failed")!, "INVALID_CODE");
  });

  test("a new code replaces the one before it", async () => {
    const { verify, codeFor } = emailApp();
    const old = await codeFor(ADA);
    vi.advanceTimersByTime(COOLDOWN);
    const current = await codeFor(ADA);
    if (old !== current) expectFailure(await verify(ADA, old), "INVALID_CODE");
    expect((await verify(ADA, current)).kind).toBe("signedIn");
  });
});

describe("codes are bound to the address and the purpose (OTP-4)", () => {
  test("a code for one address is refused for another, and still works for its own", async () => {
    const { verify, codeFor } = emailApp();
    const code = await codeFor(ADA);
    await codeFor(BOB);
    expectFailure(await verify(BOB, code), "INVALID_CODE");
    expect((await verify(ADA, code)).kind).toBe("signedIn");
  });

  test("a sign-in code is refused for another purpose and by another provider", async () => {
    const box = outbox();
    const t = exampleApp({
      providers: [
        Email({ appName: "Acme", sender: box.email }),
        Email({ id: "work", appName: "Acme Work", sender: box.email }),
      ],
    });
    await t.mutation(api.auth.signIn, { provider: "email", params: { email: ADA } });
    await sendScheduled(t);
    const code = box.codeFor(ADA);
    const asReset = await t.mutation(components.warden.challenges.verifyCode, { purpose: "password:reset", identifier: ADA, code });
    expect(asReset).toMatchObject({ kind: "failed", code: "INVALID_CODE" });
    const asWork = await t.mutation(api.auth.signIn, { provider: "work" as "email", params: { email: ADA, code } });
    expectFailure(asWork, "INVALID_CODE");
    expect((await t.mutation(api.auth.signIn, { provider: "email", params: { email: ADA, code } })).kind).toBe("signedIn");
  });
});

describe("no code is stored or logged in plaintext (OTP-5)", () => {
  test("no table, scheduled job or log line holds the code", async () => {
    const lines: string[] = [];
    for (const level of ["debug", "info", "warn", "error", "log"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(JSON.stringify(args)));
    }
    const { t, verify, codeFor, box } = emailApp({}, { logLevel: "debug" });
    const code = await codeFor(ADA);
    const stored = JSON.stringify(await everything(t));
    expect(stored).not.toContain(code);
    expectFailure(await verify(ADA, otherThan(code)), "INVALID_CODE");
    await verify(ADA, code);
    const after = JSON.stringify(await everything(t));
    expect(after).not.toContain(code);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("\n")).not.toContain(code);
    // The one place it exists: the message itself.
    expect(box.emails[0]!.text).toContain(code);
    vi.restoreAllMocks();
  });

  test("the scheduled send carries only the challenge's id and how to render it", async () => {
    const { t, request } = emailApp();
    await request(ADA);
    const [job] = (await everything(t)).scheduled.filter((job) => job.name.startsWith("auth:"));
    expect(job!.name).toBe("auth:signInAction");
    const { args } = job!.args[0] as { args: Record<string, unknown> };
    expect(Object.keys(args).sort()).toEqual(["challengeId", "code", "message", "minutes", "to"]);
    expect(args.code).toEqual({ alphabet: "0123456789", length: 8 });
  });
});

describe("a code dies after its attempts, even when right (OTP-6)", () => {
  test("five wrong codes, then the right one is refused", async () => {
    const { verify, codeFor } = emailApp();
    const code = await codeFor(ADA);
    const left: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      const result = await verify(ADA, otherThan(code));
      expectFailure(result, "INVALID_CODE");
      left.push(result.kind === "failed" && result.error.code === "INVALID_CODE" ? result.error.attemptsLeft : null);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    expectFailure(await verify(ADA, code), "INVALID_CODE");
  });

  test("the budget is configurable", async () => {
    const { verify, codeFor } = emailApp({ maxAttempts: 1 });
    const code = await codeFor(ADA);
    expectFailure(await verify(ADA, otherThan(code)), "INVALID_CODE");
    expectFailure(await verify(ADA, code), "INVALID_CODE");
  });
});

describe("failed codes are limited per address, and a new code does not reset the count (RL-1, RL-2)", () => {
  test("after 10 wrong codes in an hour, even a fresh right code is refused", async () => {
    const { verify, codeFor } = emailApp();
    for (let round = 0; round < 2; round++) {
      const code = await codeFor(ADA);
      for (let i = 0; i < 5; i++) expectFailure(await verify(ADA, otherThan(code)), "INVALID_CODE");
      vi.advanceTimersByTime(COOLDOWN);
    }
    const fresh = await codeFor(ADA);
    const locked = await verify(ADA, fresh);
    expectFailure(locked, "RATE_LIMITED");
    expect(retryAfter(locked)).toBeGreaterThan(HOUR - 2 * MINUTE);
    vi.advanceTimersByTime(HOUR);
    expect((await verify(ADA, await codeFor(ADA))).kind).toBe("signedIn");
  });

  test("a success clears the count", async () => {
    const { t, verify, codeFor } = emailApp();
    const code = await codeFor(ADA);
    for (let i = 0; i < 4; i++) await verify(ADA, otherThan(code));
    expect((await verify(ADA, code)).kind).toBe("signedIn");
    const failures = (await wardenTables(t)).rateLimits.filter((row) => row.name === "failedSignIns");
    expect(failures).toEqual([]);
  });

  test("guesses at an address that was never sent a code are counted too", async () => {
    const { verify } = emailApp();
    for (let i = 0; i < 10; i++) expectFailure(await verify(BOB, "12345678"), "INVALID_CODE");
    expectFailure(await verify(BOB, "12345678"), "RATE_LIMITED");
  });
});

describe("sends are limited; over a limit nothing is sent (RL-3)", () => {
  test("another code for the same address must wait for the cooldown", async () => {
    const { t, box, request } = emailApp();
    await request(ADA);
    vi.advanceTimersByTime(10_000);
    const early = await request(ADA);
    expectFailure(early, "RATE_LIMITED");
    expect(retryAfter(early)).toBeGreaterThan(19_990);
    expect(retryAfter(early)).toBeLessThanOrEqual(20_010);
    await sendScheduled(t);
    expect(box.to(ADA)).toHaveLength(1);
    vi.advanceTimersByTime(retryAfter(early)!);
    expect((await request(ADA)).kind).toBe("codeSent");
  });

  test("10 sends to one address an hour: a burst of 10, then one every 6 minutes", async () => {
    const { t, box, request } = emailApp();
    for (let i = 0; i < 10; i++) {
      expect((await request(ADA)).kind).toBe("codeSent");
      await sendScheduled(t);
      vi.advanceTimersByTime(COOLDOWN);
    }
    // Five minutes into the burst, five sixths of a send have come back: the next must wait for the rest.
    const refused = await request(ADA);
    expectFailure(refused, "RATE_LIMITED");
    expect(retryAfter(refused)).toBeGreaterThan(55_000);
    expect(retryAfter(refused)).toBeLessThan(65_000);
    await sendScheduled(t);
    expect(box.to(ADA)).toHaveLength(10);
    expect((await request(BOB)).kind).toBe("codeSent");
    vi.advanceTimersByTime(retryAfter(refused)!);
    expect((await request(ADA)).kind).toBe("codeSent");
    // From then on, one every 6 minutes, well past the 30 s cooldown.
    vi.advanceTimersByTime(COOLDOWN);
    const next = await request(ADA);
    expectFailure(next, "RATE_LIMITED");
    expect(retryAfter(next)).toBeGreaterThan(6 * MINUTE - COOLDOWN - 1000);
    await sendScheduled(t);
    expect(box.to(ADA)).toHaveLength(11);
  });

  test("one client IP can ask for only so many, whatever the addresses", async () => {
    const { t, box } = emailApp({}, { rateLimits: { codeSendsPerIp: { max: 3, windowMs: HOUR } } });
    const from = (ip: string, email: string) =>
      t.withRequestMetadata({ ip }).mutation(api.auth.signIn, { provider: "email", params: { email } });
    for (let i = 0; i < 3; i++) expect((await from("203.0.113.7", `user${i}@example.com`)).kind).toBe("codeSent");
    expectFailure(await from("203.0.113.7", "user3@example.com"), "RATE_LIMITED");
    await sendScheduled(t);
    expect(box.emails.map((email) => email.to)).toEqual(["user0@example.com", "user1@example.com", "user2@example.com"]);
    expect((await from("198.51.100.1", "user3@example.com")).kind).toBe("codeSent");
  });

  test("sign-ups by code are limited per client IP; known addresses still sign in", async () => {
    const { t, box } = emailApp({}, { rateLimits: { signUpsPerIp: { max: 2, windowMs: HOUR } } });
    const client = t.withRequestMetadata({ ip: "203.0.113.9" });
    const signIn = async (email: string) => {
      await client.mutation(api.auth.signIn, { provider: "email", params: { email } });
      await sendScheduled(t);
      return client.mutation(api.auth.signIn, { provider: "email", params: { email, code: box.codeFor(email) } });
    };
    for (const email of [ADA, BOB]) expect((await signIn(email)).kind).toBe("signedIn");
    expectFailure(await signIn("cy@example.com"), "RATE_LIMITED");
    vi.advanceTimersByTime(COOLDOWN);
    expect((await signIn(ADA)).kind).toBe("signedIn");
  });

  test("sign-ups by code are limited app-wide, over shards", async () => {
    vi.useRealTimers();
    const { verify, codeFor } = emailApp({}, { rateLimits: { signUps: { max: 10, windowMs: HOUR } } });
    const kinds: string[] = [];
    for (let i = 0; i < 25; i++) {
      const email = `user${i}@example.com`;
      const result = await verify(email, await codeFor(email));
      if (result.kind === "failed") expectFailure(result, "RATE_LIMITED");
      kinds.push(result.kind);
    }
    // Each of the 10 shards holds one sign-up: at most 10 in all, whichever shards are drawn.
    const signedIn = kinds.filter((kind) => kind === "signedIn").length;
    expect(signedIn).toBeGreaterThan(0);
    expect(signedIn).toBeLessThanOrEqual(10);
  });
});

describe("a request answers the same for known and unknown addresses (EN-1)", () => {
  test("same answer, same rows written, a code sent either way", async () => {
    const { t, box, request } = emailApp();
    const userId = await t.run((ctx) => ctx.db.insert("users", { email: ADA, emailVerificationTime: 1 }));
    await t.mutation(components.warden.accounts.create, { userId, provider: "email", providerAccountId: ADA });
    // The app's first send also schedules housekeeping; measure the ones after it.
    await request("someone@example.com");

    const before = await rowCounts(t);
    const known = await request(ADA);
    const afterKnown = await rowCounts(t);
    const unknown = await request(BOB);
    const afterUnknown = await rowCounts(t);

    const masked = (result: SignInResult) => ({ ...result, destination: result.kind === "codeSent" && result.destination.slice(1) });
    expect(masked(known)).toEqual(masked(unknown));
    const delta = (from: Record<string, number>, to: Record<string, number>) =>
      Object.fromEntries(Object.keys(to).map((table) => [table, to[table]! - (from[table] ?? 0)]));
    expect(delta(before, afterKnown)).toEqual(delta(afterKnown, afterUnknown));
    expect(delta(before, afterKnown)).toMatchObject({ users: 0, accounts: 0, challenges: 1 });

    const challenges = (await wardenTables(t)).challenges;
    const shape = (row: object) => Object.keys(row).filter((key) => !key.startsWith("_")).sort();
    expect(shape(challenges[0]!)).toEqual(shape(challenges[1]!));
    await sendScheduled(t);
    expect(box.emails.map((email) => email.to).filter((to) => to !== "someone@example.com").sort()).toEqual([ADA, BOB]);
  });
});

describe("a failed send is recorded and reported, never lost", () => {
  test("the provider was unavailable: entering a code answers DELIVERY_FAILED, and a resend works after its wait", async () => {
    const { t, box, request, verify } = emailApp();
    box.fail = new DeliveryError({ code: "DELIVERY_UNAVAILABLE", provider: "outbox", recipient: "a•••@example.com", retryAfterMs: 5000 });
    expect((await request(ADA)).kind).toBe("codeSent");
    await sendScheduled(t);
    const [challenge] = (await wardenTables(t)).challenges;
    expect(challenge!.undelivered).toMatchObject({ reason: "unavailable", retryAfterMs: 5000 });

    const reported = await verify(ADA, "12345678");
    expect(reported).toEqual({
      kind: "failed",
      error: { code: "DELIVERY_FAILED", reason: "unavailable", retryAfterMs: 5000 },
    });
    expect(retryAfter(await request(ADA))).toBeLessThanOrEqual(5000);
    box.fail = null;
    vi.advanceTimersByTime(5000 + 10);
    expect((await request(ADA)).kind).toBe("codeSent");
    await sendScheduled(t);
    expect((await verify(ADA, box.codeFor(ADA))).kind).toBe("signedIn");
  });

  test("the provider refused the message: reported as rejected, and a resend may go at once", async () => {
    const { t, box, request, verify } = emailApp();
    box.fail = new DeliveryError({ code: "DELIVERY_REJECTED", provider: "outbox", recipient: "a•••@example.com", status: 422 });
    await request(ADA);
    await sendScheduled(t);
    expect(await verify(ADA, "12345678")).toEqual({ kind: "failed", error: { code: "DELIVERY_FAILED", reason: "rejected" } });
    expect((await request(ADA)).kind).toBe("codeSent");
  });

  test("an adapter's unexpected error is recorded too, and its message is not logged", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void lines.push(JSON.stringify(args)));
    const { t, box, request, verify } = emailApp({}, { logLevel: "warn" });
    box.fail = new Error("could not send 'Enter this code: 12345678'");
    await request(ADA);
    await sendScheduled(t);
    expectFailure(await verify(ADA, "00000000"), "DELIVERY_FAILED");
    expect(lines.join("\n")).toContain("message not sent");
    expect(lines.join("\n")).not.toContain("12345678");
    vi.restoreAllMocks();
  });

  test("a send whose code was replaced before it ran sends nothing", async () => {
    const { t, box, request, verify } = emailApp();
    await request(ADA);
    vi.setSystemTime(Date.now() + 30_000);
    await request(ADA);
    await sendScheduled(t);
    expect(box.to(ADA)).toHaveLength(1);
    expect((await verify(ADA, box.codeFor(ADA))).kind).toBe("signedIn");
  });
});

describe("options", () => {
  test("appName and a sender are required, and a sender must send email", () => {
    const box = outbox();
    expect(() => Email({ appName: "", sender: box.email })).toThrow(expect.objectContaining({ option: "Email(email).appName" }));
    expect(() => Email({ appName: "Acme", sender: undefined as never })).toThrow(
      expect.objectContaining({ option: "Email(email).sender" }),
    );
    expect(() => Email({ appName: "Acme", sender: box.sms as never })).toThrow(expect.objectContaining({ option: "Email(email).sender" }));
    expect(() => Email({ appName: "Acme", sender: { module: "../evil" } })).toThrow(
      expect.objectContaining({ option: "Email(email).sender.module" }),
    );
    expect(() => Email({ appName: "Acme", sender: box.email, code: false })).toThrow(expect.objectContaining({ option: "Email(email)" }));
    expect(() => Email({ appName: "Acme", sender: box.email, maxAttempts: 0 })).toThrow(
      expect.objectContaining({ option: "Email(email).maxAttempts" }),
    );
  });

  test("a request with a malformed locale is refused with the field named", async () => {
    const { request } = emailApp();
    const error = await request(ADA, { locale: "<script>" }).catch((caught: unknown) => caught);
    expect((error as ConvexError<{ code: string; field: string }>).data).toMatchObject({ code: "INVALID_ARGUMENT", field: "locale" });
  });

  test("the request's locale picks the message's language", async () => {
    const { t, box, request } = emailApp({
      templates: (await import("convex-warden/delivery")).createTemplates({
        locales: { fr: { signInCode: ({ appName }) => ({ subject: `Votre code ${appName}`, heading: "Connexion", intro: ["Code :"], outro: ["Merci"] }) } },
      }),
    });
    await request(ADA, { locale: "fr-CA" });
    await sendScheduled(t);
    expect(box.emails[0]!.subject).toBe("Votre code Acme");
  });
});
