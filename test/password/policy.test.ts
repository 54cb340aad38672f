import { describe, expect, test } from "vitest";
import { PASSWORD_REJECTION_REASONS } from "../../src/shared/errors";
import type { BreachChecker } from "../../src/lib/password/breached";
import { exceedsUtf8Bytes, hasCodePoints, normalizeBounded } from "../../src/lib/password/measure";
import { checkPasswordLength, newPasswordPolicy, type NewPasswordCheck } from "../../src/lib/password/newPassword";
import { NEW_PASSWORD_REJECTIONS } from "../../src/lib/password/rejections";

// Runs in edge-runtime (vitest.config.ts). The breach check against a real
// server is in breached.test.ts.

const FDFA = "\uFDFA"; // ARABIC LIGATURE SALLALLAHOU ALAYHE WASALLAM: 18 code points, 33 bytes, after NFKC
const LIMITS = { minLength: 8, maxBytes: 1024 };

/** A string whose `normalize` counts its calls, to see whether the policy got that far. */
function watched(text: string) {
  const calls = { normalize: 0 };
  const value = Object.assign(new String(text), {
    normalize(form?: string) {
      calls.normalize++;
      return text.normalize(form);
    },
  });
  return { value: value as unknown as string, calls };
}

const reasonOf = (check: NewPasswordCheck) => (check.ok ? null : check.reason);

describe("the byte cap runs on the raw input first", () => {
  test("1 MiB of U+FDFA is too_long in under 5 ms, without normalize() ever running", async () => {
    const huge = FDFA.repeat(1024 * 1024);
    const { value, calls } = watched(huge);
    const started = performance.now();
    expect(checkPasswordLength(value, LIMITS)).toEqual({ ok: false, reason: "too_long" });
    const elapsed = performance.now() - started;
    expect(calls.normalize).toBe(0);
    expect(elapsed).toBeLessThan(5);
    expect(reasonOf(await newPasswordPolicy().check(value))).toBe("too_long");
    expect(calls.normalize).toBe(0);
  });

  test("the cap is on bytes, not UTF-16 length: 400 x U+FDFA (1200 bytes) is refused before NFKC", () => {
    const { value, calls } = watched(FDFA.repeat(400));
    expect(value.length).toBeLessThan(1024);
    expect(checkPasswordLength(value, LIMITS)).toEqual({ ok: false, reason: "too_long" });
    expect(calls.normalize).toBe(0);
  });

  test("under the raw cap, NFKC runs, and a result over the cap is too_long as well", () => {
    const { value, calls } = watched(FDFA.repeat(100)); // 300 bytes raw, 3300 after NFKC
    expect(new TextEncoder().encode(FDFA.repeat(100)).length).toBe(300);
    expect(new TextEncoder().encode(FDFA.repeat(100).normalize("NFKC")).length).toBe(3300);
    expect(checkPasswordLength(value, LIMITS)).toEqual({ ok: false, reason: "too_long" });
    expect(calls.normalize).toBe(1);
  });

  test("at the cap exactly: 1024 bytes pass, 1025 do not, raw or after NFKC", () => {
    expect(checkPasswordLength("a".repeat(1024), LIMITS).ok).toBe(true);
    expect(checkPasswordLength("a".repeat(1025), LIMITS)).toEqual({ ok: false, reason: "too_long" });
    // U+FB00 (ﬀ, 3 bytes) becomes "ff" (2 bytes): 300 of them are 900 raw, 600 normalized.
    expect(checkPasswordLength("\uFB00".repeat(300), LIMITS)).toEqual({ ok: true, normalized: "f".repeat(600) });
    // U+33C2 (㏂, 3 bytes) becomes "a.m." (4 bytes): 1021 + 3 = 1024 raw passes, 1025 normalized does not.
    expect(checkPasswordLength("a".repeat(1020) + "\u33C2", LIMITS)).toEqual({ ok: true, normalized: "a".repeat(1020) + "a.m." });
    expect(checkPasswordLength("a".repeat(1021) + "\u33C2", LIMITS)).toEqual({ ok: false, reason: "too_long" });
  });

  test("64 characters of 4 bytes each are always accepted (PW-4)", () => {
    expect(checkPasswordLength("🔐".repeat(64), LIMITS).ok).toBe(true);
    expect(checkPasswordLength("🔐".repeat(64), { minLength: 8, maxBytes: 256 }).ok).toBe(true);
  });
});

