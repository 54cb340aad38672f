import type { EmailMessage, EmailSender, Sender, SmsMessage, SmsSender } from "../../delivery/types.js";
import type { TemplateKind, Templates } from "../../delivery/templates/types.js";
import { maskEmail, maskPhone } from "../mask.js";
import { WardenConfigError } from "../configError.js";

/**
 * Where a provider's messages go out: email or SMS, through an adapter that
 * runs in Convex's default runtime (Resend, Twilio, the webhook, the
 * console), or through an action in a Node module of the app's (SMTP) that
 * `senderAction(...)` builds.
 */

/**
 * The app's module that sends, for adapters that need Node (`smtp`): its file
 * starts with `"use node"` and exports `senderAction(adapter)`.
 */
export interface SenderModule {
  /** The module of `convex/`, e.g. "authEmail" for `convex/authEmail.ts`. */
  module: string;
  /** The name it exports the action under. Default "send". */
  export?: string;
}

export type EmailDelivery = EmailSender | SenderModule;
export type SmsDelivery = SmsSender | SenderModule;

/** The message kinds that carry a code or a link. */
export type CodeMessageKind = Exclude<TemplateKind, "emailChanged">;

/** What a message needs besides its kind; the templates check each. */
export interface MessageVariables {
  appName: string;
  locale?: string;
  minutes: number;
  code?: string;
  url?: string;
}

export interface Channel {
  readonly kind: "email" | "sms";
  readonly delivery: Sender | SenderModule;
  /** The destination as a `codeSent` answer and the logs show it. */
  mask(to: string): string;
  render(kind: CodeMessageKind, variables: MessageVariables): Promise<Omit<EmailMessage, "to"> | Omit<SmsMessage, "to">>;
}

export const isSenderModule = (delivery: Sender | SenderModule): delivery is SenderModule =>
  typeof (delivery as Partial<SenderModule>).module === "string";

/** The function path of a sender module's action, e.g. "authEmail:send". */
export const senderPath = ({ module, export: name = "send" }: SenderModule) => `${module}:${name}`;

export function checkDelivery(where: string, delivery: unknown, kind: "email" | "sms"): Sender | SenderModule {
  if (typeof delivery !== "object" || delivery === null) {
    throw new WardenConfigError(`${where}.sender`, `is required: a ${kind} adapter or { module } of a senderAction`);
  }
  if (isSenderModule(delivery as SenderModule)) {
    const { module, export: name } = delivery as SenderModule;
    if (!/^[A-Za-z0-9_]+(\/[A-Za-z0-9_]+)*$/.test(module)) {
      throw new WardenConfigError(`${where}.sender.module`, 'must be a module of convex/ such as "authEmail"');
    }
    if (name !== undefined && !/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)) {
      throw new WardenConfigError(`${where}.sender.export`, "must be an export name");
    }
    return delivery as SenderModule;
  }
  const sender = delivery as Partial<Sender>;
  if (sender.kind !== kind || typeof sender.send !== "function") {
    throw new WardenConfigError(`${where}.sender`, `must be a ${kind} adapter (kind "${kind}")`);
  }
  return sender as Sender;
}

export function emailChannel(where: string, options: { sender: EmailDelivery; templates: Templates }): Channel {
  const delivery = checkDelivery(where, options.sender, "email");
  const { templates } = options;
  return {
    kind: "email",
    delivery,
    mask: maskEmail,
    async render(kind, variables) {
      if (kind === "smsCode") throw new TypeError(`convex-warden: ${where} sends email, not "${kind}"`);
      // Each kind takes the variables it declares; the templates check them.
      return templates[kind](variables as never);
    },
  };
}

export function smsChannel(
  where: string,
  options: { sender: SmsDelivery; templates: Templates; webOtpDomain?: string },
): Channel {
  const delivery = checkDelivery(where, options.sender, "sms");
  const { templates, webOtpDomain } = options;
  return {
    kind: "sms",
    delivery,
    mask: maskPhone,
    async render(kind, { appName, locale, minutes, code }) {
      if (kind !== "smsCode" || code === undefined) throw new TypeError(`convex-warden: ${where} sends SMS codes only`);
      return templates.smsCode({
        appName,
        minutes,
        code,
        ...(locale === undefined ? {} : { locale }),
        ...(webOtpDomain === undefined ? {} : { webOtpDomain }),
      });
    },
  };
}
