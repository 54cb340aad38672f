import { isWardenError } from "convex-warden/client";

/** What to tell the user, by stable code: the server's messages are for developers. */
const MESSAGES: Record<string, string> = {
  INVALID_CREDENTIALS: "Wrong email or password.",
  ACCOUNT_EXISTS: "There is already an account for this email. Sign in instead.",
  INVALID_EMAIL: "That email address cannot be used.",
  PASSWORD_REJECTED: "Choose a longer password (at least 8 characters).",
};

export function errorMessage(error: unknown): string {
  if (isWardenError(error, "RATE_LIMITED")) {
    return `Too many attempts. Try again in ${Math.ceil(error.data.retryAfterMs / 60_000)} min.`;
  }
  if (isWardenError(error)) {
    // A code this app does not know (a newer server's) is still this call's failure.
    return MESSAGES[error.data.code] ?? `Something went wrong (${error.data.code}).`;
  }
  return "Could not reach the server. Check the connection and try again.";
}
