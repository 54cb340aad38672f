import type { Templates } from "../../delivery/templates/types.js";
import type { EmailDelivery } from "../../lib/codes/channel.js";
import type { CodeOptions, LinkOptions, PacingOptions } from "../../lib/codes/options.js";
import type { BreachChecker } from "../../lib/password/breached.js";
import type { PasswordHasher } from "../../lib/password/hasher.js";
import type { SignInParams, UserProfile } from "../../server/types.js";

/** What accounts are keyed by: an email address, or a username for apps without email. */
export type PasswordIdentifier = "email" | "username";

/**
 * Where the provider's messages go: verification codes and links, reset
 * codes and links, the code that confirms a new address and the notice to
 * the old one. Needed by `verify`, `reset` and `changeEmail`.
 */
export interface PasswordEmailOptions extends PacingOptions {
  /**
   * An adapter that runs in Convex's default runtime (`resend`, `webhook`,
   * `consoleEmail`), or `{ module }`, the app's `"use node"` module exporting
   * `senderAction(smtp(...))`. Required.
   */
  sender: EmailDelivery;
  /** The app's name, as messages show it. Required. */
  appName: string;
  /** The messages. Default `createTemplates()`: English, the built-in layout. */
  templates?: Templates;
}

/** A link that lands on the app's site: `siteUrl` (default `SITE_URL`), `path` (default "/"), `lifetimeMs` (default 1 hour). */
export type PasswordLinkOptions = Omit<LinkOptions, "allowOtherBrowser">;

/**
 * Email verification at sign-up. While it is on, an account whose address is
 * not verified gets no session: sign-up and sign-in answer `codeSent`, and
 * the code (typed with the same password) or the link (opened in the same
 * browser) signs in.
 */
export interface VerifyOptions {
  /** A code to type. Default 8 digits, 10 minutes; `false` for links only. */
  code?: CodeOptions | false;
  /**
   * A link. Default `false`; `true` or options to send one (alone, or beside
   * the code). It works only in the browser that signed up: the link proves
   * the mailbox, the browser proves who chose the password.
   */
  link?: PasswordLinkOptions | boolean;
}

/** Password reset by an emailed code or link. */
export interface ResetOptions {
  /** A code to type. Default 8 digits, 10 minutes; `false` for links only. */
  code?: CodeOptions | false;
  /**
   * A link. Default `false`; `true` or options to send one. It lands on the
   * site with `?wardenReset=<token>` (never the client's automatic hand-off):
   * the app's page asks for the new password and sends both.
   */
  link?: PasswordLinkOptions | boolean;
  /** End every other session of the user when the reset completes (OTP-8). Default true. */
  revokeSessions?: boolean;
}

/** Changing the password while signed in (PW-8, SES-7). */
export interface ChangeOptions {
  /**
   * How recent the session's sign-in must be for a change without the
   * current password (SES-7), for the password and the email address.
   * Default 10 minutes; from 0 (always ask for it) to 1 day.
   */
  reauthenticationWindowMs?: number;
  /** End the user's other sessions when the password changes (PW-8). Default true. */
  revokeOtherSessions?: boolean;
}

/** Changing the email address while signed in: a code to the new address confirms it. */
export interface ChangeEmailOptions {
  /** The code sent to the new address. Default 8 digits, 10 minutes. */
  code?: CodeOptions;
  /** A page where the owner gets help, linked from the notice to the old address. Default none. */
  supportUrl?: string;
}

/** Options of the `Password` provider. */
export interface PasswordOptions<Id extends string = "password", Key extends PasswordIdentifier = "email"> {
  /** The provider id clients pass to `signIn`. Default "password". */
  id?: Id;
  /**
   * "email" (the default): params `{ flow, email, password }`. "username":
   * params `{ flow, username, password }`; usernames are trimmed,
   * NFKC-normalized and lower-cased, 3 to 32 of `a-z 0-9 . _ -`, and unique
   * (INVALID_USERNAME otherwise). Verification, reset and email changes need
   * "email".
   */
  identifier?: Key;
  /**
   * Fewest characters (code points, after NFKC) a new password may have.
   * Default 8; 15 is recommended when the password is the only factor. From 1 to 256.
   */
  minLength?: number;
  /**
   * Most UTF-8 bytes a password may have, as typed and after NFKC: a cap on
   * the cost of hashing, never a truncation. Default 1024; from 256 (64
   * characters of 4 bytes always fit) to 4096.
   */
  maxBytes?: number;
  /**
   * Refuses common passwords (`PASSWORD_REJECTED`, reason `common`). Default
   * true: the bundled list, loaded only where a password is set. `false` for
   * none, or a function of the normalized password.
   */
  blocklist?: boolean | ((password: string) => boolean | Promise<boolean>);
  /**
   * The breached-password check, e.g. `pwnedPasswordCheck({ onUnavailable:
   * "reject" })`. Default none. It needs the network, so it runs in the
   * action `checkAction()` builds, and every password set (sign-up, reset,
   * change) must bring the clearance that action returned.
   */
  breachCheck?: BreachChecker;
  /**
   * The profile stored on the new user at sign-up. Default `{ email }`, or
   * `{ name: username }` when keyed by username. `email` (or `username`) is
   * normalized; `rawParams` are the client's params exactly as sent,
   * unvalidated: pick the fields you store and check each one.
   */
  profile?: (args: { email: string; username: string; rawParams: SignInParams }) => UserProfile;
  /**
   * How passwords are hashed. Default argon2id at m=19 MiB, t=2, p=1, which
   * also verifies `@convex-dev/auth` 0.0.x scrypt hashes and replaces each
   * with argon2id at its first successful sign-in.
   */
  hasher?: PasswordHasher;
  /** Where messages go. Required by `verify`, `reset` and `changeEmail`. */
  email?: PasswordEmailOptions;
  /** Email verification at sign-up. Default off: sign-up signs in at once. */
  verify?: VerifyOptions | boolean;
  /** Password reset by email. Default off. */
  reset?: ResetOptions | boolean;
  /** Changing the password while signed in; always on. */
  change?: ChangeOptions;
  /** Changing the email address while signed in. Default off. */
  changeEmail?: ChangeEmailOptions | boolean;
}
