/** Failures of a refresh: each one ends the client's session. All returned. */
export const sessionErrors = {
  /** The refresh token is malformed, unknown or not one of its session's. */
  INVALID_REFRESH_TOKEN: {},
  /** A spent refresh token was presented again: the session was revoked. */
  REFRESH_TOKEN_REUSED: {},
  /** The session reached its idle timeout or absolute lifetime, or was revoked. */
  SESSION_EXPIRED: {},
};
