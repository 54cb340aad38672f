import { v } from "convex/values";
import { describe, expect, test } from "vitest";
import { check } from "../src/lib/validate";

describe("check against Convex validators", () => {
  const params = v.object({
    flow: v.union(v.literal("signIn"), v.literal("signUp")),
    email: v.string(),
    age: v.optional(v.number()),
    tags: v.optional(v.array(v.string())),
    prefs: v.optional(v.record(v.string(), v.boolean())),
    nested: v.optional(v.object({ on: v.boolean() })),
  });

  test("accepts what the validator declares and drops undeclared fields", () => {
    const result = check(params, { flow: "signIn", email: "a@b.co", extra: "dropped", tags: ["x"], nested: { on: true } });
    expect(result).toEqual({ ok: true, value: { flow: "signIn", email: "a@b.co", tags: ["x"], nested: { on: true } } });
  });

  test.each([
    [{ email: "a@b.co" }, "flow"],
    [{ flow: "signOut", email: "a@b.co" }, "flow"],
    [{ flow: "signIn", email: 42 }, "email"],
    [{ flow: "signIn", email: "a@b.co", age: "old" }, "age"],
    [{ flow: "signIn", email: "a@b.co", tags: ["x", 1] }, "tags[1]"],
    [{ flow: "signIn", email: "a@b.co", prefs: { dark: "yes" } }, "prefs.dark"],
    [{ flow: "signIn", email: "a@b.co", nested: { on: 1 } }, "nested.on"],
    [null, "(params)"],
    [["flow"], "(params)"],
  ])("refuses %j naming %s", (value, field) => {
    const result = check(params, value);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.field).toBe(field);
  });

  test("a field set to undefined counts as absent", () => {
    expect(check(params, { flow: "signUp", email: "a@b.co", age: undefined }).ok).toBe(true);
    expect(check(params, { flow: "signUp", email: undefined }).ok).toBe(false);
  });

  test("oversized strings are refused", () => {
    expect(check(v.string(), "x".repeat((1 << 20) + 1)).ok).toBe(false);
  });

  test("unions of objects pick the member that fits", () => {
    const either = v.union(v.object({ email: v.string() }), v.object({ email: v.string(), code: v.string() }));
    expect(check(either, { email: "a@b.co", code: "123" })).toEqual({ ok: true, value: { email: "a@b.co", code: "123" } });
    expect(check(either, { email: "a@b.co" })).toEqual({ ok: true, value: { email: "a@b.co" } });
    expect(check(either, { email: "a@b.co", name: "Ada" })).toEqual({ ok: true, value: { email: "a@b.co" } });
  });

  test("a union's failure names the field of the member the value names by its literals", () => {
    const flows = v.union(
      v.object({ flow: v.literal("signIn"), email: v.string() }),
      v.object({ flow: v.literal("reset"), email: v.string(), locale: v.optional(v.string()) }),
    );
    expect(check(flows, { flow: "reset", email: 42 })).toMatchObject({ ok: false, field: "email" });
    expect(check(flows, { flow: "reset", email: "a@b.co", locale: 1 })).toMatchObject({ ok: false, field: "locale" });
    // Naming no member, the first member's failure is reported.
    expect(check(flows, { flow: "other" })).toMatchObject({ ok: false, field: "flow" });
  });
});
