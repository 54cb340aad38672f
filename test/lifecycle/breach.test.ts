// @vitest-environment node
import { createHash } from "node:crypto";
import { anyApi, type FunctionReference } from "convex/server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { Password, pwnedPasswordCheck, type PasswordOptions } from "convex-warden/providers/Password";
import { asTestUser } from "convex-warden/test";
import type { SignInResult } from "../../src/shared/results";
import { fastHasher } from "../accounts/support";
import { loadedExampleApp } from "../codes/loaded";
import { everything, outbox, sendScheduled } from "../codes/support";
import { refusedUrl, sha1Hex, startRangeServer, type RangeServer } from "../password/rangeServer";
import { expectFailure, tokensOf } from "../setup";

/**
 * The breached-password check (PW-7) through the flows, against a Pwned
 * Passwords range API on loopback: the check action asks it, and every
 * password set (sign-up, reset, change) needs the clearance it gave.
 */
const BREACHED = "Tr0ub4dor&3 horse";
const CLEAN = "glacier vellum 93 quietly";
const ALSO_CLEAN = "orchid lantern 17 sideways";
const ADA = "ada@example.com";

let server: RangeServer;
beforeAll(async () => {
  server = await startRangeServer({ [BREACHED]: 37_615 });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.mode = { kind: "normal" };
});
afterEach(() => void vi.useRealTimers());

type Check = { ok: true; clearance?: string; expiresInMs?: number } | { ok: false; reason: string };
const checkRef = anyApi.passwordCheck!.check as unknown as FunctionReference<"action", "public", { password: string }, Check>;
const signInRef = anyApi.auth!.signIn as unknown as FunctionReference<"mutation", "public", Record<string, unknown>, SignInResult>;

async function breachApp(onUnavailable: "allow" | "reject", options: Partial<PasswordOptions<"password">> = {}, baseUrl = server.url) {
  const box = outbox();
  const password = Password({
    hasher: fastHasher,
    breachCheck: pwnedPasswordCheck({ onUnavailable, baseUrl, timeoutMs: 300 }),
    email: { appName: "Acme", sender: box.email },
    ...options,
  });
  const t = await loadedExampleApp(
    { providers: [password], logLevel: "silent" },
    { passwordCheck: { check: password.checkAction({ logLevel: "silent" }) } },
  );
  const check = (candidate: string) => t.action(checkRef, { password: candidate });
  const call = (params: Record<string, unknown>, as: Pick<typeof t, "mutation"> = t) =>
    as.mutation(signInRef, { provider: "password", params });
  const clearanceFor = async (candidate: string) => {
    const checked = await check(candidate);
    if (!checked.ok || checked.clearance === undefined) throw new Error(`no clearance: ${JSON.stringify(checked)}`);
    return checked.clearance;
  };
  const signUp = async (email = ADA, candidate = CLEAN) =>
    asTestUser(t, tokensOf(await call({ flow: "signUp", email, password: candidate, clearance: await clearanceFor(candidate) })));
  return { t, box, check, call, clearanceFor, signUp };
}

const rejection = (result: SignInResult) => (result.kind === "failed" && result.error.code === "PASSWORD_REJECTED" ? result.error.reason : null);

describe("the check action (PW-7)", () => {
  test("a breached password is refused with its reason, and gets no clearance", async () => {
    const app = await breachApp("reject");
    expect(await app.check(BREACHED)).toEqual({ ok: false, reason: "breached" });
  });

  test("only the 5-character SHA-1 prefix leaves, with padding on", async () => {
    const app = await breachApp("reject");
    await app.check(CLEAN);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.url).toBe(`/range/${sha1Hex(CLEAN).slice(0, 5)}`);
    expect(request!.headers["add-padding"]).toBe("true");
    const sent = [request!.url, ...request!.rawHeaders, request!.body].join("\n").toUpperCase();
    expect(sent).not.toContain(sha1Hex(CLEAN).slice(5, 15));
    expect(sent).not.toContain(CLEAN.toUpperCase());
  });

  test("the rest of the policy runs first, without asking the service", async () => {
    const app = await breachApp("reject");
    expect(await app.check("short")).toEqual({ ok: false, reason: "too_short" });
    expect(await app.check("password123")).toEqual({ ok: false, reason: "common" });
    expect(server.requests).toHaveLength(0);
  });

  test("a clean password gets a clearance good for 10 minutes", async () => {
    const app = await breachApp("reject");
    expect(await app.check(CLEAN)).toEqual({ ok: true, clearance: expect.stringMatching(/^[\w-]{43}\.[\w-]{43}$/), expiresInMs: 600_000 });
  });

  test("without a breach check it answers, and gives no clearance (none is needed)", async () => {
    const app = await breachApp("reject", { breachCheck: undefined });
    expect(await app.check(CLEAN)).toEqual({ ok: true });
    expect(await app.check("password123")).toEqual({ ok: false, reason: "common" });
    expect((await app.call({ flow: "signUp", email: ADA, password: CLEAN })).kind).toBe("signedIn");
  });
});

