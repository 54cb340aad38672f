import { describe, expectTypeOf, test } from "vitest";
import type { FunctionArgs, FunctionReturnType } from "convex/server";
import { createAuthClient, isWardenError, type AuthClient } from "convex-warden/client";
import { useAuthActions } from "convex-warden/react";
import type { SessionId, SignInResult, UserId } from "convex-warden/server";
import { api } from "../example/convex/_generated/api";

/**
 * Type-level checks: `tsc -p .` (in `npm test`) fails if a line marked
 * `@ts-expect-error` compiles, so each one is a type error the app or client
 * must get. The functions are never called.
 */
type SignInArgs = FunctionArgs<typeof api.auth.signIn>;

describe("api.auth.signIn's args are typed per provider", () => {
  test("the example's providers and params", () => {
    // "dev-oidc" is the example's local OpenID Provider, enabled by its env vars.
    expectTypeOf<SignInArgs["provider"]>().toEqualTypeOf<"password" | "anonymous" | "email" | "dev-oidc">();
    expectTypeOf<{ provider: "dev-oidc"; params: { redirectTo: string } }>().toExtend<SignInArgs>();
    expectTypeOf<{ provider: "password"; params: { flow: "signIn"; email: string; password: string } }>().toExtend<SignInArgs>();
    // A form's extra fields, profile fields a callback reads from rawParams, still pass.
    expectTypeOf<{ provider: "password"; params: { flow: "signUp"; email: string; password: string; name: string } }>().toExtend<SignInArgs>();
  });

  test("a wrong provider id, a missing param, a wrong flow are errors", () => {
    const args = (a: SignInArgs) => a;
    void (() => {
      // @ts-expect-error: no such provider
      args({ provider: "github", params: { flow: "signIn", email: "a@b.co", password: "x" } });
      // @ts-expect-error: password is missing
      args({ provider: "password", params: { flow: "signIn", email: "a@b.co" } });
      // @ts-expect-error: no such flow
      args({ provider: "password", params: { flow: "signOut", email: "a@b.co", password: "x" } });
    });
  });

  test("the result narrows by kind", () => {
    type Result = FunctionReturnType<typeof api.auth.signIn>;
    expectTypeOf<Result>().toEqualTypeOf<SignInResult>();
    const narrow = (result: Result) => {
      if (result.kind === "signedIn") expectTypeOf(result.tokens.refreshToken).toBeString();
      if (result.kind === "codeSent") expectTypeOf(result.destination).toBeString();
      if (result.kind === "redirect") expectTypeOf(result.verifier).toBeString();
      if (result.kind === "secondFactorRequired") expectTypeOf(result.factors).toEqualTypeOf<string[]>();
      if (result.kind === "failed" && result.error.code === "RATE_LIMITED") expectTypeOf(result.error.retryAfterMs).toBeNumber();
      if (result.kind === "failed" && result.error.code === "PASSWORD_REJECTED") {
        expectTypeOf(result.error.reason).toEqualTypeOf<"too_short" | "too_long" | "common" | "breached" | "breach_check_unavailable" | "breach_check_required">();
      }
    };
    void narrow;
  });
});

describe("the client and React bindings are typed by the app's api", () => {
  test("signIn takes only the app's providers and their params; FormData always", () => {
    const auth = createAuthClient({ url: "https://x.convex.cloud", api: api.auth });
    expectTypeOf(auth).toExtend<AuthClient<typeof api.auth>>();
    void (() => {
      void auth.signIn("password", { flow: "signIn", email: "a@b.co", password: "x" });
      void auth.signIn("password", new FormData());
      // @ts-expect-error: no such provider
      void auth.signIn("github", {});
      // @ts-expect-error: password is missing
      void auth.signIn("password", { flow: "signIn", email: "a@b.co" });
    });
    void (() => {
      const { signIn } = useAuthActions<typeof api.auth>();
      // @ts-expect-error: no such provider
      void signIn("github", {});
    });
  });

  test("without an api the client takes any provider and params", () => {
    const auth = createAuthClient({ url: "https://x.convex.cloud" });
    void (() => void auth.signIn("anything", { at: "all" }));
  });
});

describe("errors and ids", () => {
  test("isWardenError narrows the payload by code; unknown codes are still failures", () => {
    const handle = (error: unknown) => {
      if (isWardenError(error, "RATE_LIMITED")) expectTypeOf(error.data.retryAfterMs).toBeNumber();
      if (isWardenError(error)) expectTypeOf(error.data.code).toExtend<string>();
    };
    void handle;
  });

  test("a session id is not a user id", () => {
    const wantsUser = (id: UserId) => id;
    void ((session: SessionId) => {
      // @ts-expect-error: a session id where a user id is wanted
      wantsUser(session);
    });
  });
});
