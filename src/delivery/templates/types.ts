/**
 * The message kinds, their variables, and the plain-text copy a locale
 * supplies for each. Copy is plain text: the layout escapes it for HTML, so
 * a translation can never inject markup.
 */

/** Variables every kind takes. */
export interface CommonVariables {
  /** The app's name as users know it, e.g. "Acme". */
  appName: string;
  /** The recipient's locale tag ("fr", "pt-BR"). Default "en"; unknown locales fall back to their language, then English. */
  locale?: string;
}

/** A one-time sign-in code. */
export interface SignInCodeVariables extends CommonVariables {
  code: string;
  /** How long the code lives, in minutes. */
  minutes: number;
}

/** A sign-in link, with the same sign-in's code beside it when the flow issues both. */
export interface MagicLinkVariables extends CommonVariables {
  /** The absolute http(s) link. */
  url: string;
  code?: string;
  minutes: number;
}

/** Email verification, by code, link or both (at least one). */
export interface VerifyEmailVariables extends CommonVariables {
  code?: string;
  url?: string;
  minutes: number;
}

/** Password reset, by code, link or both (at least one). */
export interface PasswordResetVariables extends CommonVariables {
  code?: string;
  url?: string;
  minutes: number;
}

/** The notice sent to the old address after an account's email address changed. */
export interface EmailChangedVariables extends CommonVariables {
  /** The new address; the default copy shows it masked ("a•••e@example.com"). */
  newEmail: string;
  /** Where the owner can get help if the change was not theirs. Default: no link. */
  supportUrl?: string;
}

/** The SMS carrying a one-time code. */
export interface SmsCodeVariables extends CommonVariables {
  code: string;
  minutes: number;
  /**
   * The app's host ("app.acme.com"): adds the final `@host #code` line that
   * lets browsers offer the code for autofill (WebOTP). Default: no such line.
   */
  webOtpDomain?: string;
}

export interface TemplateVariables {
  signInCode: SignInCodeVariables;
  magicLink: MagicLinkVariables;
  verifyEmail: VerifyEmailVariables;
  passwordReset: PasswordResetVariables;
  emailChanged: EmailChangedVariables;
  smsCode: SmsCodeVariables;
}

export type TemplateKind = keyof TemplateVariables;
export type EmailKind = Exclude<TemplateKind, "smsCode">;

/** A rendered email: spread it into an `EmailMessage` with `to`. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** A rendered SMS: spread it into an `SmsMessage` with `to`. */
export interface RenderedSms {
  text: string;
}

export type Rendered<K extends TemplateKind> = K extends "smsCode" ? RenderedSms : RenderedEmail;

/**
 * The words of one email, in reading order. The layout places the code (if
 * any) after `intro`, then the link as a button labelled `action` with the
 * raw URL after `linkFallback`, then `outro`.
 */
export interface EmailCopy {
  subject: string;
  heading: string;
  intro: string[];
  /** The button's label; needed when the message has a link. */
  action?: string;
  /** The line before the raw URL, for mail clients where the button fails. */
  linkFallback?: string;
  outro: string[];
}

/** What `emailChanged` copy receives: the variables plus the new address masked. */
export type EmailChangedCopyVariables = EmailChangedVariables & { maskedEmail: string };

/** The copy of one locale. A locale may supply some kinds only; the rest come from English. */
export interface Dictionary {
  /** Text direction. Default "ltr". */
  direction?: "ltr" | "rtl";
  signInCode(variables: SignInCodeVariables): EmailCopy;
  magicLink(variables: MagicLinkVariables): EmailCopy;
  verifyEmail(variables: VerifyEmailVariables): EmailCopy;
  passwordReset(variables: PasswordResetVariables): EmailCopy;
  emailChanged(variables: EmailChangedCopyVariables): EmailCopy;
  smsCode(variables: SmsCodeVariables): string;
}

/**
 * Replaces the rendering of one kind (to use the app's own design, or React
 * Email). It gets the checked variables and the default rendering, to adjust
 * rather than rewrite. What it returns is sent as is: it must escape what it
 * interpolates into HTML itself.
 */
export type TemplateOverride<K extends TemplateKind> = (
  variables: TemplateVariables[K],
  defaults: () => Rendered<K>,
) => Rendered<K> | Promise<Rendered<K>>;

export type TemplateOverrides = { [K in TemplateKind]: TemplateOverride<K> };

/** Renders each kind: `await templates.signInCode({ appName, code, minutes })`. */
export type Templates = { [K in TemplateKind]: (variables: TemplateVariables[K]) => Promise<Rendered<K>> };
