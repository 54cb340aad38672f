import { checkDelivery, isSenderModule } from "../../lib/codes/channel.js";
import { resolveCode, resolveLink, resolvePacing, type ResolvedCode, type ResolvedLink } from "../../lib/codes/options.js";
import { WardenConfigError } from "../../lib/configError.js";
import type { BreachChecker } from "../../lib/password/breached.js";
import { defaultPasswordHasher } from "../../lib/password/defaultHasher.js";
import type { PasswordHasher } from "../../lib/password/hasher.js";
import { newPasswordPolicy, type NewPasswordPolicy } from "../../lib/password/newPassword.js";
import type * as mailModule from "./mail.js";
import type { PasswordEmailOptions, PasswordLinkOptions, PasswordOptions } from "./options.js";

/** The module that sends, loaded on first use (see mail.ts). */
export type MailModule = typeof mailModule;

/**
 * `PasswordOptions`, checked once when `convex/auth.ts` loads: every flow's
 * codes, links and windows resolved, the policy built, and one messenger for
 * all the provider's messages. A wrong option is a `WardenConfigError`.
 */
type AnyPasswordOptions = PasswordOptions<string, "email" | "username">;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A flow's message: a code, a link, or both, living as long as the shorter. */
export interface CodeAndLink {
  code: ResolvedCode | null;
  link: ResolvedLink | null;
  ttlMs: number;
}

/** What every flow reads. */
export interface PasswordConfig {
  id: string;
  byUsername: boolean;
  hasher: PasswordHasher;
  policy: NewPasswordPolicy;
  breachCheck: BreachChecker | undefined;
  profile: AnyPasswordOptions["profile"];
  /** The `email` option, checked, when set. */
  email: { options: PasswordEmailOptions; pacing: { maxAttempts: number; resendCooldownMs: number }; sendsHere: boolean } | null;
  /** The messenger, templates and channel: set by `loadMail`, before any flow that sends runs. */
  mail: mailModule.Mail | null;
  /** Loads the sending flows (once) and sets `mail`. */
  loadMail(): Promise<MailModule>;
  verify: CodeAndLink | null;
  reset: (CodeAndLink & { revokeSessions: boolean }) | null;
  change: { reauthenticationWindowMs: number; revokeOtherSessions: boolean };
  changeEmail: { code: ResolvedCode; ttlMs: number; supportUrl: string | undefined } | null;
  purposes: { verify: string; reset: string; changeEmail: string; clearance: string };
}

const enabled = <T extends object>(option: T | boolean | undefined): T | null =>
  option === undefined || option === false ? null : option === true ? ({} as T) : option;

function codeAndLink(where: string, options: { code?: object | false; link?: PasswordLinkOptions | boolean }, bound: boolean): CodeAndLink {
  if (typeof options !== "object" || options === null) throw new WardenConfigError(where, "must be true, an object or false");
  const code = options.code === false ? null : resolveCode(`${where}.code`, options.code ?? {}, 8);
  const linkOptions = enabled<PasswordLinkOptions>(options.link);
  if (linkOptions !== null && "allowOtherBrowser" in linkOptions) {
    throw new WardenConfigError(`${where}.link.allowOtherBrowser`, "is not an option here: these links are bound as the flow needs");
  }
  const link = linkOptions === null ? null : { ...resolveLink(`${where}.link`, linkOptions), bound };
  if (code === null && link === null) throw new WardenConfigError(where, "sends neither codes nor links");
  return { code, link, ttlMs: Math.min(code?.lifetimeMs ?? Infinity, link?.lifetimeMs ?? Infinity) };
}

function checkBoolean(option: string, value: unknown) {
  if (value !== undefined && typeof value !== "boolean") throw new WardenConfigError(option, "must be a boolean");
}

function resolveChange(where: string, options: AnyPasswordOptions["change"] = {}) {
  const windowMs = options.reauthenticationWindowMs ?? 10 * MINUTE;
  if (!Number.isFinite(windowMs) || windowMs < 0 || windowMs > DAY) {
    throw new WardenConfigError(`${where}.change.reauthenticationWindowMs`, "must be a number from 0 to a day");
  }
  checkBoolean(`${where}.change.revokeOtherSessions`, options.revokeOtherSessions);
  return { reauthenticationWindowMs: windowMs, revokeOtherSessions: options.revokeOtherSessions ?? true };
}

