import { v, type Infer, type Value } from "convex/values";
import { normalizeEmail } from "../lib/email.js";
import type { PasswordHasher } from "../lib/password/hasher.js";
import { normalizePassword } from "../lib/password/policy.js";
import { normalizeUsername } from "../lib/username.js";
import { check } from "../lib/validate.js";
import { wardenError } from "../shared/errors/index.js";
import { defineProvider, type ActionStep, type AuthProvider, type StepOutcome } from "../server/provider.js";
import type { SignInParams } from "../server/types.js";
import { changePassword } from "./password/change.js";
import { passwordCheckAction, type CheckActionOptions } from "./password/checkAction.js";
import { CLEARANCE_STEP, issueClearance } from "./password/clearance.js";
import { resolvePasswordConfig, type PasswordConfig } from "./password/config.js";
import { signIn, signUp } from "./password/credentials.js";
import { PREPARE_STEP, SEND_STEP, UNDELIVERED_STEP } from "../lib/codes/deliver.js";
import type { PasswordIdentifier, PasswordOptions } from "./password/options.js";
import { emailParams, usernameParams } from "./password/params.js";
import { failed, LOCALE, type PasswordStores, type Step } from "./password/shared.js";

export type { PasswordHasher } from "../lib/password/hasher.js";
export { argon2idHasher, OWASP_ARGON2ID, type Argon2idParams } from "../lib/password/argon2id.js";
export { pwnedPasswordCheck, type BreachChecker, type BreachCheckResult, type PwnedPasswordCheckOptions } from "../lib/password/breached.js";
export type {
  ChangeEmailOptions,
  ChangeOptions,
  PasswordEmailOptions,
  PasswordIdentifier,
  PasswordLinkOptions,
  PasswordOptions,
  ResetOptions,
  VerifyOptions,
} from "./password/options.js";
export type { CheckActionOptions } from "./password/checkAction.js";
export { CLEARANCE_LIFETIME_MS } from "./password/clearance.js";
export { RESET_LINK_PARAM } from "./password/resetLink.js";

type ParamsOf<Key extends PasswordIdentifier> = Key extends "username" ? typeof usernameParams : typeof emailParams;
type EmailParams = Infer<typeof emailParams>;
type UsernameParams = Infer<typeof usernameParams>;

/** What `Password()` returns: the provider, its hasher, and the builder of its check action. */
export type PasswordProvider<Id extends string, Key extends PasswordIdentifier> = AuthProvider<Id, ParamsOf<Key>, PasswordStores> & {
  readonly hasher: PasswordHasher;
  /**
   * The public action that checks a new password against the whole policy,
   * the breached-password check included, and returns the `clearance` the
   * password-setting call carries. Export it from `convex/auth.ts`:
   * `export const checkPassword = password.checkAction();`.
   */
  checkAction(options?: CheckActionOptions): ReturnType<typeof passwordCheckAction>;
};

/** The members of the email params without the verification link, to explain a flow's bad params. */
const flowsOnly = v.union(...emailParams.members.slice(0, -1));

/**
 * Passwords: sign-up and sign-in, and with the options that turn them on,
 * email verification, reset by email, and changes of the password and the
 * email address while signed in. Every new password goes through the policy
 * (length, byte cap, common-password blocklist, optional breach check).
 *
 * `signIn("password", { flow: "signUp" | "signIn", email, password })`;
 * the other flows are `emailVerification`, `reset`, `resetVerification`,
 * `change`, `changeEmail` and `changeEmailVerification` (see the README).
 */
export function Password<const Id extends string = "password", const Key extends PasswordIdentifier = "email">(
  options: PasswordOptions<Id, Key> = {},
  // NoInfer: a call in a list of providers must not widen the id to `string`.
): PasswordProvider<NoInfer<Id>, Key> {
  const config = resolvePasswordConfig(options as PasswordOptions<string, PasswordIdentifier>);
  const steps = sendSteps(config);
  const provider = defineProvider({
    id: config.id as Id,
    params: (config.byUsername ? usernameParams : emailParams) as ParamsOf<Key>,
    stores: ["accounts", "challenges", "limits", "users", "sessions", "events"] as PasswordStores[],
    signIn: (step, checked, rawParams) =>
      config.byUsername ? byUsername(step, config, checked as UsernameParams, rawParams) : byEmail(step, config, checked as EmailParams, rawParams),
    mutations: { ...steps.mutations, [CLEARANCE_STEP]: (step, args) => issueClearance(step, config, args) },
    actions: steps.actions,
  });
  return { ...provider, hasher: config.hasher, checkAction: (actionOptions) => passwordCheckAction(config, actionOptions) };
}

