/** Every reason a new password can be refused: one list, kept with the error catalog. */
export {
  PASSWORD_REJECTION_REASONS as NEW_PASSWORD_REJECTIONS,
  type PasswordRejectionReason as NewPasswordRejection,
} from "../../shared/errors/password.js";
