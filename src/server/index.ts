/**
 * convex-warden's app-side server library: import it in `convex/auth.ts`,
 * `convex/auth.config.ts`, `convex/http.ts` and in any function that needs
 * the signed-in user.
 */
export { convexAuth } from "./convexAuth.js";
export type {
  ConvexAuthOptions,
  CreateOrUpdateUserArgs,
  GuestConflictArgs,
  GuestConflictResolution,
} from "./config.js";
export type { RateLimitOptions, LimitOption, LimitName } from "./limits.js";
export { authConfigProvider } from "./authConfig.js";
export {
  getAuthUserId,
  getAuthSessionId,
  requireAuthUserId,
  isGuest,
  GUEST_CLAIM,
  TOKEN_AUDIENCE,
  type RequireOptions,
} from "./identity.js";
export type { RequireUserOptions, UserCheck } from "./liveSession.js";
export { serviceAuth, SERVICE_SECRET_ARG, type ServiceAuth, type ServiceAuthOptions } from "./service.js";
export { AUTH_EVENT_TYPES, type AuthEvent, type AuthEventType, type StoredAuthEvent } from "./events.js";
export type { SessionInfo } from "./sessionManagement.js";
export type { LinkedAccount } from "./accountManagement.js";
export type { CredentialAccounts, RetrievedAccount } from "./accountHelpers.js";
export { authUserFields } from "./users.js";
export { RESERVED_CLAIMS } from "./jwt.js";
export { vSessionId } from "./ids.js";
export {
  defineProvider,
  type ActionStep,
  type AnyProvider,
  type AuthProvider,
  type MutationStep,
  type PendingSignIn,
  type ProviderRoute,
  type StepOutcome,
} from "./provider.js";
export type { SignInArgs, ExtraParams } from "./signInArgs.js";
export type {
  AccountStore,
  ChallengeOutcome,
  ChallengeStore,
  CurrentSession,
  EventStore,
  FoundChallenge,
  IssueChallenge,
  IssuedChallenge,
  LimitStatus,
  LimitStore,
  LookedUp,
  Peeked,
  Rekeyed,
  SessionStore,
  StoredAccount,
  StoreName,
  Stores,
  UserStore,
} from "./stores/index.js";
export type {
  RequestInfo,
  SessionId,
  SignInParams,
  UserId,
  UserProfile,
  WardenComponent,
} from "./types.js";
export {
  ERROR_CODES,
  ERROR_DISPOSITION,
  isWardenError,
  type AnyWardenErrorData,
  type UnknownWardenErrorData,
  type WardenError,
  type WardenErrorCode,
  type WardenErrorData,
  type WardenErrorDataOf,
} from "../shared/errors/index.js";
export { WardenConfigError } from "../lib/configError.js";
export type { SignInResult, RefreshResult, Tokens } from "../shared/results.js";
export type { LogLevel } from "../lib/log.js";
