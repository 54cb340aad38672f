/**
 * Checks of template variables: a failure is a `TypeError` naming the
 * variable, never showing its value (it may be a code or a link).
 */
import type { TemplateKind, TemplateVariables } from "./types.js";

type Check = (where: string, variables: Record<string, unknown>) => void;

function fail(where: string, problem: string): never {
  throw new TypeError(`templates.${where}: ${problem}`);
}

const appName: Check = (where, v) => {
  if (typeof v.appName !== "string" || v.appName.trim() === "" || v.appName.length > 100) {
    fail(where, "appName must be a non-empty string of at most 100 characters");
  }
};

const locale: Check = (where, v) => {
  if (v.locale !== undefined && (typeof v.locale !== "string" || !/^[A-Za-z0-9_-]{1,35}$/.test(v.locale))) {
    fail(where, "locale must be a language tag such as \"en\" or \"pt-BR\"");
  }
};

const minutes: Check = (where, v) => {
  if (typeof v.minutes !== "number" || !Number.isInteger(v.minutes) || v.minutes < 1 || v.minutes > 10_080) {
    fail(where, "minutes must be an integer from 1 to 10080");
  }
};

const optional =
  (name: string, test: (value: unknown) => boolean, expected: string): Check =>
  (where, v) => {
    if (v[name] !== undefined && !test(v[name])) fail(where, `${name} must be ${expected}`);
  };

const required =
  (name: string, test: (value: unknown) => boolean, expected: string): Check =>
  (where, v) => {
    if (!test(v[name])) fail(where, `${name} must be ${expected}`);
  };

const isCode = (value: unknown) => typeof value === "string" && /^[A-Za-z0-9-]{1,32}$/.test(value);

/** Absolute http(s) URLs only: a `javascript:` or relative link never reaches an href. */
const isLink = (value: unknown) => {
  if (typeof value !== "string" || value.length > 2048) return false;
  try {
    const { protocol } = new URL(value);
    return protocol === "https:" || protocol === "http:";
  } catch {
    return false;
  }
};

const isEmail = (value: unknown) => typeof value === "string" && value.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(value);
const isHost = (value: unknown) => typeof value === "string" && /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(value);

const CODE = "letters, digits or dashes (1 to 32)";
const LINK = "an absolute http(s) URL";

const codeOrLink: Check = (where, v) => {
  optional("code", isCode, CODE)(where, v);
  optional("url", isLink, LINK)(where, v);
  if (v.code === undefined && v.url === undefined) fail(where, "give a code, a url, or both");
};

const CHECKS: { [K in TemplateKind]: Check[] } = {
  signInCode: [required("code", isCode, CODE), minutes],
  magicLink: [required("url", isLink, LINK), optional("code", isCode, CODE), minutes],
  verifyEmail: [codeOrLink, minutes],
  passwordReset: [codeOrLink, minutes],
  emailChanged: [required("newEmail", isEmail, "an email address"), optional("supportUrl", isLink, LINK)],
  smsCode: [required("code", isCode, CODE), minutes, optional("webOtpDomain", isHost, "a host name")],
};

export function checkVariables<K extends TemplateKind>(kind: K, variables: TemplateVariables[K]): TemplateVariables[K] {
  if (typeof variables !== "object" || variables === null) fail(kind, "variables must be an object");
  const record = variables as unknown as Record<string, unknown>;
  for (const check of [appName, locale, ...CHECKS[kind]]) check(kind, record);
  return variables;
}
