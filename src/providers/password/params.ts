import { v } from "convex/values";

/**
 * The params of each flow, as clients pass them to `signIn("password", …)`.
 * Each flow names itself with `flow`, so a bad field is reported as that
 * flow's. `locale` picks the language of the message a flow sends;
 * `clearance` is what the check action returned for the new password, when
 * the app checks passwords against breaches.
 */
const locale = v.optional(v.string());
const clearance = v.optional(v.string());

const flow = v.union(v.literal("signIn"), v.literal("signUp"));
/** `{ flow: "signIn" | "signUp", email, password }`: one member, as before the other flows existed. */
const credentials = v.object({ flow, email: v.string(), password: v.string(), clearance, locale });
const usernameCredentials = v.object({ flow, username: v.string(), password: v.string(), clearance });

/** `{ flow: "change", newPassword, currentPassword? }`: signed in, a new password. */
const change = v.object({ flow: v.literal("change"), newPassword: v.string(), currentPassword: v.optional(v.string()), clearance });

/** The flows of an email-keyed provider. Those whose options are off throw UNSUPPORTED_FLOW. */
export const emailParams = v.union(
  credentials,
  /** The verification code, with the password it was sent for. */
  v.object({ flow: v.literal("emailVerification"), email: v.string(), password: v.string(), code: v.string() }),
  /** Asks for a reset code or link. */
  v.object({ flow: v.literal("reset"), email: v.string(), locale }),
  /** The reset code and the new password. */
  v.object({ flow: v.literal("resetVerification"), email: v.string(), code: v.string(), newPassword: v.string(), clearance }),
  /** The reset link's token (`wardenReset`) and the new password. */
  v.object({ flow: v.literal("resetVerification"), token: v.string(), newPassword: v.string(), clearance }),
  change,
  /** Signed in: sends a code to the new address. */
  v.object({ flow: v.literal("changeEmail"), newEmail: v.string(), currentPassword: v.optional(v.string()), locale }),
  /** Signed in: the code from the new address. */
  v.object({ flow: v.literal("changeEmailVerification"), newEmail: v.string(), code: v.string(), locale }),
  /** A verification link's token, as the client redeems it on load, with the verifier it kept. */
  v.object({ code: v.string(), verifier: v.optional(v.string()) }),
);

/** The flows of a username-keyed provider: no email, so no verification, reset or email change. */
export const usernameParams = v.union(usernameCredentials, change);
