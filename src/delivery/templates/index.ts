/**
 * The messages convex-warden sends, in plain text and HTML, in English or in
 * the app's own locales, each kind replaceable by the app.
 *
 * ```ts
 * const templates = createTemplates({ locales: { fr: french }, overrides: { passwordReset: myReset } });
 * const email = await templates.signInCode({ appName: "Acme", code: "48291375", minutes: 10, locale: "fr-CA" });
 * await sender.send({ to, ...email });
 * ```
 */
import { maskEmail } from "../../lib/mask.js";
import { english } from "./english.js";
import { renderEmail } from "./layout.js";
import type {
  Dictionary,
  EmailCopy,
  EmailKind,
  Rendered,
  TemplateKind,
  TemplateOverrides,
  Templates,
  TemplateVariables,
} from "./types.js";
import { checkVariables } from "./variables.js";

export interface TemplateOptions {
  /**
   * Copy by locale tag ("fr", "pt-BR"). A dictionary may supply only some
   * kinds; the others fall back to English. A dictionary under "en" replaces
   * the English copy. Default: English only.
   */
  locales?: Record<string, Partial<Dictionary>>;
  /** Replaces the whole rendering of a kind (see `TemplateOverride`). Default: none. */
  overrides?: Partial<TemplateOverrides>;
}

export const TEMPLATE_KINDS = [
  "signInCode",
  "magicLink",
  "verifyEmail",
  "passwordReset",
  "emailChanged",
  "smsCode",
] as const satisfies readonly TemplateKind[];

const DICTIONARY_KEYS = new Set<string>([...TEMPLATE_KINDS, "direction"]);

interface Resolved {
  tag: string;
  dictionary: Partial<Dictionary>;
}

export function createTemplates(options: TemplateOptions = {}): Templates {
  const locales = checkLocales(options.locales ?? {});
  const overrides = checkOverrides(options.overrides ?? {});

  /** The locale whose copy renders `kind`: the requested tag, then its language, then English. */
  function resolve(kind: TemplateKind, requested: string | undefined): Resolved {
    const tag = (requested ?? "en").toLowerCase().replace(/_/g, "-");
    const candidates = [tag, tag.split("-")[0]!, "en"];
    for (const candidate of candidates) {
      const found = locales.get(candidate);
      if (found?.dictionary[kind] !== undefined) return found;
    }
    return { tag: "en", dictionary: english };
  }

  function email<K extends EmailKind>(kind: K, variables: TemplateVariables[K], code?: string, url?: string) {
    const { tag, dictionary } = resolve(kind, variables.locale);
    const write = dictionary[kind] as (v: unknown) => EmailCopy;
    const copy = write(kind === "emailChanged" ? withMaskedEmail(variables as TemplateVariables["emailChanged"]) : variables);
    return renderEmail({
      copy,
      locale: tag,
      direction: dictionary.direction ?? "ltr",
      ...(code === undefined ? {} : { code }),
      ...(url === undefined ? {} : { url }),
    });
  }

  const defaults: { [K in TemplateKind]: (variables: TemplateVariables[K]) => Rendered<K> } = {
    signInCode: (v) => email("signInCode", v, v.code),
    magicLink: (v) => email("magicLink", v, v.code, v.url),
    verifyEmail: (v) => email("verifyEmail", v, v.code, v.url),
    passwordReset: (v) => email("passwordReset", v, v.code, v.url),
    emailChanged: (v) => email("emailChanged", v, undefined, v.supportUrl),
    smsCode: (v) => {
      const text = (resolve("smsCode", v.locale).dictionary.smsCode as Dictionary["smsCode"])(v);
      return { text: v.webOtpDomain === undefined ? text : `${text}\n\n@${v.webOtpDomain} #${v.code}` };
    },
  };

  const render = <K extends TemplateKind>(kind: K) =>
    async (variables: TemplateVariables[K]): Promise<Rendered<K>> => {
      checkVariables(kind, variables);
      const fallback = () => defaults[kind](variables);
      const override = overrides[kind];
      const rendered = override === undefined ? fallback() : await override(variables, fallback);
      return checkRendered(kind, rendered);
    };

  return {
    signInCode: render("signInCode"),
    magicLink: render("magicLink"),
    verifyEmail: render("verifyEmail"),
    passwordReset: render("passwordReset"),
    emailChanged: render("emailChanged"),
    smsCode: render("smsCode"),
  };
}

const withMaskedEmail = (variables: TemplateVariables["emailChanged"]) => ({
  ...variables,
  maskedEmail: maskEmail(variables.newEmail),
});

function checkLocales(locales: Record<string, Partial<Dictionary>>): Map<string, Resolved> {
  if (typeof locales !== "object" || locales === null) throw new TypeError("templates: locales must be an object");
  const map = new Map<string, Resolved>([["en", { tag: "en", dictionary: english }]]);
  for (const [tag, dictionary] of Object.entries(locales)) {
    if (!/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(tag)) throw new TypeError("templates: locale keys must be language tags");
    if (typeof dictionary !== "object" || dictionary === null) throw new TypeError(`templates: locales.${tag} must be an object`);
    for (const [key, value] of Object.entries(dictionary)) {
      if (!DICTIONARY_KEYS.has(key)) throw new TypeError(`templates: locales.${tag} has an unknown entry "${key}"`);
      const ok = key === "direction" ? value === "ltr" || value === "rtl" : typeof value === "function";
      if (!ok) throw new TypeError(`templates: locales.${tag}.${key} has the wrong type`);
    }
    const merged = tag.toLowerCase() === "en" ? { ...english, ...dictionary } : dictionary;
    map.set(tag.toLowerCase(), { tag, dictionary: merged });
  }
  return map;
}

function checkOverrides(overrides: Partial<TemplateOverrides>): Partial<TemplateOverrides> {
  if (typeof overrides !== "object" || overrides === null) throw new TypeError("templates: overrides must be an object");
  for (const [kind, override] of Object.entries(overrides)) {
    if (!(TEMPLATE_KINDS as readonly string[]).includes(kind)) throw new TypeError(`templates: unknown override "${kind}"`);
    if (typeof override !== "function") throw new TypeError(`templates: overrides.${kind} must be a function`);
  }
  return overrides;
}

/** An override's result must still be sendable. */
function checkRendered<K extends TemplateKind>(kind: K, rendered: Rendered<K>): Rendered<K> {
  const fields = kind === "smsCode" ? ["text"] : ["subject", "text", "html"];
  for (const field of fields) {
    const value = (rendered as unknown as Record<string, unknown> | null)?.[field];
    if (typeof value !== "string" || value === "") throw new TypeError(`templates.${kind}: the rendering has no ${field}`);
  }
  return rendered;
}
