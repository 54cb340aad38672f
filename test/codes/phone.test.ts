import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { Email } from "convex-warden/providers/Email";
import { Phone, type PhoneOptions } from "convex-warden/providers/Phone";
import { api, components } from "../../example/convex/_generated/api";
import { normalizePhone } from "../../src/lib/phone";
import { exampleApp, expectFailure, wardenTables } from "../setup";
import { everything, outbox, rowCounts, sendScheduled } from "./support";

const MINUTE = 60_000;
const NUMBER = "+447700900123";

/** The example app with Email and Phone, their messages in one outbox. */
function phoneApp(options: Partial<PhoneOptions<"phone">> = {}) {
  const box = outbox();
  const t = exampleApp({
    providers: [Email({ appName: "Acme", sender: box.email }), Phone({ appName: "Acme", sender: box.sms, ...options })],
  });
  // The example app configures no Phone provider: its signIn is typed for the ones it has.
  const signIn = (params: Record<string, string>) =>
    t.mutation(api.auth.signIn, { provider: "phone" as "email", params: params as never });
  async function codeFor(phone: string) {
    expect((await signIn({ phone })).kind).toBe("codeSent");
    await sendScheduled(t);
    return box.codeFor(normalizePhone(phone)!);
  }
  return { t, box, signIn, codeFor };
}

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe("sign-in by SMS code", () => {
  test("a request texts a 6-digit code to the number in E.164 and answers with it masked", async () => {
    const { t, box, signIn } = phoneApp();
    expect(await signIn({ phone: "+44 7700 900-123" })).toEqual({
      kind: "codeSent",
      provider: "phone",
      destination: "+44••••••••23",
      resendAfterMs: 30_000,
    });
    await sendScheduled(t);
    expect(box.texts).toHaveLength(1);
    expect(box.texts[0]!.to).toBe(NUMBER);
    expect(box.codeFor(NUMBER)).toMatch(/^[0-9]{6}$/);
  });

  test("the code signs the number up, marking it verified; next time the same user", async () => {
    const { t, signIn, codeFor } = phoneApp();
    expect((await signIn({ phone: NUMBER, code: await codeFor(NUMBER) })).kind).toBe("signedIn");
    const [user] = (await everything(t)).users;
    expect(user).toMatchObject({ phone: NUMBER });
    expect(user!.phoneVerificationTime).toBeGreaterThan(0);
    vi.advanceTimersByTime(31_000);
    expect((await signIn({ phone: NUMBER, code: await codeFor(NUMBER) })).kind).toBe("signedIn");
    expect((await everything(t)).users).toHaveLength(1);
    expect((await wardenTables(t)).accounts).toMatchObject([{ provider: "phone", providerAccountId: NUMBER }]);
  });

  test("a number without its country code, or not a number, is INVALID_PHONE and nothing is sent", async () => {
    const { t, box, signIn } = phoneApp();
    for (const phone of ["07700 900123", "+0 7700 900123", "+44 7700 900123 ext 4", "+1234567", `+${"1".repeat(16)}`]) {
      expectFailure(await signIn({ phone }), "INVALID_PHONE");
    }
    await sendScheduled(t);
    expect(box.texts).toEqual([]);
  });

  test("WebOTP: the configured host is added for autofill", async () => {
    const { t, box, signIn } = phoneApp({ webOtpDomain: "app.example.com" });
    await signIn({ phone: NUMBER });
    await sendScheduled(t);
    const code = box.codeFor(NUMBER);
    expect(box.texts[0]!.text.endsWith(`@app.example.com #${code}`)).toBe(true);
    expect(() => Phone({ appName: "Acme", sender: box.sms, webOtpDomain: "https://x" })).toThrow(
      expect.objectContaining({ option: "Phone(phone).webOtpDomain" }),
    );
  });
});

