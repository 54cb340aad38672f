import { v } from "convex/values";

/**
 * Failures of a one-time secret between two steps: a code, a link token, a
 * pending second factor. Returned, so the attempt is counted.
 */
export const challengeErrors = {
  /**
   * The code or token is wrong, unknown or already used. `attemptsLeft` says
   * how many more tries the code allows, when it is still alive.
   */
  INVALID_CODE: { attemptsLeft: v.optional(v.number()) },
  /** The code or token was right but its time ran out: ask for a new one. */
  CODE_EXPIRED: {},
};
