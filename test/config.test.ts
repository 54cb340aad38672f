import { describe, expect, test } from "vitest";
import { convexAuth, type ConvexAuthOptions } from "convex-warden/server";
import { Password } from "convex-warden/providers/Password";
import { components } from "../example/convex/_generated/api";

/** Asserts that the options are refused when `convex/auth.ts` loads, naming the option. */
function expectRefused(options: Partial<ConvexAuthOptions>, option: string) {
  let thrown: unknown;
  try {
    convexAuth(components.warden, { providers: [Password()], ...options });
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(TypeError);
  expect(thrown).toMatchObject({ code: "INVALID_CONFIG", option });
}

describe("options refused at configuration time", () => {
  test("no providers", () => expectRefused({ providers: [] }, "providers"));

  test("two providers with one id", () => expectRefused({ providers: [Password(), Password()] }, "providers"));

  test("a failure window under a minute, which would turn the limiter off", () => {
    expectRefused({ rateLimits: { failedSignIns: { max: 100, windowMs: 1 } } }, "rateLimits.failedSignIns.windowMs");
    expectRefused({ rateLimits: { failedSignIns: { windowMs: 59_999 } } }, "rateLimits.failedSignIns.windowMs");
  });

  test("more than 100 failures, or none", () => {
    expectRefused({ rateLimits: { failedSignIns: { max: 101 } } }, "rateLimits.failedSignIns.max");
    expectRefused({ rateLimits: { failedSignIns: { max: 0 } } }, "rateLimits.failedSignIns.max");
  });

  test("an idle timeout longer than the session's whole lifetime", () => {
    expectRefused({ session: { totalDurationMs: 86_400_000, inactiveDurationMs: 86_400_001 } }, "session.inactiveDurationMs");
  });

  test("a token lifetime over an hour, a grace window over a minute, a log level that does not exist", () => {
    expectRefused({ jwt: { durationMs: 3_600_001 } }, "jwt.durationMs");
    expectRefused({ session: { refreshGraceMs: 60_001 } }, "session.refreshGraceMs");
    expectRefused({ logLevel: "verbose" as never }, "logLevel");
  });

  test("the boundaries themselves are accepted", () => {
    expect(() =>
      convexAuth(components.warden, {
        providers: [Password()],
        rateLimits: { failedSignIns: { max: 100, windowMs: 60_000 } },
        session: { totalDurationMs: 86_400_000, inactiveDurationMs: 86_400_000 },
      }),
    ).not.toThrow();
  });
});

test("Password refuses a minimum length outside 1 to 256", () => {
  for (const minLength of [0, 257, 8.5]) {
    expect(() => Password({ minLength })).toThrow(expect.objectContaining({ code: "INVALID_CONFIG", option: "Password.minLength" }));
  }
});
