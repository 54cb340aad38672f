// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { countInRange, pwnedPasswordCheck, type BreachCheckResult } from "../../src/lib/password/breached";
import { newPasswordPolicy } from "../../src/lib/password/newPassword";
import { refusedUrl, sha1Hex, startRangeServer, type RangeServer } from "./rangeServer";

// A real HTTP server on loopback stands in for api.pwnedpasswords.com.
const BREACHED = { password: "Tr0ub4dor&3 horse", count: 37_615 };
const CLEAN = "glacier vellum 93 quietly";
/** Served only as a padding line (count 0) in its range: still clean. */
const PADDED = "orchid lantern 17 sideways";

let server: RangeServer;
beforeAll(async () => {
  server = await startRangeServer({ [BREACHED.password]: BREACHED.count, "another leaked one": 12 });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.mode = { kind: "normal" };
  server.paddingFor.clear();
});

const checker = (onUnavailable: "allow" | "reject", extra: { timeoutMs?: number; baseUrl?: string } = {}) =>
  pwnedPasswordCheck({ onUnavailable, baseUrl: server.url, ...extra });

describe("the range lookup", () => {
  test("a breached password is found with its count", async () => {
    expect(await checker("reject")(BREACHED.password)).toEqual({ status: "breached", count: BREACHED.count });
  });

  test("a password outside the corpus is clean", async () => {
    expect(await checker("reject")(CLEAN)).toEqual({ status: "clean" });
  });

  test("a suffix that only appears as a padding line (count 0) is clean", async () => {
    server.paddingFor.add(sha1Hex(PADDED));
    expect(await checker("reject")(PADDED)).toEqual({ status: "clean" });
    // The padding line really was in the answer the checker read.
    const answered = await fetch(`${server.url}/range/${sha1Hex(PADDED).slice(0, 5)}`, { headers: { "Add-Padding": "true" } });
    expect(await answered.text()).toContain(`${sha1Hex(PADDED).slice(5)}:0`);
  });

  test("only the 5-character SHA-1 prefix leaves, upper-case hex, with Add-Padding", async () => {
    for (const password of [BREACHED.password, CLEAN, "pässwörd 🔐 ünïcode"]) {
      server.requests.length = 0;
      await checker("reject")(password);
      const hash = sha1Hex(password);
      expect(server.requests).toHaveLength(1);
      const [request] = server.requests;
      expect(request!.method).toBe("GET");
      expect(request!.url).toBe(`/range/${hash.slice(0, 5)}`);
      expect(request!.headers["add-padding"]).toBe("true");
      expect(request!.body).toBe("");
      // Nothing else about the password anywhere: not in the request line,
      // not in any header name or value.
      const everything = [request!.method, request!.url, ...request!.rawHeaders].join("\n").toUpperCase();
      for (const secret of [hash, hash.slice(5), hash.slice(5, 15), password.toUpperCase(), encodeURIComponent(password).toUpperCase()]) {
        expect(everything).not.toContain(secret);
      }
    }
  });

  test("a base URL with a path (a proxy) keeps its path", async () => {
    const result = await checker("reject", { baseUrl: `${server.url}/hibp/` })(BREACHED.password);
    expect(result).toEqual({ status: "breached", count: BREACHED.count });
    expect(server.requests[0]!.url).toBe(`/hibp/range/${sha1Hex(BREACHED.password).slice(0, 5)}`);
  });
});

describe("when the service cannot answer, the configured policy is applied", () => {
  const outages: { name: string; setUp: () => Promise<{ baseUrl?: string; timeoutMs?: number }>; expected: Partial<BreachCheckResult> }[] = [
    { name: "a 500", setUp: async () => ((server.mode = { kind: "status", status: 500 }), {}), expected: { failure: "http_status", httpStatus: 500 } },
    { name: "a 429", setUp: async () => ((server.mode = { kind: "status", status: 429 }), {}), expected: { failure: "http_status", httpStatus: 429 } },
    { name: "no answer within timeoutMs", setUp: async () => ((server.mode = { kind: "hang" }), { timeoutMs: 150 }), expected: { failure: "timeout" } },
    { name: "a body that stalls past timeoutMs", setUp: async () => ((server.mode = { kind: "stallBody" }), { timeoutMs: 150 }), expected: { failure: "timeout" } },
    { name: "connection refused", setUp: async () => ({ baseUrl: await refusedUrl() }), expected: { failure: "network" } },
    { name: "a garbage body", setUp: async () => ((server.mode = { kind: "body", body: "<html>rate limited</html>" }), {}), expected: { failure: "malformed" } },
    { name: "an empty body", setUp: async () => ((server.mode = { kind: "body", body: "" }), {}), expected: { failure: "malformed" } },
  ];

  for (const onUnavailable of ["allow", "reject"] as const) {
    test.each(outages)(`onUnavailable "${onUnavailable}": $name`, async ({ setUp, expected }) => {
      const options = await setUp();
      const started = performance.now();
      const result = await checker(onUnavailable, options)(BREACHED.password);
      expect(result).toEqual({ status: "unavailable", policy: onUnavailable, ...expected });
      if (options.timeoutMs !== undefined) expect(performance.now() - started).toBeLessThan(2000);

      const policy = newPasswordPolicy({ breachCheck: checker(onUnavailable, options) });
      const verdict = await policy.check(BREACHED.password);
      if (onUnavailable === "allow") {
        expect(verdict).toMatchObject({ ok: true, normalized: BREACHED.password, breach: { status: "unavailable" } });
      } else {
        expect(verdict).toMatchObject({ ok: false, reason: "breach_check_unavailable" });
      }
    });
  }
});