describe("length in code points, after NFKC", () => {
  test("astral characters count once", () => {
    expect("🔐".repeat(8).length).toBe(16);
    expect(checkPasswordLength("🔐".repeat(7), LIMITS)).toEqual({ ok: false, reason: "too_short" });
    expect(checkPasswordLength("🔐".repeat(8), LIMITS).ok).toBe(true);
    expect(checkPasswordLength("𝒜𝒷𝒸", { minLength: 3, maxBytes: 1024 })).toEqual({ ok: true, normalized: "Abc" });
  });

  test("counted after NFKC: 4 x U+FB00 is 4 code points typed, 8 stored", () => {
    expect(checkPasswordLength("\uFB00".repeat(4), LIMITS)).toEqual({ ok: true, normalized: "ffffffff" });
    expect(checkPasswordLength("\uFB00".repeat(3), LIMITS)).toEqual({ ok: false, reason: "too_short" });
  });

  test("hasCodePoints agrees with [...text].length, lone surrogates included", () => {
    const pieces = ["a", "é", "🔐", "\uD800", "\uDC00", "中", "\uD83D"];
    for (let round = 0; round < 300; round++) {
      let text = "";
      const length = round % 20;
      for (let i = 0; i < length; i++) text += pieces[(round * 7 + i * 13) % pieces.length];
      const count = [...text].length;
      expect(hasCodePoints(text, count)).toBe(true);
      expect(hasCodePoints(text, count + 1)).toBe(false);
    }
  });

  test("exceedsUtf8Bytes agrees with TextEncoder, lone surrogates included", () => {
    const pieces = ["a", "é", "🔐", "\uD800", "\uDC00", "中", "\u07FF", "\u0800"];
    for (let round = 0; round < 300; round++) {
      let text = "";
      for (let i = 0; i < round % 25; i++) text += pieces[(round * 5 + i * 11) % pieces.length];
      const bytes = new TextEncoder().encode(text).length;
      expect(exceedsUtf8Bytes(text, bytes)).toBe(false);
      if (bytes > 0) expect(exceedsUtf8Bytes(text, bytes - 1)).toBe(true);
    }
  });

  test("normalizeBounded is the verify-time form: NFKC, or null over the cap", () => {
    expect(normalizeBounded("ｐａｓｓ", 1024)).toBe("pass");
    expect(normalizeBounded(FDFA.repeat(1024 * 1024), 1024)).toBeNull();
    expect(normalizeBounded(FDFA.repeat(100), 1024)).toBeNull();
  });
});

describe("newPasswordPolicy", () => {
  const glacier = "glacier vellum quietly";

  test("each reason code, from the one list", async () => {
    const breachedEverything: BreachChecker = async () => ({ status: "breached", count: 3 });
    const down: BreachChecker = async () => ({ status: "unavailable", failure: "timeout", policy: "reject" });
    const cases: [NewPasswordCheck, string][] = [
      [await newPasswordPolicy().check("seven77"), "too_short"],
      [await newPasswordPolicy().check("x".repeat(1025)), "too_long"],
      [await newPasswordPolicy().check("Sunshine2024!"), "common"],
      [await newPasswordPolicy({ breachCheck: breachedEverything }).check(glacier), "breached"],
      [await newPasswordPolicy({ breachCheck: down }).check(glacier), "breach_check_unavailable"],
    ];
    for (const [check, reason] of cases) {
      expect(reasonOf(check)).toBe(reason);
      expect(NEW_PASSWORD_REJECTIONS).toContain(reason);
    }
    // breach_check_required is the provider's: a password set without the check's clearance (test/lifecycle/breach.test.ts).
    const ofThePolicy = NEW_PASSWORD_REJECTIONS.filter((reason) => reason !== "breach_check_required");
    expect(new Set(cases.map(([, reason]) => reason))).toEqual(new Set(ofThePolicy));
  });

  test("the list keeps every reason the provider reports today", () => {
    for (const reason of PASSWORD_REJECTION_REASONS) expect(NEW_PASSWORD_REJECTIONS).toContain(reason);
  });

  test("an acceptable password comes back normalized, with what the breach check said", async () => {
    expect(await newPasswordPolicy().check("ｇｌａｃｉｅｒ vellum quietly")).toEqual({ ok: true, normalized: glacier, breach: null });
    const clean: BreachChecker = async () => ({ status: "clean" });
    expect(await newPasswordPolicy({ breachCheck: clean }).check(glacier)).toEqual({ ok: true, normalized: glacier, breach: { status: "clean" } });
    const downButOpen: BreachChecker = async () => ({ status: "unavailable", failure: "network", policy: "allow" });
    expect(await newPasswordPolicy({ breachCheck: downButOpen }).check(glacier)).toEqual({
      ok: true,
      normalized: glacier,
      breach: { status: "unavailable", failure: "network", policy: "allow" },
    });
  });

  test("rules run cheapest first; the breach check sees only normalized passwords that passed the rest", async () => {
    const seen: string[] = [];
    const recording: BreachChecker = async (password) => (seen.push(password), { status: "clean" });
    const policy = newPasswordPolicy({ breachCheck: recording });
    for (const password of ["short", "x".repeat(5000), "password1", "Ｐａｓｓｗｏｒｄ!"]) await policy.check(password);
    expect(seen).toEqual([]);
    await policy.check("ｇｌａｃｉｅｒ vellum quietly");
    expect(seen).toEqual([glacier]);
    expect(await policy.checkOffline("another fine passphrase")).toMatchObject({ ok: true, breach: null });
    expect(seen).toEqual([glacier]);
  });

  test("minLength and maxBytes are configurable; a custom blocklist or none", async () => {
    const strict = newPasswordPolicy({ minLength: 15, maxBytes: 256 });
    expect(reasonOf(await strict.check("fourteen chars"))).toBe("too_short");
    expect((await strict.check("fifteen chars!!")).ok).toBe(true);
    expect(reasonOf(await strict.check("a".repeat(257)))).toBe("too_long");
    expect((await newPasswordPolicy({ isCommon: false }).check("password")).ok).toBe(true);
    const custom = newPasswordPolicy({ isCommon: (password) => password.includes("acme") });
    expect(reasonOf(await custom.check("acme rocket skates"))).toBe("common");
    expect((await custom.check("password")).ok).toBe(true);
  });

  test("bad options are TypeErrors", () => {
    for (const options of [{ minLength: 0 }, { minLength: 257 }, { minLength: 8.5 }, { maxBytes: 255 }, { maxBytes: 4097 }, { maxBytes: Number.NaN }]) {
      expect(() => newPasswordPolicy(options)).toThrow(TypeError);
    }
    expect(newPasswordPolicy()).toMatchObject({ minLength: 8, maxBytes: 1024 });
  });
});
