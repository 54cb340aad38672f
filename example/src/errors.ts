import { isWardenError, type WardenErrorCode } from "convex-warden/client";

/** What to tell the user, by stable code: the server's messages are for developers. */
const MESSAGES: Partial<Record<WardenErrorCode, string>> = {
  INVALID_CREDENTIALS: "Wrong email or password.",
  ACCOUNT_EXISTS: "There is already an account for this email. Sign in instead.",
  INVALID_EMAIL: "That email address cannot be used.",
  PASSWORD_REJECTED: "Choose a longer password (at least 8 characters).",
  RATE_LIMITED: "Too many attempts. Try again later.",
};

export function errorMessage(error: unknown): string {
  if (isWardenError(error)) {
    const { code, retryAfterMs } = error.data;
    if (code === "RATE_LIMITED" && retryAfterMs !== undefined) {
      return `Too many attempts. Try again in ${Math.ceil(retryAfterMs / 60_000)} min.`;
    }
    return MESSAGES[code] ?? `Something went wrong (${code}).`;
  }
  return "Could not reach the server. Check the connection and try again.";
}
