import { argon2idHasher } from "../lib/password/argon2id.js";
import type { PasswordHasher } from "../lib/password/hasher.js";
import {
  checkPassword,
  DEFAULT_MAX_BYTES,
  DEFAULT_MIN_LENGTH,
  normalizePassword,
} from "../lib/password/policy.js";
import { normalizeEmail } from "../lib/email.js";
import { WardenConfigError } from "../lib/configError.js";
import { wardenError, type WardenErrorData } from "../shared/errors.js";
import type {
  AuthorizeResult,
  CredentialsProvider,
  FlowContext,
  SignInParams,
  UserProfile,
} from "../server/types.js";

export type { PasswordHasher } from "../lib/password/hasher.js";
export { argon2idHasher, OWASP_ARGON2ID, type Argon2idParams } from "../lib/password/argon2id.js";

/** Options of the `Password` provider. */
export interface PasswordOptions {
  /** The provider id clients pass to `signIn`. Default "password". */
  id?: string;
  /**
   * Fewest characters (code points) a new password may have. Default 8;
   * 15 is recommended when the password is the only factor.
   */
  minLength?: number;
  /**
   * The profile stored on the new user at sign-up. Default `{ email }`.
   * `email` is normalized; `rawParams` are the client's params exactly as
   * sent, unvalidated: pick the fields you store and check each one.
   */
  profile?: (args: { email: string; rawParams: SignInParams }) => UserProfile;
  /** How passwords are hashed. Default argon2id at m=19 MiB, t=2, p=1. */
  hasher?: PasswordHasher;
}

interface Credentials {
  flow: "signIn" | "signUp";
  email: string;
  /** Normalized (NFKC), or null when the raw input is over the byte cap. */
  password: string | null;
}

const failed = (error: WardenErrorData): AuthorizeResult => ({ kind: "failed", error });

/**
 * Email and password sign-up and sign-in:
 * `signIn("password", { flow: "signUp" | "signIn", email, password })`.
 */
export function Password(options: PasswordOptions = {}): CredentialsProvider {
  const id = options.id ?? "password";
  const hasher = options.hasher ?? argon2idHasher();
  const policy = { minLength: options.minLength ?? DEFAULT_MIN_LENGTH, maxBytes: DEFAULT_MAX_BYTES };
  if (!Number.isInteger(policy.minLength) || policy.minLength < 1 || policy.minLength > 256) {
    throw new WardenConfigError("Password.minLength", "must be an integer from 1 to 256");
  }

  /** Checks a password against a stored hash; without one, pays for a hash anyway (EN-1). */
  async function verify(stored: string | undefined, password: string | null) {
    // Longer than any password that could have been set: not worth hashing.
    if (password === null) return false;
    if (stored !== undefined) return hasher.verify(stored, password);
    await hasher.hash(password);
    return false;
  }

  async function signIn(flow: FlowContext, { email, password }: Credentials) {
    const key = `${id}:${email}`;
    const limit = await flow.attempts.check(key);
    if (!limit.ok) return failed({ code: "RATE_LIMITED", retryAfterMs: limit.retryAfterMs });
    const account = await flow.accounts.get(id, email);
    const valid = await verify(account?.secret, password);
    if (!valid || account === null || password === null) {
      await flow.attempts.fail(key);
      flow.log.debug("password sign-in failed", { provider: id });
      return failed({ code: "INVALID_CREDENTIALS" });
    }
    if (limit.remaining < flow.attempts.max) await flow.attempts.reset(key);
    if (hasher.needsRehash(account.secret!)) {
      await flow.accounts.setSecret(account.accountId, await hasher.hash(password));
      flow.log.info("password rehashed", { provider: id, userId: account.userId });
    }
    return { kind: "authorized" as const, userId: account.userId };
  }

  async function signUp(flow: FlowContext, credentials: Credentials, params: SignInParams) {
    const { email, password } = credentials;
    if (password === null) return failed({ code: "PASSWORD_REJECTED", reason: "too_long" });
    const reason = checkPassword(password, policy);
    if (reason !== null) return failed({ code: "PASSWORD_REJECTED", reason });
    // No lookup first: creating the account reports a taken email by throwing
    // ACCOUNT_EXISTS, which rolls back the user created just before it.
    const secret = await hasher.hash(password);
    const profile = options.profile?.({ email, rawParams: params }) ?? { email };
    const userId = await flow.createUser(id, profile);
    await flow.accounts.create({ userId, provider: id, providerAccountId: email, secret });
    return { kind: "authorized" as const, userId };
  }

  return {
    id,
    type: "credentials",
    async authorize(flow, params) {
      const credentials = parseCredentials(params, policy.maxBytes);
      if ("error" in credentials) return failed(credentials.error);
      return credentials.flow === "signUp"
        ? signUp(flow, credentials, params)
        : signIn(flow, credentials);
    },
  };
}

function parseCredentials(params: SignInParams, maxBytes: number): Credentials | { error: WardenErrorData } {
  const { flow, email, password } = params;
  if ((flow !== "signIn" && flow !== "signUp") || typeof email !== "string" || typeof password !== "string") {
    throw wardenError({
      code: "INVALID_ARGUMENT",
      message: 'Password expects { flow: "signIn" | "signUp", email: string, password: string }',
    });
  }
  const normalized = normalizeEmail(email);
  if (normalized === null) return { error: { code: "INVALID_EMAIL" } };
  return { flow, email: normalized, password: normalizePassword(password, maxBytes) };
}
