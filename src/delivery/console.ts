/**
 * FOR DEVELOPMENT ONLY: "sends" email and SMS by printing them, code and
 * link included, so sign-in can be tried without a provider. Anyone who can
 * read the logs can sign in as anyone, so these adapters refuse to be created
 * when the app says it is running in production.
 *
 * ```ts
 * import { consoleEmail } from "convex-warden/delivery/console";
 * const email = consoleEmail({ production: process.env.APP_ENV === "production" });
 * ```
 */
import { checkFunction, checkEmailMessage, checkSmsMessage, fail } from "./internal/validate.js";
import type { EmailMessage, EmailSender, SmsMessage, SmsSender } from "./types.js";

export interface ConsoleOptions {
  /**
   * Whether this deployment is production, as the app decides it (this
   * module reads no environment). Required, so the question is always asked.
   */
  production: boolean;
  /**
   * Allow printing messages in production anyway: a staging deployment the
   * app calls production, for example. Default false.
   */
  allowInProduction?: boolean;
  /** Where the printed message goes. Default `console.log`. */
  sink?: (text: string) => void;
}

export const CONSOLE_WARNING =
  "[convex-warden] DEVELOPMENT ONLY: this message was printed, not sent. It contains a sign-in secret; never use the console adapter in production.";

/** An `EmailSender` that prints each message through the sink. */
export function consoleEmail(options: ConsoleOptions): EmailSender {
  const print = printer("consoleEmail", options);
  return {
    kind: "email",
    id: "console",
    async send(message: EmailMessage) {
      checkEmailMessage("consoleEmail", message);
      const lines = [`To: ${message.to}`];
      if (message.from !== undefined) lines.push(`From: ${message.from}`);
      if (message.replyTo !== undefined) lines.push(`Reply-To: ${message.replyTo}`);
      lines.push(`Subject: ${message.subject}`, "", message.text);
      print(lines);
      return {};
    },
  };
}

/** An `SmsSender` that prints each message through the sink. */
export function consoleSms(options: ConsoleOptions): SmsSender {
  const print = printer("consoleSms", options);
  return {
    kind: "sms",
    id: "console",
    async send(message: SmsMessage) {
      checkSmsMessage("consoleSms", message);
      print([`SMS to: ${message.to}`, "", message.text]);
      return {};
    },
  };
}

function printer(where: string, options: ConsoleOptions): (lines: string[]) => void {
  if (typeof options !== "object" || options === null || typeof options.production !== "boolean") {
    fail(where, "options.production (boolean) is required: say whether this deployment is production");
  }
  if (options.allowInProduction !== undefined && typeof options.allowInProduction !== "boolean") {
    fail(where, "allowInProduction must be a boolean");
  }
  if (options.production && options.allowInProduction !== true) {
    fail(where, "refusing to print sign-in messages in production; configure a real delivery adapter");
  }
  const sink = checkFunction(where, "sink", options.sink) ?? ((text: string) => console.log(text));
  const rule = "-".repeat(72);
  return (lines) => sink([CONSOLE_WARNING, rule, ...lines, rule].join("\n"));
}
