import type { Value } from "convex/values";
import type { MutationCtx, UserId, WardenComponent } from "../types.js";
import { noteStatus } from "../userStatus.js";
import type { StoredAccount } from "./accounts.js";
import { limitStatus, type LimitStatus, type RulesFor } from "./limits.js";

/** A challenge found and consumed (or peeked): whom it was for and what it carried. */
export interface FoundChallenge {
  challengeId: string;
  identifier: string;
  userId?: UserId;
  data?: Value;
}

/** A challenge check's answer: found, or a failure the provider returns as is. */
export type ChallengeOutcome =
  | { kind: "ok"; challenge: FoundChallenge }
  | { kind: "failed"; code: "INVALID_CODE"; attemptsLeft?: number }
  | { kind: "failed"; code: "CODE_EXPIRED" };

export interface IssueChallenge {
  /** What it is for, e.g. "email:signIn": a code issued for one purpose never passes for another (OTP-4). */
  purpose: string;
  /** Whom it is for, normalized: an email, a phone, a user id. */
  identifier: string;
  ttlMs: number;
  /** Wrong attempts allowed before the challenge is dead (OTP-6). */
  maxAttempts: number;
  /** A code to type: drawn uniformly from `alphabet`. */
  code?: { alphabet: string; length: number };
  /** A 256-bit token, for a link or a state parameter. */
  token?: boolean;
  /** A second 256-bit secret for the browser to keep: redeeming needs it too. */
  binding?: boolean;
  userId?: UserId;
  /** Non-secret state for the next step. */
  data?: Value;
  /** Keep other live challenges for (purpose, identifier). Default false: the new one replaces them. */
  keepOthers?: boolean;
}

/** Why a challenge's message was not sent, as `markUndelivered` recorded it. */
export interface Undelivered {
  reason: string;
  retryAfterMs?: number;
  /** When the send failed (ms since epoch). */
  at: number;
}

/** What `verifyCode` may do besides checking the code, in the same call. */
export interface VerifyOptions {
  /** The failed-attempt limit for this account: checked first, counted on a wrong code, cleared on success (RL-1). */
  failures?: { name: "failedSignIns"; key: string };
  /** On success, find the account (provider, identifier) signs in; without one, count a sign-up (RL-3). */
  account?: { provider: string };
}

/** A code's check: found (with the account, when asked), or why not. */
export type CodeOutcome =
  | { kind: "ok"; challenge: FoundChallenge; account?: StoredAccount | null; signUp?: LimitStatus }
  | { kind: "failed"; code: "INVALID_CODE"; attemptsLeft?: number; undelivered?: Undelivered }
  | { kind: "failed"; code: "CODE_EXPIRED" }
  | { kind: "failed"; code: "RATE_LIMITED"; retryAfterMs: number };

/** A send held back: by the cooldown or a limit, until `retryAfterMs` from now. */
export interface Refused {
  kind: "refused";
  retryAfterMs: number;
}

/** How a challenge sent in a message is held back: by a limit and by the cooldown since the last one. */
export interface SendLimits {
  limit: "codeSends";
  /** The destination counted: an address, a number. */
  key: string;
  /** The least time before the next one for the same (purpose, identifier); 0 for none. */
  resendCooldownMs: number;
}

/** A peeked challenge, with the attempts it has left, or why there is none. */
export type Peeked =
  | { kind: "ok"; challenge: FoundChallenge; attemptsLeft: number }
  | Exclude<ChallengeOutcome, { kind: "ok" }>;

/** The newest challenge for (purpose, identifier), without its secrets. */
export interface LookedUp {
  challengeId: string;
  /** When it was issued (ms since epoch). */
  createdAt: number;
  expiresAt: number;
  attemptsLeft: number;
  data?: Value;
}

/** A challenge's new secrets (`rekey`), with its unchanged expiry. */
export interface Rekeyed {
  expiresAt: number;
  code?: string;
  token?: string;
}

/** The secrets of a new challenge: the only time they exist in plaintext. */
export interface IssuedChallenge {
  challengeId: string;
  expiresAt: number;
  code?: string;
  token?: string;
  binding?: string;
}

/**
 * The challenge store: short-lived secrets between two steps, hashed, bound
 * to purpose and identifier, expiring, attempt-limited, consumed atomically
 * in the mutation that checks them.
 */