describe("through the new-password policy", () => {
  test("a breached password is refused as breached, a clean one accepted", async () => {
    const policy = newPasswordPolicy({ breachCheck: checker("allow") });
    expect(await policy.check(BREACHED.password)).toEqual({
      ok: false,
      reason: "breached",
      breach: { status: "breached", count: BREACHED.count },
    });
    expect(await policy.check(CLEAN)).toEqual({ ok: true, normalized: CLEAN, breach: { status: "clean" } });
  });

  test("passwords the local rules refuse are never sent", async () => {
    const policy = newPasswordPolicy({ breachCheck: checker("reject") });
    expect(await policy.check("short")).toMatchObject({ ok: false, reason: "too_short" });
    expect(await policy.check("Password123")).toMatchObject({ ok: false, reason: "common" });
    expect(await policy.check("x".repeat(2000))).toMatchObject({ ok: false, reason: "too_long" });
    expect(server.requests).toEqual([]);
  });

  test("checkOffline never calls the service", async () => {
    const policy = newPasswordPolicy({ breachCheck: checker("reject") });
    expect(await policy.checkOffline(BREACHED.password)).toEqual({ ok: true, normalized: BREACHED.password, breach: null });
    expect(server.requests).toEqual([]);
  });

  test("the password checked is the NFKC form that will be stored", async () => {
    const fullWidth = "ｇｌａｃｉｅｒ ｖｅｌｌｕｍ ９３ ｑｕｉｅｔｌｙ";
    expect(fullWidth.normalize("NFKC")).toBe(CLEAN);
    await newPasswordPolicy({ breachCheck: checker("reject") }).check(fullWidth);
    expect(server.requests.map((request) => request.url)).toEqual([`/range/${sha1Hex(CLEAN).slice(0, 5)}`]);
  });
});

describe("range bodies and options", () => {
  const suffix = sha1Hex("x").slice(5);
  test("counts the matching line, ignores padding, refuses anything else", () => {
    expect(countInRange(`${"0".repeat(35)}:3\r\n${suffix}:42\r\n`, suffix)).toBe(42);
    expect(countInRange(`${suffix}:0\r\n${"0".repeat(35)}:0`, suffix)).toBe(0);
    expect(countInRange(`${"0".repeat(35)}:3`, suffix)).toBe(0);
    for (const bad of ["", "\r\n", `${suffix}:`, `${suffix.toLowerCase()}:4`, `${suffix}:4\r\noops`, `${suffix.slice(1)}:4`, `${suffix}:-1`]) {
      expect(countInRange(bad, suffix)).toBeNull();
    }
  });

  test("bad options are TypeErrors", () => {
    const bad = [
      {},
      { onUnavailable: "maybe" },
      { onUnavailable: "allow", timeoutMs: 0 },
      { onUnavailable: "allow", timeoutMs: 1.5 },
      { onUnavailable: "allow", timeoutMs: 120_000 },
      { onUnavailable: "allow", baseUrl: "api.pwnedpasswords.com" },
      { onUnavailable: "allow", baseUrl: "ftp://example.com" },
      { onUnavailable: "allow", baseUrl: "https://example.com/?key=1" },
    ];
    for (const options of bad) {
      expect(() => pwnedPasswordCheck(options as never)).toThrow(TypeError);
    }
    expect(() => pwnedPasswordCheck({ onUnavailable: "reject" })).not.toThrow();
  });

  test("an injected fetch is used, and one that ignores the abort signal still times out", async () => {
    const calls: string[] = [];
    const stuck: typeof fetch = (input) => {
      calls.push(String(input));
      return new Promise<Response>(() => undefined);
    };
    const result = await pwnedPasswordCheck({ onUnavailable: "allow", fetch: stuck, timeoutMs: 50 })(CLEAN);
    expect(result).toEqual({ status: "unavailable", failure: "timeout", policy: "allow" });
    expect(calls).toEqual([`https://api.pwnedpasswords.com/range/${sha1Hex(CLEAN).slice(0, 5)}`]);
  });
});
