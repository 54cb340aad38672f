import { describe, expect, test } from "vitest";
import { importV1Accounts } from "convex-warden/migration";
import { planAccount, resolveMappings, type V1AccountRow } from "../../src/migration/v1Accounts";

const row = (provider: string, providerAccountId: string, secret?: string): V1AccountRow => ({
  _id: "v1account",
  userId: "user1",
  provider,
  providerAccountId,
  ...(secret === undefined ? {} : { secret }),
});

describe("how a v1 account maps to a convex-warden account", () => {
  test("by default: password identifiers as convex-warden normalizes emails, every other provider's exactly", () => {
    const mappingOf = resolveMappings();
    expect(planAccount(row("password", "  Ada@Example.COM ", "salt:key"), mappingOf)).toEqual({
      kind: "import",
      account: { userId: "user1", provider: "password", providerAccountId: "ada@example.com", secret: "salt:key" },
    });
    // OAuth subjects are opaque: never lower-cased.
    expect(planAccount(row("google", "AbC123"), mappingOf)).toEqual({
      kind: "import",
      account: { userId: "user1", provider: "google", providerAccountId: "AbC123" },
    });
    expect(planAccount(row("password", "not an email"), mappingOf)).toEqual({ kind: "invalidEmail" });
  });

  test("mapped: another provider id, email identifiers for a code provider, providers left out", () => {
    const mappingOf = resolveMappings({
      // v1's Password under another id: its identifiers are emails too, which the mapping says.
      "password-custom": { id: "password", identifier: "email" },
      // A provider that was renamed, identifiers as they are.
      "github-enterprise": { id: "github" },
      "resend-otp": { id: "email", identifier: "email" },
      anonymous: false,
    });
    expect(planAccount(row("password-custom", "Ada@Example.com"), mappingOf)).toMatchObject({
      account: { provider: "password", providerAccountId: "ada@example.com" },
    });
    expect(planAccount(row("github-enterprise", "Octo42"), mappingOf)).toMatchObject({
      account: { provider: "github", providerAccountId: "Octo42" },
    });
    expect(planAccount(row("resend-otp", "Ada@Example.com"), mappingOf)).toMatchObject({
      account: { provider: "email", providerAccountId: "ada@example.com" },
    });
    expect(planAccount(row("anonymous", "4f9c"), mappingOf)).toEqual({ kind: "excluded" });
  });

  test("bad options are TypeErrors when the module loads", () => {
    const warden = {} as Parameters<typeof importV1Accounts>[0];
    expect(() => importV1Accounts(warden, { providers: { github: { identifier: "lower" as never } } })).toThrow(TypeError);
    expect(() => importV1Accounts(warden, { providers: { github: { id: "" } } })).toThrow(TypeError);
    expect(() => importV1Accounts(warden, { providers: { github: true as never } })).toThrow(TypeError);
    expect(() => importV1Accounts(warden, { functionsModule: "auth-import" })).toThrow(TypeError);
    expect(() => importV1Accounts(warden, { timeBudgetMs: -1 })).toThrow(TypeError);
    expect(() => importV1Accounts(warden, { providers: { anonymous: false }, functionsModule: "migrations/auth" })).not.toThrow();
  });
});