export interface ChallengeStore {
  issue(challenge: IssueChallenge): Promise<IssuedChallenge>;
  /**
   * `issue`, for a challenge sent in a message: unless the resend cooldown or
   * the send limit refuses it, in the same call. Refused, nothing is counted.
   */
  issueToSend(challenge: IssueChallenge, limits: SendLimits): Promise<IssuedChallenge | Refused>;
  /** Checks a typed code for (purpose, identifier); consumes it when right. */
  verifyCode(purpose: string, identifier: string, code: string): Promise<ChallengeOutcome>;
  /** The same, with the rest of a code step in the same call (see `VerifyOptions`). */
  verifyCode(purpose: string, identifier: string, code: string, options: VerifyOptions): Promise<CodeOutcome>;
  /** Records that the challenge's message was not sent: the next wrong code says so, and a resend is allowed. */
  markUndelivered(challengeId: string, undelivered: { reason: string; retryAfterMs?: number }): Promise<void>;
  /** Redeems a token (with its binding, when it was issued with one); consumes it. */
  redeem(purpose: string, token: string, options?: { binding?: string; identifier?: string }): Promise<ChallengeOutcome>;
  /** Finds a token's challenge without consuming it; `settle` finishes it. */
  peek(purpose: string, token: string): Promise<Peeked>;
  settle(challengeId: string, succeeded: boolean): Promise<void>;
  discard(purpose: string, identifier: string): Promise<void>;
  /** The newest challenge for (purpose, identifier), secrets left out; null when there is none. */
  lookup(purpose: string, identifier: string): Promise<LookedUp | null>;
  /**
   * New secrets for a live challenge (the old ones stop working), for a step
   * that must not carry them in its arguments; null when it is gone or expired.
   */
  rekey(challengeId: string, secrets: { code?: { alphabet: string; length: number }; token?: boolean }): Promise<Rekeyed | null>;
}

type Stored<T> = T extends { kind: "ok"; challenge: FoundChallenge }
  ? Omit<T, "challenge"> & { challenge: Omit<FoundChallenge, "userId"> & { userId?: string } }
  : T;

/** The component stores user ids as strings; they are the app's `users` ids. */
function withUserId<T extends ChallengeOutcome>(result: Stored<T>): T {
  return result as T;
}

/** `rules`: the limits `issueToSend` and `verifyCode` count; without them, those calls throw. */
export function challengeStore(ctx: MutationCtx, component: WardenComponent, limitRules?: RulesFor): ChallengeStore {
  const { challenges, sends } = component;
  const rules: RulesFor = (...args) => {
    if (limitRules === undefined) throw new TypeError("convex-warden: this challenge store has no limits bound");
    return limitRules(...args);
  };
  return {
    issue: (challenge) => ctx.runMutation(challenges.issue, challenge),
    async issueToSend(challenge, { limit, key, resendCooldownMs }) {
      const answer = await ctx.runMutation(sends.issueToSend, { ...challenge, rules: rules(limit, key), resendCooldownMs });
      if (answer.kind === "refused") return answer;
      const { kind: _issued, ...issued } = answer;
      return issued;
    },
    verifyCode: (async (purpose: string, identifier: string, code: string, options: VerifyOptions = {}): Promise<CodeOutcome> => {
      const { failures, account } = options;
      const failureRules = failures === undefined ? undefined : rules(failures.name, failures.key);
      const signUps = account === undefined ? undefined : rules("signUps");
      const answer = await ctx.runMutation(challenges.verifyCode, {
        purpose,
        identifier,
        code,
        ...(failureRules === undefined ? {} : { failures: failureRules }),
        ...(account === undefined ? {} : { account: { provider: account.provider, signUps: signUps! } }),
      });
      if (answer.kind !== "ok") return answer;
      const challenge = answer.challenge as FoundChallenge;
      if (answer.signUp !== undefined) {
        return { kind: "ok", challenge, account: null, signUp: limitStatus(signUps!, answer.signUp, 1) };
      }
      if (answer.account === undefined || answer.account === null) return { kind: "ok", challenge };
      const { disabled, ...stored } = answer.account;
      noteStatus(ctx, stored.userId, disabled ?? null);
      return { kind: "ok", challenge, account: { ...stored, userId: stored.userId as UserId } };
    }) as ChallengeStore["verifyCode"],
    async markUndelivered(challengeId, undelivered) {
      await ctx.runMutation(sends.markUndelivered, { challengeId, ...undelivered });
    },
    redeem: async (purpose, token, options = {}) =>
      withUserId<ChallengeOutcome>(await ctx.runMutation(challenges.redeem, { purpose, token, ...options })),
    peek: async (purpose, token) => withUserId<Peeked>(await ctx.runQuery(challenges.peek, { purpose, token })),
    async settle(challengeId, succeeded) {
      await ctx.runMutation(challenges.settle, { challengeId, succeeded });
    },
    async discard(purpose, identifier) {
      await ctx.runMutation(challenges.discard, { purpose, identifier });
    },
    lookup: (purpose, identifier) => ctx.runQuery(challenges.lookup, { purpose, identifier }),
    rekey: (challengeId, secrets) => ctx.runMutation(challenges.rekey, { challengeId, ...secrets }),
  };
}