function resolvePolicy(where: string, options: AnyPasswordOptions) {
  const { minLength, maxBytes, blocklist = true } = options;
  if (minLength !== undefined && (!Number.isInteger(minLength) || minLength < 1 || minLength > 256)) {
    throw new WardenConfigError(`${where}.minLength`, "must be an integer from 1 to 256");
  }
  if (maxBytes !== undefined && (!Number.isInteger(maxBytes) || maxBytes < 256 || maxBytes > 4096)) {
    throw new WardenConfigError(`${where}.maxBytes`, "must be an integer from 256 to 4096");
  }
  if (typeof blocklist !== "boolean" && typeof blocklist !== "function") {
    throw new WardenConfigError(`${where}.blocklist`, "must be a boolean or a function");
  }
  if (options.breachCheck !== undefined && typeof options.breachCheck !== "function") {
    throw new WardenConfigError(`${where}.breachCheck`, "must be a check such as pwnedPasswordCheck({ onUnavailable })");
  }
  return newPasswordPolicy({
    ...(minLength === undefined ? {} : { minLength }),
    ...(maxBytes === undefined ? {} : { maxBytes }),
    ...(blocklist === true ? {} : { isCommon: blocklist }),
    ...(options.breachCheck === undefined ? {} : { breachCheck: options.breachCheck }),
  });
}

function resolveEmail(where: string, options: AnyPasswordOptions): PasswordConfig["email"] {
  const email = options.email;
  if (email === undefined) return null;
  if (typeof email !== "object" || email === null) throw new WardenConfigError(`${where}.email`, "must be { sender, appName }");
  if (typeof email.appName !== "string" || email.appName.trim() === "") {
    throw new WardenConfigError(`${where}.email.appName`, "is required: the app's name as messages show it");
  }
  if (email.templates !== undefined && (typeof email.templates !== "object" || email.templates === null)) {
    throw new WardenConfigError(`${where}.email.templates`, "must be what createTemplates() returns");
  }
  const delivery = checkDelivery(`${where}.email`, email.sender, "email");
  return { options: email, pacing: resolvePacing(`${where}.email`, email), sendsHere: !isSenderModule(delivery) };
}

/** Loads mail.ts once per provider and builds its messenger. */
function mailLoader(config: PasswordConfig): () => Promise<MailModule> {
  let loading: Promise<MailModule> | null = null;
  return () =>
    (loading ??= import("./mail.js").then(
      (module) => {
        const { options, pacing } = config.email!;
        config.mail ??= module.createMail(config, options, pacing);
        return module;
      },
      (error: unknown) => {
        loading = null;
        throw error;
      },
    ));
}

export function resolvePasswordConfig(options: AnyPasswordOptions): PasswordConfig {
  const id = options.id ?? "password";
  // Options are named as the app writes them, e.g. "Password.minLength".
  const where = "Password";
  if (options.identifier !== undefined && options.identifier !== "email" && options.identifier !== "username") {
    throw new WardenConfigError(`${where}.identifier`, 'must be "email" or "username"');
  }
  const byUsername = options.identifier === "username";
  const email = resolveEmail(where, options);
  const verifyOptions = enabled(options.verify);
  const resetOptions = enabled(options.reset);
  const changeEmailOptions = enabled(options.changeEmail);
  for (const [name, option] of [["verify", verifyOptions], ["reset", resetOptions], ["changeEmail", changeEmailOptions]] as const) {
    if (option === null) continue;
    if (byUsername) throw new WardenConfigError(`${where}.${name}`, 'needs identifier "email"');
    if (email === null) throw new WardenConfigError(`${where}.${name}`, "needs the email option: { sender, appName }");
  }
  if (resetOptions !== null) checkBoolean(`${where}.reset.revokeSessions`, resetOptions.revokeSessions);
  const emailCode = changeEmailOptions && resolveCode(`${where}.changeEmail.code`, changeEmailOptions.code ?? {}, 8);
  const config: PasswordConfig = {
    id,
    byUsername,
    hasher: options.hasher ?? defaultPasswordHasher(),
    policy: resolvePolicy(where, options),
    breachCheck: options.breachCheck,
    profile: options.profile,
    email,
    mail: null,
    loadMail: () => Promise.reject(new TypeError("convex-warden: no email option")),
    verify: verifyOptions && codeAndLink(`${where}.verify`, verifyOptions, true),
    reset: resetOptions && { ...codeAndLink(`${where}.reset`, resetOptions, false), revokeSessions: resetOptions.revokeSessions ?? true },
    change: resolveChange(where, options.change),
    changeEmail: changeEmailOptions && {
      code: emailCode!,
      ttlMs: emailCode!.lifetimeMs,
      supportUrl: checkSupportUrl(`${where}.changeEmail.supportUrl`, changeEmailOptions.supportUrl),
    },
    purposes: { verify: `${id}:verifyEmail`, reset: `${id}:reset`, changeEmail: `${id}:changeEmail`, clearance: `${id}:breachChecked` },
  };
  if (email !== null) config.loadMail = mailLoader(config);
  return config;
}

function checkSupportUrl(option: string, url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  if (parsed === null || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
    throw new WardenConfigError(option, "must be an absolute http(s) URL");
  }
  return parsed.href;
}
