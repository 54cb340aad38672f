/**
 * convex-warden/client: the one place that knows how tokens live in the
 * browser. Framework-free; works with `ConvexClient`, `ConvexReactClient` and
 * `ConvexHttpClient`.
 *
 * ```ts
 * const convex = new ConvexClient(url);
 * const auth = createAuthClient({ url, api: api.auth });
 * connect(auth, convex);
 * await auth.signIn("password", { flow: "signIn", email, password });
 * ```
 */
export {
  createAuthClient,
  UNREACHABLE,
  type AuthClient,
  type AuthState,
  type ParamsOf,
  type ProviderId,
  type SignInFlow,
  type SignInOutcome,
} from "./authClient.js";
export { transition, view, initialState, type AuthEvent, type Effect, type MachineState } from "./machine.js";
export { connect, type HttpClientLike, type SocketClientLike } from "./connect.js";
export type { AuthClientOptions } from "./options.js";
export { memoryStorage, type TokenStorage } from "./storage.js";
export { pageLock, type Lock } from "./lock.js";
export { storageEvents, type TabSync } from "./tabSync.js";
export type { Navigation } from "./redirect.js";
export type { Clock, RetryOptions } from "./refresh.js";
export {
  isWardenError,
  type AnyWardenErrorData,
  type WardenError,
} from "../shared/errors/guard.js";
export type { WardenErrorCode, WardenErrorData, WardenErrorDataOf } from "../shared/errors/catalog.js";
export { httpTransport, type AuthApi, type HttpTransportOptions, type Transport } from "./transport.js";
