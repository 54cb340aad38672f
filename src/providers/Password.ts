import { argon2idHasher } from "../lib/password/argon2id.js";
import type { PasswordHasher } from "../lib/password/hasher.js";
import {
  checkPassword,
  DEFAULT_MAX_BYTES,
  DEFAULT_MIN_LENGTH,
  normalizePassword,
} from "../lib/password/policy.js";
import { normalizeEmail } from "../lib/email.js";
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
  /** The profile stored on the new user at sign-up. Default `{ email }`. */
  profile?: (params: SignInParams, email: string) => UserProfile;
  /** How passwords are hashed. Default argon2id at m=19 MiB, t=2, p=1. */
  hasher?: PasswordHasher;
}

interface Credentials {
  flow: "signIn" | "signUp";
  email: string;
  password: string;
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
    throw new TypeError("Password: minLength must be an integer from 1 to 256");
  }

  /** Checks a password against a stored hash; without one, pays for a hash anyway (EN-1). */
  async function verify(stored: string | undefined, password: string) {
    // Longer than any password that could have been set: not worth hashing.
    if (checkPassword(password, { minLength: 0, maxBytes: policy.maxBytes }) !== null) return false;
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
    if (!valid || account === null) {
      await flow.attempts.fail(key);
      flow.log.debug("password mismatch", { provider: id, known: account !== null });
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
    const reason = checkPassword(password, policy);
    if (reason !== null) return failed({ code: "PASSWORD_REJECTED", reason });
    // No lookup first: creating the account reports a taken email by throwing
    // ACCOUNT_EXISTS, which rolls back the user created just before it.
    const secret = await hasher.hash(password);
    const profile = options.profile?.(params, email) ?? { email };
    const userId = await flow.createUser(id, profile);
    await flow.accounts.create({ userId, provider: id, providerAccountId: email, secret });
    return { kind: "authorized" as const, userId };
  }

  return {
    id,
    type: "credentials",
    async authorize(flow, params) {
      const credentials = parseCredentials(params);
      if ("error" in credentials) return failed(credentials.error);
      return credentials.flow === "signUp"
        ? signUp(flow, credentials, params)
        : signIn(flow, credentials);
    },
  };
}

function parseCredentials(params: SignInParams): Credentials | { error: WardenErrorData } {
  const { flow, email, password } = params;
  if ((flow !== "signIn" && flow !== "signUp") || typeof email !== "string" || typeof password !== "string") {
    throw wardenError({
      code: "INVALID_ARGUMENT",
      message: 'Password expects { flow: "signIn" | "signUp", email: string, password: string }',
    });
  }
  const normalized = normalizeEmail(email);
  if (normalized === null) return { error: { code: "INVALID_EMAIL" } };
  return { flow, email: normalized, password: normalizePassword(password) };
}
