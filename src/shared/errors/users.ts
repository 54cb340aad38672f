/** Failures about the user behind a sign-in or a request: disabled, a guest, their accounts. */
export const userErrors = {
  /** The user was disabled by the app: no sign-in, no refresh. Returned by a sign-in. */
  USER_DISABLED: {},
  /** The function refuses guests (anonymous users); sign in with another method first. Thrown. */
  GUEST_NOT_ALLOWED: {},
  /**
   * A guest signed in to an account that belongs to another user, and the
   * app's `callbacks.guestConflict` refused it. Returned.
   */
  GUEST_UPGRADE_REFUSED: {},
  /** Unlinking this account would leave the user no way to sign in. Thrown. */
  LAST_ACCOUNT: {},
  /** The signed-in user has no such account. Thrown. */
  ACCOUNT_NOT_FOUND: {},
};
