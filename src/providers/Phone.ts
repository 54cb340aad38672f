import { v, type Value } from "convex/values";
import { createTemplates } from "../delivery/templates/index.js";
import type { Templates } from "../delivery/templates/types.js";
import { signInByCode } from "../lib/codes/account.js";
import { smsChannel, type SmsDelivery } from "../lib/codes/channel.js";
import { codeMessenger } from "../lib/codes/messenger.js";
import { resolveCode, resolvePacing, typedCode, type CodeOptions, type PacingOptions } from "../lib/codes/options.js";
import { WardenConfigError } from "../lib/configError.js";
import { normalizePhone } from "../lib/phone.js";
import { wardenError } from "../shared/errors/index.js";
import { defineProvider, type AuthProvider, type MutationStep, type StepOutcome } from "../server/provider.js";
import type { SignInParams, UserProfile } from "../server/types.js";

export type { CodeOptions } from "../lib/codes/options.js";
export type { SmsDelivery, SenderModule } from "../lib/codes/channel.js";

/** Options of the `Phone` provider. `sender` and `appName` are required. */
export interface PhoneOptions<Id extends string = "phone"> extends PacingOptions {
  /** The provider id clients pass to `signIn`. Default "phone". */
  id?: Id;
  /**
   * How messages are sent: an SMS adapter (`twilioSms`, `webhookSms`,
   * `consoleSms`), or `{ module }`, the app's `"use node"` module exporting
   * `senderAction(...)`. Required.
   */
  sender: SmsDelivery;
  /** The app's name, as messages show it. Required. */
  appName: string;
  /** The code. Default 6 digits, 10 minutes. */
  code?: CodeOptions;
  /**
   * The app's host ("app.acme.com"): adds the `@host #code` line browsers
   * read to offer the code for autofill (WebOTP). Default none.
   */
  webOtpDomain?: string;
  /** The messages. Default `createTemplates()`. */
  templates?: Templates;
  /**
   * The profile of a user signing up, as for `Email`: called when a code is
   * requested, with the request's params as sent (unvalidated); written only
   * if the number has no account yet. `phone` and `phoneVerificationTime`
   * are set by the provider. Default none.
   */
  profile?: (args: { phone: string; rawParams: SignInParams }) => UserProfile | Promise<UserProfile>;
}

/** `{ phone }` (or with `locale`): send a code. */
const request = v.object({ phone: v.string(), locale: v.optional(v.string()) });
/** `{ phone, code }`: the code the user typed. */
const verify = v.object({ phone: v.string(), code: v.string() });
// Most specific first: a form's extra fields never turn a verification into a new request.
const params = v.union(verify, request);

type Stores = "accounts" | "challenges" | "limits" | "users";
type Step = MutationStep<Stores>;

const LOCALE = /^[A-Za-z0-9_-]{1,35}$/;
const HOST = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

const withoutUndefined = (profile: UserProfile): Record<string, Value> =>
  Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== undefined)) as Record<string, Value>;

/**
 * Passwordless sign-in by SMS: `signIn("phone", { phone })` texts a code,
 * `signIn("phone", { phone, code })` signs in. Numbers are E.164 ("+" and the
 * country code); a number without an account signs up when its code is used,
 * and the answer to a request is the same either way (EN-1).
 */
export function Phone<const Id extends string = "phone">(
  options: PhoneOptions<Id>,
  // NoInfer: a call in a list of providers must not widen the id to `string`.
): AuthProvider<NoInfer<Id>, typeof params, Stores> {
  if (typeof options !== "object" || options === null) throw new WardenConfigError("Phone", "needs options: { sender, appName }");
  const id = (options.id ?? "phone") as Id;
  const where = `Phone(${id})`;
  if (typeof options.appName !== "string" || options.appName.trim() === "") {
    throw new WardenConfigError(`${where}.appName`, "is required: the app's name as messages show it");
  }
  if (options.webOtpDomain !== undefined && !HOST.test(options.webOtpDomain)) {
    throw new WardenConfigError(`${where}.webOtpDomain`, 'must be a host name such as "app.acme.com"');
  }
  const code = resolveCode(`${where}.code`, options.code ?? {}, 6);
  const purpose = `${id}:signIn`;
  const channel = smsChannel(where, {
    sender: options.sender,
    templates: options.templates ?? createTemplates(),
    ...(options.webOtpDomain === undefined ? {} : { webOtpDomain: options.webOtpDomain }),
  });
  const messenger = codeMessenger({ providerId: id, appName: options.appName, channel, ...resolvePacing(where, options) });

  async function send(step: Step, phone: string, locale: string | undefined, rawParams: SignInParams): Promise<StepOutcome> {
    if (locale !== undefined && !LOCALE.test(locale)) {
      throw wardenError({ code: "INVALID_ARGUMENT", field: "locale", message: `${id}: locale must be a language tag` });
    }
    // Asked of every number alike, so known and unknown ones answer the same (EN-1).
    const profile = options.profile ? withoutUndefined(await options.profile({ phone, rawParams })) : undefined;
    return messenger.send(step, {
      purpose,
      identifier: phone,
      message: "smsCode",
      code: { alphabet: code.alphabet, length: code.length },
      ttlMs: code.lifetimeMs,
      ...(profile === undefined ? {} : { data: { profile } }),
      ...(locale === undefined ? {} : { locale }),
    });
  }

  return defineProvider({
    id,
    params,
    stores: ["accounts", "challenges", "limits", "users"],
    async signIn(step, args, rawParams) {
      const phone = normalizePhone(args.phone);
      if (phone === null) return { kind: "failed", error: { code: "INVALID_PHONE" } };
      if (!("code" in args)) return send(step, phone, args.locale, rawParams);
      const typed = typedCode(code, args.code);
      return signInByCode(step, messenger, { provider: id, field: "phone", purpose, identifier: phone, code: typed });
    },
    ...messenger.steps,
  });
}
