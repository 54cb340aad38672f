/**
 * `convex-warden/providers/codes`: sending one-time codes and links, the
 * machinery `Email` and `Phone` are built on, for apps and providers with
 * purposes of their own (email verification, password reset), and
 * `senderAction`, for adapters that need Node.
 *
 * ```ts
 * const messenger = codeMessenger({ providerId: "reset", appName: "Acme", channel, maxAttempts: 5, resendCooldownMs: 30_000 });
 * defineProvider({ id: "reset", ..., signIn: (step) => messenger.send(step, { purpose: "password:reset", ... }), ...messenger.steps });
 * ```
 */
export {
  codeMessenger,
  linkUrl,
  type Checked,
  type CodeCheck,
  type CodeMessenger,
  type MessengerOptions,
  type SendRequest,
} from "../lib/codes/messenger.js";
export { senderAction, type SenderActionOptions } from "../lib/codes/senderAction.js";
export {
  emailChannel,
  smsChannel,
  type Channel,
  type CodeMessageKind,
  type EmailDelivery,
  type MessageVariables,
  type SenderModule,
  type SmsDelivery,
} from "../lib/codes/channel.js";
export {
  resolveCode,
  resolveLink,
  resolvePacing,
  typedCode,
  type CodeOptions,
  type LinkOptions,
  type PacingOptions,
  type ResolvedCode,
  type ResolvedLink,
} from "../lib/codes/options.js";
export { signInByCode, signInChecked, signInVerified, profileIn, type VerifiedIdentifier } from "../lib/codes/account.js";