describe("SMS codes meet the code requirements", () => {
  test("OTP-1: at least 6 characters, and never weaker than 6 digits", () => {
    const sender = outbox().sms;
    expect(() => Phone({ appName: "Acme", sender, code: { length: 5 } })).toThrow(
      expect.objectContaining({ code: "INVALID_CONFIG", option: "Phone(phone).code.length" }),
    );
    expect(() => Phone({ appName: "Acme", sender: outbox().email as never })).toThrow(
      expect.objectContaining({ option: "Phone(phone).sender" }),
    );
  });

  test("OTP-2: 10 minutes by default", async () => {
    const { signIn, codeFor } = phoneApp();
    const code = await codeFor(NUMBER);
    vi.advanceTimersByTime(10 * MINUTE);
    expectFailure(await signIn({ phone: NUMBER, code }), "CODE_EXPIRED");
  });

  test("OTP-3: single use", async () => {
    const { signIn, codeFor } = phoneApp();
    const code = await codeFor(NUMBER);
    expect((await signIn({ phone: NUMBER, code })).kind).toBe("signedIn");
    expectFailure(await signIn({ phone: NUMBER, code }), "INVALID_CODE");
  });

  test("OTP-4: a code for one number is refused for another, and as an email code", async () => {
    const { t, signIn, codeFor } = phoneApp();
    const code = await codeFor(NUMBER);
    expectFailure(await signIn({ phone: "+447700900124", code }), "INVALID_CODE");
    const asEmail = await t.mutation(components.warden.challenges.verifyCode, { purpose: "email:signIn", identifier: NUMBER, code });
    expect(asEmail).toMatchObject({ kind: "failed", code: "INVALID_CODE" });
    expect((await signIn({ phone: NUMBER, code })).kind).toBe("signedIn");
  });

  test("OTP-5: the code is in no table or scheduled job", async () => {
    const { t, codeFor } = phoneApp();
    const code = await codeFor(NUMBER);
    expect(JSON.stringify(await everything(t))).not.toMatch(new RegExp(`(?<![0-9])${code}(?![0-9])`));
  });

  test("OTP-6: dead after 5 wrong codes, even when right", async () => {
    const { signIn, codeFor } = phoneApp();
    const code = await codeFor(NUMBER);
    const wrong = code.replace(/./, (digit) => String((Number(digit) + 1) % 10));
    for (let i = 0; i < 5; i++) expectFailure(await signIn({ phone: NUMBER, code: wrong }), "INVALID_CODE");
    expectFailure(await signIn({ phone: NUMBER, code }), "INVALID_CODE");
  });

  test("RL-3: texts to one number are limited, and over the limit none is sent", async () => {
    const { t, box, signIn } = phoneApp({ resendCooldownMs: 0 });
    for (let i = 0; i < 10; i++) {
      expect((await signIn({ phone: NUMBER })).kind).toBe("codeSent");
      await sendScheduled(t);
    }
    expectFailure(await signIn({ phone: NUMBER }), "RATE_LIMITED");
    await sendScheduled(t);
    expect(box.texts).toHaveLength(10);
  });

  test("EN-1: known and unknown numbers answer alike and write alike", async () => {
    const { t, signIn } = phoneApp();
    const userId = await t.run((ctx) => ctx.db.insert("users", { phone: NUMBER, phoneVerificationTime: 1 }));
    await t.mutation(components.warden.accounts.create, { userId, provider: "phone", providerAccountId: NUMBER });
    // The app's first send also schedules housekeeping; measure the ones after it.
    await signIn({ phone: "+447700900999" });
    const before = await rowCounts(t);
    const known = await signIn({ phone: NUMBER });
    const middle = await rowCounts(t);
    const unknown = await signIn({ phone: "+447700900124" });
    const after = await rowCounts(t);
    expect({ ...known, destination: "" }).toEqual({ ...unknown, destination: "" });
    const delta = (from: Record<string, number>, to: Record<string, number>) =>
      Object.fromEntries(Object.keys(to).map((table) => [table, to[table]! - from[table]!]));
    expect(delta(before, middle)).toEqual(delta(middle, after));
    expect(delta(before, middle)).toMatchObject({ users: 0, accounts: 0, challenges: 1 });
  });
});

describe("phone numbers", () => {
  test("normalize to E.164: separators dropped, the country code required", () => {
    expect(normalizePhone(" +1 (415) 555-0132 ")).toBe("+14155550132");
    expect(normalizePhone("+33.6.12.34.56.78")).toBe("+33612345678");
    expect(normalizePhone("4155550132")).toBeNull();
    expect(normalizePhone("+1 415 555 0132 x")).toBeNull();
    expect(normalizePhone("+".padEnd(100, "1"))).toBeNull();
  });
});
