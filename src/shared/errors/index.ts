/** Errors by stable code: the catalog (server side) and the guard (everywhere). */
export {
  ERROR_CODES,
  ERROR_DISPOSITION,
  errorCatalog,
  vWardenErrorData,
  type WardenErrorCode,
  type WardenErrorData,
  type WardenErrorDataOf,
} from "./catalog.js";
export {
  isWardenError,
  wardenError,
  type AnyWardenErrorData,
  type UnknownWardenErrorData,
  type WardenError,
} from "./guard.js";
export { PASSWORD_REJECTION_REASONS, type PasswordRejectionReason } from "./password.js";
export { UNDELIVERED_REASONS, type UndeliveredReason } from "./codes.js";
