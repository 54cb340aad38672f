import { v, type Value } from "convex/values";
import { createTemplates } from "../delivery/templates/index.js";
import type { Templates } from "../delivery/templates/types.js";
import { signInByCode, signInChecked } from "../lib/codes/account.js";
import { emailChannel, type EmailDelivery } from "../lib/codes/channel.js";
import { codeMessenger } from "../lib/codes/messenger.js";
import {
  resolveCode,
  resolveLink,
  resolvePacing,
  typedCode,
  type CodeOptions,
  type LinkOptions,
  type PacingOptions,
} from "../lib/codes/options.js";
import { WardenConfigError } from "../lib/configError.js";
import { normalizeEmail } from "../lib/email.js";
import { wardenError } from "../shared/errors/index.js";
import { defineProvider, type AuthProvider, type MutationStep, type StepOutcome } from "../server/provider.js";
import type { SignInParams, UserProfile } from "../server/types.js";

export type { CodeOptions, LinkOptions } from "../lib/codes/options.js";
export type { EmailDelivery, SenderModule } from "../lib/codes/channel.js";

/** Options of the `Email` provider. `sender` and `appName` are required. */
export interface EmailOptions<Id extends string = "email"> extends PacingOptions {
  /** The provider id clients pass to `signIn`. Default "email". */
  id?: Id;
  /**
   * How messages are sent: an adapter that runs in Convex's default runtime
   * (`resend`, `webhook`, `consoleEmail`), or `{ module }`, the app's
   * `"use node"` module exporting `senderAction(smtp(...))`. Required.
   */
  sender: EmailDelivery;
  /** The app's name, as messages show it. Required. */
  appName: string;
  /** Sign-in by a typed code. Default 8 digits, 10 minutes; `false` for links only. */
  code?: CodeOptions | false;
  /** Sign-in by link. Default `false`; `true` or options to send links (alone, or beside the code). */
  link?: LinkOptions | boolean;
  /** The messages. Default `createTemplates()`: English, the built-in layout. */
  templates?: Templates;
  /**
   * The profile of a user signing up: called when a code is requested, with
   * the request's params as sent (`rawParams`, unvalidated: pick the fields
   * you store and check each, throwing a `ConvexError` to refuse). Stored
   * with the code and written only if the address has no account yet.
   * `email` and `emailVerificationTime` are set by the provider. Default none.
   */
  profile?: (args: { email: string; rawParams: SignInParams }) => UserProfile | Promise<UserProfile>;
}

/** `{ email }` (or with `locale`): send a code, a link, or both. */
const request = v.object({ email: v.string(), locale: v.optional(v.string()) });
/** `{ email, code }`: the code the user typed. */
const verify = v.object({ email: v.string(), code: v.string() });
/** `{ code, verifier? }`: a link's token, brought back by the client with the verifier it kept. */
const link = v.object({ code: v.string(), verifier: v.optional(v.string()) });
// Most specific first: a form's extra fields never turn a verification into a new request.
const params = v.union(verify, link, request);

type Stores = "accounts" | "challenges" | "limits" | "users";
type Step = MutationStep<Stores>;

const LOCALE = /^[A-Za-z0-9_-]{1,35}$/;

const withoutUndefined = (profile: UserProfile): Record<string, Value> =>
  Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== undefined)) as Record<string, Value>;

/**
 * Passwordless sign-in by email: a one-time code to type, a link to open, or
 * both in one message. An address without an account signs up when its code
 * is used; the answer to a request is the same either way (EN-1).
 *
 * `signIn("email", { email })` sends; `signIn("email", { email, code })`
 * signs in; a link brings the browser back to the site with the hand-off
 * the client redeems as `signIn("email", { code, verifier })`.
 */
export function Email<const Id extends string = "email">(
  options: EmailOptions<Id>,
  // NoInfer: a call in a list of providers must not widen the id to `string`.
): AuthProvider<NoInfer<Id>, typeof params, Stores> {
  if (typeof options !== "object" || options === null) throw new WardenConfigError("Email", "needs options: { sender, appName }");
  const id = (options.id ?? "email") as Id;
  const where = `Email(${id})`;
  if (typeof options.appName !== "string" || options.appName.trim() === "") {
    throw new WardenConfigError(`${where}.appName`, "is required: the app's name as messages show it");
  }
  const code = options.code === false ? null : resolveCode(`${where}.code`, options.code ?? {}, 8);
  const linkOptions = options.link === true ? {} : options.link === false || options.link === undefined ? null : options.link;
  const landing = linkOptions === null ? null : resolveLink(`${where}.link`, linkOptions);
  if (code === null && landing === null) throw new WardenConfigError(where, "sends neither codes nor links");
  const purpose = `${id}:signIn`;
  const channel = emailChannel(where, { sender: options.sender, templates: options.templates ?? createTemplates() });
  const messenger = codeMessenger({ providerId: id, appName: options.appName, channel, ...resolvePacing(where, options) });
  // A message with both lives as long as the code in it (OTP-2).
  const ttlMs = Math.min(code?.lifetimeMs ?? Infinity, landing?.lifetimeMs ?? Infinity);

  async function send(step: Step, email: string, locale: string | undefined, rawParams: SignInParams): Promise<StepOutcome> {
    if (locale !== undefined && !LOCALE.test(locale)) {
      throw wardenError({ code: "INVALID_ARGUMENT", field: "locale", message: `${id}: locale must be a language tag` });
    }
    // Asked of every address alike, so known and unknown ones answer the same (EN-1).
    const profile = options.profile ? withoutUndefined(await options.profile({ email, rawParams })) : undefined;
    return messenger.send(step, {
      purpose,
      identifier: email,
      message: landing === null ? "signInCode" : "magicLink",
      ...(code === null ? {} : { code: { alphabet: code.alphabet, length: code.length } }),
      ...(landing === null ? {} : { link: landing }),
      ttlMs,
      ...(profile === undefined ? {} : { data: { profile } }),
      ...(locale === undefined ? {} : { locale }),
    });
  }

  return defineProvider({
    id,
    params,
    stores: ["accounts", "challenges", "limits", "users"],
    async signIn(step, args, rawParams) {
      if (!("email" in args)) {
        if (landing === null) throw wardenError({ code: "UNSUPPORTED_FLOW", message: `${id} sends no links` });
        const redeemed = await messenger.redeem(step, { purpose, token: args.code, verifier: args.verifier, bound: landing.bound });
        return signInChecked(step, { provider: id, field: "email" }, redeemed);
      }
      const email = normalizeEmail(args.email);
      if (email === null) return { kind: "failed", error: { code: "INVALID_EMAIL" } };
      if (!("code" in args)) return send(step, email, args.locale, rawParams);
      if (code === null) throw wardenError({ code: "UNSUPPORTED_FLOW", message: `${id} sends links, not codes` });
      const typed = typedCode(code, args.code);
      return signInByCode(step, messenger, { provider: id, field: "email", purpose, identifier: email, code: typed });
    },
    ...messenger.steps,
  });
}
