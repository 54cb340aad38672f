import { isWardenError, UNREACHABLE, type AnyWardenErrorData } from "convex-warden/client";

/** What to tell the user, by stable code: the server's messages are for developers. */
const MESSAGES: Record<string, string> = {
  INVALID_CREDENTIALS: "Wrong email or password.",
  ACCOUNT_EXISTS: "There is already an account for this email. Sign in instead.",
  INVALID_EMAIL: "That email address cannot be used.",
  PASSWORD_REJECTED: "Choose a longer password (at least 8 characters).",
  INVALID_CODE: "That code is not right, or it was already used.",
  CODE_EXPIRED: "That code or link has expired. Ask for a new one.",
  LINK_OTHER_BROWSER: "This sign-in link was asked for in another browser. Open it there, or ask for a new one here.",
  DELIVERY_FAILED: "The email could not be sent. Ask for a new code.",
  NOT_SIGNED_IN: "This session has ended. You will be signed out here shortly.",
  OAUTH_ACCESS_DENIED: "The sign-in was cancelled at the provider.",
  OAUTH_ACCOUNT_NOT_LINKED: "There is already an account for this email. Sign in with it, then link this provider.",
  OAUTH_STATE_MISMATCH: "That sign-in link was already used or started elsewhere. Try again.",
  OAUTH_FLOW_EXPIRED: "The sign-in took too long. Try again.",
  OAUTH_PROVIDER_UNAVAILABLE: "The sign-in provider could not be reached. Try again later.",
  REDIRECT_NOT_ALLOWED: "This page cannot be returned to after signing in.",
  [UNREACHABLE]: "The server could not be reached to finish signing in. Try again.",
};

/** "in 25 s", "in 3 min". */
const waitFor = (ms: number) => (ms < 60_000 ? `${Math.ceil(ms / 1000)} s` : `${Math.ceil(ms / 60_000)} min`);

/** The message for a failure's data: a thrown error's, or a failed redirect's (`flow.error`). */
export function failureMessage(data: AnyWardenErrorData): string {
  const { retryAfterMs, attemptsLeft } = data as { retryAfterMs?: unknown; attemptsLeft?: unknown };
  if (data.code === "RATE_LIMITED" && typeof retryAfterMs === "number") {
    return `Too many attempts. Try again in ${waitFor(retryAfterMs)}.`;
  }
  if (data.code === "INVALID_CODE" && typeof attemptsLeft === "number") {
    return `That code is not right (${attemptsLeft} ${attemptsLeft === 1 ? "try" : "tries"} left).`;
  }
  // A code this app does not know (a newer server's) is still this call's failure.
  return MESSAGES[data.code] ?? `Something went wrong (${data.code}).`;
}

export function errorMessage(error: unknown): string {
  if (isWardenError(error)) return failureMessage(error.data);
  return "Could not reach the server. Check the connection and try again.";
}
