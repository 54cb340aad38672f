import { v } from "convex/values";
import { defaultPasswordHasher } from "../lib/password/defaultHasher.js";
import type { PasswordHasher } from "../lib/password/hasher.js";
import { checkPassword, DEFAULT_MAX_BYTES, DEFAULT_MIN_LENGTH, normalizePassword } from "../lib/password/policy.js";
import { normalizeEmail } from "../lib/email.js";
import { accountLimitKey } from "../lib/limitKeys.js";
import { normalizeUsername } from "../lib/username.js";
import { WardenConfigError } from "../lib/configError.js";
import type { WardenErrorData } from "../shared/errors/index.js";
import { defineProvider, type AuthProvider, type MutationStep, type StepOutcome } from "../server/provider.js";
import type { SignInParams, UserProfile } from "../server/types.js";

export type { PasswordHasher } from "../lib/password/hasher.js";
export { argon2idHasher, OWASP_ARGON2ID, type Argon2idParams } from "../lib/password/argon2id.js";

/** What accounts are keyed by: an email address, or a username for apps without email. */
export type PasswordIdentifier = "email" | "username";

/** Options of the `Password` provider. */
export interface PasswordOptions<Id extends string = "password", Key extends PasswordIdentifier = "email"> {
  /** The provider id clients pass to `signIn`. Default "password". */
  id?: Id;
  /**
   * "email" (the default): params `{ flow, email, password }`. "username":
   * params `{ flow, username, password }`; usernames are trimmed,
   * NFKC-normalized and lower-cased, 3 to 32 of `a-z 0-9 . _ -`, and unique
   * (INVALID_USERNAME otherwise).
   */
  identifier?: Key;
  /**
   * Fewest characters (code points) a new password may have. Default 8;
   * 15 is recommended when the password is the only factor.
   */
  minLength?: number;
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
}

const flow = v.union(v.literal("signIn"), v.literal("signUp"));
const params = v.object({ flow, email: v.string(), password: v.string() });
const usernameParams = v.object({ flow, username: v.string(), password: v.string() });

type ParamsOf<Key extends PasswordIdentifier> = Key extends "username" ? typeof usernameParams : typeof params;

type Step = MutationStep<"accounts" | "limits" | "users">;

const failed = (error: WardenErrorData): StepOutcome => ({ kind: "failed", error });

/**
 * Email and password sign-up and sign-in:
 * `signIn("password", { flow: "signUp" | "signIn", email, password })`.
 */
export function Password<const Id extends string = "password", const Key extends PasswordIdentifier = "email">(
  options: PasswordOptions<Id, Key> = {},
  // NoInfer: a call in a list of providers must not widen the id to `string`.
): AuthProvider<NoInfer<Id>, ParamsOf<Key>, "accounts" | "limits" | "users"> & { readonly hasher: PasswordHasher } {
  const id = (options.id ?? "password") as Id;
  const byUsername = options.identifier === "username";
  if (options.identifier !== undefined && options.identifier !== "email" && !byUsername) {
    throw new WardenConfigError("Password.identifier", 'must be "email" or "username"');
  }
  const hasher = options.hasher ?? defaultPasswordHasher();
  const minLength = options.minLength ?? DEFAULT_MIN_LENGTH;
  const policy = { minLength, maxBytes: DEFAULT_MAX_BYTES };
  if (!Number.isInteger(minLength) || minLength < 1 || minLength > 256) {
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

  async function signIn({ stores, log }: Step, email: string, password: string | null): Promise<StepOutcome> {
    const key = accountLimitKey(id, email);
    const limit = await stores.limits.check("failedSignIns", key);
    if (!limit.ok) return failed({ code: "RATE_LIMITED", retryAfterMs: limit.retryAfterMs });
    const account = await stores.accounts.get(id, email);
    const valid = await verify(account?.secret, password);
    if (!valid || account === null || password === null) {
      const counted = await stores.limits.consume("failedSignIns", key);
      log.debug("password sign-in failed", { provider: id });
      // The account's owner gets the failure (and a lockout) in their events; the client sees the same either way (EN-1).
      const lockedOut = counted.ok && counted.remaining === 0;
      return { ...failed({ code: "INVALID_CREDENTIALS" }), ...(account ? { userId: account.userId, lockedOut } : {}) };
    }
    // A success clears the account's failures (RL-1); with none counted there is nothing to write.
    if (limit.counted) await stores.limits.reset("failedSignIns", key);
    if (hasher.needsRehash(account.secret!)) {
      await stores.accounts.setSecret(account.accountId, await hasher.hash(password));
      log.info("password rehashed", { provider: id, userId: account.userId });
    }
    return { kind: "authorized", userId: account.userId };
  }

  async function signUp({ stores }: Step, email: string, password: string | null, rawParams: SignInParams) {
    if (password === null) return failed({ code: "PASSWORD_REJECTED", reason: "too_long" });
    const reason = checkPassword(password, policy);
    if (reason !== null) return failed({ code: "PASSWORD_REJECTED", reason });
    // Counted before any hashing or lookup, and returned, so refused attempts stay counted (RL-3).
    const limit = await stores.limits.consume("signUps");
    if (!limit.ok) return failed({ code: "RATE_LIMITED", retryAfterMs: limit.retryAfterMs });
    if ((await stores.accounts.get(id, email)) !== null) return failed({ code: "ACCOUNT_EXISTS" });
    const secret = await hasher.hash(password);
    const profile = options.profile?.({ email: byUsername ? "" : email, username: byUsername ? email : "", rawParams }) ??
      (byUsername ? { name: email } : { email });
    const userId = await stores.users.createOrUpdate({ provider: id, profile, existingUserId: null });
    const created = await stores.accounts.create({ userId, provider: id, providerAccountId: email, secret });
    // Taken between the lookup and now: impossible in one transaction, so a bug if it happens.
    if (created.kind === "exists") throw new TypeError("convex-warden: account created twice in one transaction");
    return { kind: "authorized" as const, userId };
  }

  const provider = defineProvider({
    id,
    params: (byUsername ? usernameParams : params) as ParamsOf<Key>,
    stores: ["accounts", "limits", "users"],
    async signIn(step, checked, rawParams) {
      const { flow, password: rawPassword } = checked as { flow: "signIn" | "signUp"; password: string };
      const raw = checked as { email?: string; username?: string };
      // The account's identifier: the normalized email, or username. (Called `email` below either way.)
      const email = byUsername ? normalizeUsername(raw.username!) : normalizeEmail(raw.email!);
      if (email === null) return failed({ code: byUsername ? "INVALID_USERNAME" : "INVALID_EMAIL" });
      // Over the byte cap, the raw input is refused before it is normalized (PW-4).
      const password = normalizePassword(rawPassword, policy.maxBytes);
      return flow === "signUp" ? signUp(step, email, password, rawParams) : signIn(step, email, password);
    },
  });
  return { ...provider, hasher };
}
