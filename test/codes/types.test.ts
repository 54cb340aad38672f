import { expectTypeOf, test } from "vitest";
import type { AuthClient, ParamsOf, ProviderId } from "convex-warden/client";
import type { SignInArgs } from "convex-warden/server";
import { Email } from "convex-warden/providers/Email";
import { Phone } from "convex-warden/providers/Phone";
import { consoleEmail, consoleSms } from "convex-warden/delivery/console";
import { api } from "../../example/convex/_generated/api";

/**
 * `signIn("email", params)` is type-checked: in the app's own calls to its
 * `signIn` mutation and in the browser client. Checked by `tsc` (npm run
 * typecheck) and by vitest's type assertions.
 */
type Api = typeof api.auth;
type EmailParams = ParamsOf<Api, "email">;

test("the example app's signIn knows the email provider and its params", () => {
  expectTypeOf<"email">().toExtend<ProviderId<Api>>();
  expectTypeOf<{ email: string }>().toExtend<EmailParams>();
  expectTypeOf<{ email: string; locale: string }>().toExtend<EmailParams>();
  expectTypeOf<{ email: string; code: string }>().toExtend<EmailParams>();
  expectTypeOf<{ code: string; verifier: string }>().toExtend<EmailParams>();
  // A form's extra fields (profile) are allowed beside the declared ones.
  expectTypeOf<{ email: string; name: string }>().toExtend<EmailParams>();

  expectTypeOf<{ email: number }>().not.toExtend<EmailParams>();
  expectTypeOf<{ verifier: string }>().not.toExtend<EmailParams>();
  expectTypeOf<Record<string, never>>().not.toExtend<EmailParams>();
});

test("a Phone provider's params are typed the same way", () => {
  const providers = [
    Email({ appName: "Acme", sender: consoleEmail({ production: false }) }),
    Phone({ appName: "Acme", sender: consoleSms({ production: false }) }),
  ] as const;
  type Args = SignInArgs<typeof providers>;
  expectTypeOf<{ provider: "phone"; params: { phone: string } }>().toExtend<Args>();
  expectTypeOf<{ provider: "phone"; params: { phone: string; code: string } }>().toExtend<Args>();
  expectTypeOf<{ provider: "phone"; params: { email: string } }>().not.toExtend<Args>();
  expectTypeOf<{ provider: "sms"; params: { phone: string } }>().not.toExtend<Args>();
});

/** Never called: `tsc` checks these lines, and each marked one must be an error. */
export function clientCalls(auth: AuthClient<Api>) {
  void auth.signIn("email", { email: "ada@example.com" });
  void auth.signIn("email", { email: "ada@example.com", code: "12345678" });
  void auth.signIn("email", { code: "link-token", verifier: "browser-verifier" });
  // @ts-expect-error the address is a string
  void auth.signIn("email", { email: 42 });
  // @ts-expect-error a code needs its address
  void auth.signIn("email", { verifier: "browser-verifier" });
  // @ts-expect-error no such provider
  void auth.signIn("emial", { email: "ada@example.com" });
}
