import { v, type ObjectType, type PropertyValidators, type Validator } from "convex/values";
import { accountErrors } from "./accounts.js";
import { challengeErrors } from "./challenges.js";
import { codeErrors } from "./codes.js";
import { coreErrors } from "./core.js";
import { oauthErrors } from "./oauth.js";
import { passwordErrors } from "./password.js";
import { serviceErrors } from "./service.js";
import { sessionErrors } from "./sessions.js";
import { userErrors } from "./users.js";

/**
 * Every failure convex-warden reports, by stable code, with the validators of
 * its payload: one catalog merged from each feature's module, the single
 * source of the types, the wire validator and the list of codes. UIs switch on
 * the code (and translate it); messages may change between versions, codes
 * and payloads do not.
 */
export const errorCatalog = {
  ...coreErrors,
  ...accountErrors,
  ...passwordErrors,
  ...sessionErrors,
  ...challengeErrors,
  ...userErrors,
  ...serviceErrors,
  ...oauthErrors,
  ...codeErrors,
} satisfies Record<string, PropertyValidators>;

type Catalog = typeof errorCatalog;

export type WardenErrorCode = keyof Catalog;

/** The payload of the failure `C`: its code, an optional developer message, its own fields. */
export type WardenErrorDataOf<C extends WardenErrorCode> = { code: C; message?: string } & ObjectType<Catalog[C]>;

/** The payload of every failure convex-warden reports, thrown or returned, narrowed by `code`. */
export type WardenErrorData = { [C in WardenErrorCode]: WardenErrorDataOf<C> }[WardenErrorCode];

export const ERROR_CODES = Object.keys(errorCatalog) as WardenErrorCode[];

/**
 * Whether each failure reaches the caller as a returned `{ kind: "failed" }`
 * (the step commits, so counters it bumped stay bumped) or as a thrown
 * `ConvexError` (the step rolls back whole). The README's table is this one.
 */
export const ERROR_DISPOSITION: Record<WardenErrorCode, "returned" | "thrown"> = {
  INVALID_ARGUMENT: "thrown",
  PROVIDER_NOT_FOUND: "thrown",
  UNSUPPORTED_FLOW: "thrown",
  RATE_LIMITED: "returned",
  NOT_SIGNED_IN: "thrown",
  INVALID_CONFIG: "thrown",
  INVALID_CREDENTIALS: "returned",
  ACCOUNT_EXISTS: "returned",
  INVALID_EMAIL: "returned",
  PASSWORD_REJECTED: "returned",
  REAUTHENTICATION_REQUIRED: "returned",
  EMAIL_IN_USE: "returned",
  INVALID_REFRESH_TOKEN: "returned",
  REFRESH_TOKEN_REUSED: "returned",
  SESSION_EXPIRED: "returned",
  INVALID_CODE: "returned",
  CODE_EXPIRED: "returned",
  INVALID_USERNAME: "returned",
  USER_DISABLED: "returned",
  GUEST_NOT_ALLOWED: "thrown",
  GUEST_UPGRADE_REFUSED: "returned",
  LAST_ACCOUNT: "thrown",
  ACCOUNT_NOT_FOUND: "thrown",
  SERVICE_UNAUTHORIZED: "thrown",
  OAUTH_ACCESS_DENIED: "returned",
  OAUTH_PROVIDER_ERROR: "returned",
  OAUTH_STATE_MISMATCH: "returned",
  OAUTH_FLOW_EXPIRED: "returned",
  OAUTH_CODE_REJECTED: "returned",
  OAUTH_CLIENT_REJECTED: "returned",
  OAUTH_INVALID_RESPONSE: "returned",
  OAUTH_INVALID_ID_TOKEN: "returned",
  OAUTH_PROVIDER_UNAVAILABLE: "returned",
  OAUTH_EMAIL_UNVERIFIED: "returned",
  OAUTH_DISCOVERY_MISMATCH: "returned",
  OAUTH_ACCOUNT_NOT_LINKED: "returned",
  OAUTH_ACCOUNT_IN_USE: "returned",
  REDIRECT_NOT_ALLOWED: "returned",
  DELIVERY_FAILED: "returned",
  LINK_OTHER_BROWSER: "returned",
  INVALID_PHONE: "returned",
};

/**
 * The wire validator of `WardenErrorData`, built from the catalog. The cast
 * says what the construction guarantees: one object per code, its literal
 * code, an optional message and the catalog's fields.
 */
export const vWardenErrorData = vErrorDataOf(ERROR_CODES);

/**
 * The wire validator of the errors a function can answer with, for a
 * function that answers only some (a refresh): a smaller union is a
 * narrower type for its callers, and a cheaper check of every answer.
 */
export function vErrorDataOf<const Code extends WardenErrorCode>(codes: readonly Code[]) {
  const message = { message: v.optional(v.string()) };
  // The codes with no fields of their own share one member, `code` a union of their literals:
  // the same check, and a validator a fraction the size of one member per code.
  const bare = codes.filter((code) => Object.keys(errorCatalog[code]).length === 0);
  const members = codes
    .filter((code) => !bare.includes(code))
    .map((code) => v.object({ code: v.literal(code), ...message, ...errorCatalog[code] }));
  if (bare.length > 0) members.push(v.object({ code: v.union(...bare.map((code) => v.literal(code))), ...message }));
  return v.union(...members) as unknown as Validator<Extract<WardenErrorData, { code: Code }>>;
}
