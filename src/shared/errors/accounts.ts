/** Failures about who is signing in, common to every credentials provider. */
export const accountErrors = {
  /** Wrong secret or unknown account: deliberately indistinguishable. Returned. */
  INVALID_CREDENTIALS: {},
  /** Sign-up for an identifier that already has an account. Returned, so the attempt is counted. */
  ACCOUNT_EXISTS: {},
  /** The username is not one an account can use (length, characters). Returned. */
  INVALID_USERNAME: {},
};
