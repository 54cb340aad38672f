/**
 * convex-warden's app-side server library: import it in `convex/auth.ts`,
 * `convex/auth.config.ts` and in any function that needs the signed-in user.
 */
export { convexAuth } from "./convexAuth.js";
export type { ConvexAuthOptions } from "./config.js";
export { authConfigProvider } from "./authConfig.js";
export {
  getAuthUserId,
  getAuthSessionId,
  requireAuthUserId,
  TOKEN_AUDIENCE,
} from "./identity.js";
export { authUserFields } from "./users.js";
export { RESERVED_CLAIMS } from "./jwt.js";
export type {
  AuthProvider,
  AuthorizeResult,
  CredentialsProvider,
  FlowContext,
  SignInParams,
  UserProfile,
  WardenComponent,
} from "./types.js";
export {
  ERROR_CODES,
  isWardenError,
  type WardenError,
  type WardenErrorCode,
  type WardenErrorData,
} from "../shared/errors.js";
export type { SignInResult, RefreshResult, Tokens } from "../shared/results.js";
export type { LogLevel } from "../lib/log.js";