describe("an outage under each policy (PW-7)", () => {
  const outages = {
    "a 503": () => void (server.mode = { kind: "status", status: 503 }),
    "a body that is not the range format": () => void (server.mode = { kind: "body", body: "<html>maintenance</html>" }),
    "no answer before the timeout": () => void (server.mode = { kind: "hang" }),
  };

  for (const [outage, start] of Object.entries(outages)) {
    test(`${outage}: fail-closed refuses with breach_check_unavailable; fail-open gives a clearance`, async () => {
      start();
      const closed = await breachApp("reject");
      expect(await closed.check(CLEAN)).toEqual({ ok: false, reason: "breach_check_unavailable" });
      const open = await breachApp("allow");
      const clearance = await open.clearanceFor(CLEAN);
      expect((await open.call({ flow: "signUp", email: ADA, password: CLEAN, clearance })).kind).toBe("signedIn");
      // Fail-open opens only for the outage: a breached password is still refused when the service answers.
      server.mode = { kind: "normal" };
      expect(await open.check(BREACHED)).toEqual({ ok: false, reason: "breached" });
    });
  }

  test("a refused connection, under each policy", async () => {
    const nowhere = await refusedUrl();
    expect(await (await breachApp("reject", {}, nowhere)).check(CLEAN)).toEqual({ ok: false, reason: "breach_check_unavailable" });
    expect(await (await breachApp("allow", {}, nowhere)).check(CLEAN)).toMatchObject({ ok: true, clearance: expect.any(String) });
  });
});

describe("every password set needs the clearance for that password", () => {
  test("sign-up: none, another password's, a used one and an expired one are all refused", async () => {
    const app = await breachApp("reject");
    expect(rejection(await app.call({ flow: "signUp", email: ADA, password: CLEAN }))).toBe("breach_check_required");
    const forOther = await app.clearanceFor(ALSO_CLEAN);
    expect(rejection(await app.call({ flow: "signUp", email: ADA, password: CLEAN, clearance: forOther }))).toBe("breach_check_required");
    expect(rejection(await app.call({ flow: "signUp", email: ADA, password: CLEAN, clearance: "forged.clearance" }))).toBe(
      "breach_check_required",
    );
    // A breached password with a clean one's clearance.
    expect(rejection(await app.call({ flow: "signUp", email: ADA, password: BREACHED, clearance: forOther }))).toBe("breach_check_required");
    // The other password's clearance was not spent by those attempts.
    expect((await app.call({ flow: "signUp", email: ADA, password: ALSO_CLEAN, clearance: forOther })).kind).toBe("signedIn");
    expect(rejection(await app.call({ flow: "signUp", email: "bob@example.com", password: ALSO_CLEAN, clearance: forOther }))).toBe(
      "breach_check_required",
    );
    const late = await app.clearanceFor(CLEAN);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 10 * 60_000 + 1);
    expect(rejection(await app.call({ flow: "signUp", email: "bob@example.com", password: CLEAN, clearance: late }))).toBe(
      "breach_check_required",
    );
  });

  test("with verification on, the sign-up's clearance covers the password the code later sets", async () => {
    const app = await breachApp("reject", { verify: true });
    const clearance = await app.clearanceFor(CLEAN);
    expect((await app.call({ flow: "signUp", email: ADA, password: CLEAN, clearance })).kind).toBe("codeSent");
    await sendScheduled(app.t);
    const code = app.box.codeFor(ADA);
    expect((await app.call({ flow: "emailVerification", email: ADA, password: CLEAN, code })).kind).toBe("signedIn");
  });

  test("reset: the new password needs its clearance, and a wrong code does not spend it", async () => {
    const app = await breachApp("reject", { reset: true });
    await app.signUp();
    await app.call({ flow: "reset", email: ADA });
    await sendScheduled(app.t);
    const code = app.box.codeFor(ADA);
    expect(rejection(await app.call({ flow: "resetVerification", email: ADA, code, newPassword: ALSO_CLEAN }))).toBe("breach_check_required");
    const clearance = await app.clearanceFor(ALSO_CLEAN);
    expectFailure(await app.call({ flow: "resetVerification", email: ADA, code: "00000000", newPassword: ALSO_CLEAN, clearance }), "INVALID_CODE");
    expect((await app.call({ flow: "resetVerification", email: ADA, code, newPassword: ALSO_CLEAN, clearance })).kind).toBe("signedIn");
  });

  test("change: the new password needs its clearance", async () => {
    const app = await breachApp("reject");
    const ada = await app.signUp();
    expect(rejection(await app.call({ flow: "change", newPassword: ALSO_CLEAN }, ada.as))).toBe("breach_check_required");
    const clearance = await app.clearanceFor(ALSO_CLEAN);
    expect((await app.call({ flow: "change", newPassword: ALSO_CLEAN, clearance }, ada.as)).kind).toBe("signedIn");
  });

  test("a clearance row says nothing about its password: no plaintext, no unkeyed hash", async () => {
    const app = await breachApp("reject");
    const clearance = await app.clearanceFor(CLEAN);
    const stored = JSON.stringify(await everything(app.t));
    const digests = ["sha1", "sha256"].flatMap((algorithm) => {
      const hex = createHash(algorithm).update(CLEAN).digest("hex");
      return [hex, hex.toUpperCase()];
    });
    for (const secret of [CLEAN, ...digests, ...clearance.split(".")]) expect(stored).not.toContain(secret);
  });

  test("the check logs an outage without the password", async () => {
    server.mode = { kind: "status", status: 503 };
    const password = Password({ hasher: fastHasher, breachCheck: pwnedPasswordCheck({ onUnavailable: "reject", baseUrl: server.url }) });
    const t = await loadedExampleApp(
      { providers: [password], logLevel: "silent" },
      { passwordCheck: { check: password.checkAction({ logLevel: "debug" }) } },
    );
    const lines: unknown[][] = [];
    const spies = (["error", "warn", "info", "debug"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args)),
    );
    try {
      await t.action(checkRef, { password: CLEAN });
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(JSON.stringify(lines)).toContain("breached-password check unavailable");
    expect(JSON.stringify(lines)).not.toContain(CLEAN);
  });
});
