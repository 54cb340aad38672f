/**
 * `convex-warden/delivery`: what every delivery adapter shares (message and
 * sender types, `DeliveryError`), the message templates, and destination
 * masking. The adapters are separate entries, so an app bundles only the one
 * it uses: `convex-warden/delivery/resend`, `/twilio`, `/webhook`,
 * `/console`, and `/smtp` (Node runtime only).
 */
export type {
  DeliveryReceipt,
  EmailMessage,
  EmailSender,
  Fetch,
  Sender,
  SmsMessage,
  SmsSender,
} from "./types.js";
export { DEFAULT_TIMEOUT_MS } from "./types.js";
export {
  DELIVERY_ERROR_CODES,
  DeliveryError,
  isDeliveryError,
  type DeliveryErrorCode,
  type DeliveryErrorOptions,
} from "./errors.js";
export { createTemplates, TEMPLATE_KINDS, type TemplateOptions } from "./templates/index.js";
export { english } from "./templates/english.js";
export { escapeHtml } from "./templates/layout.js";
export type {
  CommonVariables,
  Dictionary,
  EmailChangedCopyVariables,
  EmailChangedVariables,
  EmailCopy,
  EmailKind,
  MagicLinkVariables,
  PasswordResetVariables,
  Rendered,
  RenderedEmail,
  RenderedSms,
  SignInCodeVariables,
  SmsCodeVariables,
  TemplateKind,
  TemplateOverride,
  TemplateOverrides,
  Templates,
  TemplateVariables,
  VerifyEmailVariables,
} from "./templates/types.js";
export { maskEmail, maskPhone } from "../lib/mask.js";