/**
 * The send steps of the messenger, which load it on first use: named here,
 * since the frame needs a provider's steps when `convex/auth.ts` loads.
 */
type MutationSteps = Record<string, (step: Step, args: Record<string, Value>) => Promise<Value>>;
type ActionSteps = Record<string, (step: ActionStep, args: Record<string, Value>) => Promise<void>>;

function sendSteps(config: PasswordConfig): { mutations: MutationSteps; actions: ActionSteps } {
  if (config.email === null) return { mutations: {}, actions: {} };
  const loaded = async () => (await config.loadMail(), config.mail!.steps as { mutations: MutationSteps; actions: ActionSteps });
  const mutation = (name: string) => async (step: Step, args: Record<string, Value>) => (await loaded()).mutations[name]!(step, args);
  return {
    mutations: { [PREPARE_STEP]: mutation(PREPARE_STEP), [UNDELIVERED_STEP]: mutation(UNDELIVERED_STEP) },
    // Sent from here unless the app's Node module sends (then it calls back into the mutations above).
    actions: config.email.sendsHere
      ? { [SEND_STEP]: async (step: ActionStep, args: Record<string, Value>) => (await loaded()).actions[SEND_STEP]!(step, args) }
      : {},
  };
}

const invalidEmail = () => failed({ code: "INVALID_EMAIL" });

function checkLocale(config: PasswordConfig, locale: string | undefined): string | undefined {
  if (locale !== undefined && !LOCALE.test(locale)) {
    throw wardenError({ code: "INVALID_ARGUMENT", field: "locale", message: `${config.id}: locale must be a language tag` });
  }
  return locale;
}

async function byEmail(step: Step, config: PasswordConfig, params: EmailParams, rawParams: SignInParams): Promise<StepOutcome> {
  if (!("flow" in params)) {
    // Params that name a flow but fit none of them only look like a link: report the flow's own failure.
    if (rawParams.flow !== undefined) {
      const refused = check(flowsOnly, rawParams);
      if (!refused.ok) throw wardenError({ code: "INVALID_ARGUMENT", field: refused.field, message: `${config.id}: ${refused.field} must be ${refused.expected}` });
    }
    return (await config.loadMail()).verifyByLink(step, config, params.code, params.verifier);
  }
  const mail = () => config.loadMail();
  switch (params.flow) {
    case "signIn":
    case "signUp": {
      const email = normalizeEmail(params.email);
      if (email === null) return invalidEmail();
      const locale = checkLocale(config, params.locale);
      if (params.flow === "signUp") return signUp(step, config, { ...params, email, ...optional({ locale }), rawParams });
      // Over the byte cap, the raw input is refused before it is normalized (PW-4).
      return signIn(step, config, { email, password: normalizePassword(params.password, config.policy.maxBytes), ...optional({ locale }) });
    }
    case "emailVerification": {
      const email = normalizeEmail(params.email);
      return email === null ? invalidEmail() : (await mail()).verifyByCode(step, config, email, params.password, params.code);
    }
    case "reset": {
      const email = normalizeEmail(params.email);
      return email === null ? invalidEmail() : (await mail()).requestReset(step, config, email, checkLocale(config, params.locale));
    }
    case "resetVerification": {
      if ("token" in params) return (await mail()).resetByLink(step, config, params);
      const email = normalizeEmail(params.email);
      return email === null ? invalidEmail() : (await mail()).resetByCode(step, config, { ...params, email });
    }
    case "change":
      return changePassword(step, config, params);
    case "changeEmail":
    case "changeEmailVerification": {
      const newEmail = normalizeEmail(params.newEmail);
      if (newEmail === null) return invalidEmail();
      const locale = checkLocale(config, params.locale);
      if (params.flow === "changeEmail") return (await mail()).requestEmailChange(step, config, { ...params, newEmail, ...optional({ locale }) });
      return (await mail()).confirmEmailChange(step, config, { ...params, newEmail, ...optional({ locale }) });
    }
  }
}

async function byUsername(step: Step, config: PasswordConfig, params: UsernameParams, rawParams: SignInParams): Promise<StepOutcome> {
  if (params.flow === "change") return changePassword(step, config, params);
  const username = normalizeUsername(params.username);
  if (username === null) return failed({ code: "INVALID_USERNAME" });
  if (params.flow === "signUp") return signUp(step, config, { email: username, password: params.password, ...optional({ clearance: params.clearance }), rawParams });
  return signIn(step, config, { email: username, password: normalizePassword(params.password, config.policy.maxBytes) });
}

/** `record` without its undefined fields, for options typed with `exactOptionalPropertyTypes` in mind. */
function optional<T extends Record<string, unknown>>(record: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as never;
}
