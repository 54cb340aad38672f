/**
 * A convex-warden option the app set wrong: a programmer error, so a
 * `TypeError`, thrown when `convex/auth.ts` is loaded, never at a user's
 * sign-in. `code` is always `INVALID_CONFIG` and `option` names the setting
 * (`"rateLimits.failedSignIns.windowMs"`), so tests and tooling need not read
 * the message.
 */
export class WardenConfigError extends TypeError {
  override readonly name = "WardenConfigError";
  readonly code = "INVALID_CONFIG" as const;
  constructor(
    readonly option: string,
    problem: string,
  ) {
    super(`convex-warden: ${option} ${problem}`);
  }
}
