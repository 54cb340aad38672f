/**
 * convex-warden/client: the one place that knows how tokens live in the
 * browser. Framework-free; works with `ConvexClient`, `ConvexReactClient` and
 * `ConvexHttpClient`.
 *
 * ```ts
 * const convex = new ConvexClient(url);
 * const auth = createAuthClient({ url });
 * connect(auth, convex);
 * await auth.signIn("password", { flow: "signIn", email, password });
 * ```
 */
export {
  createAuthClient,
  type AuthClient,
  type AuthState,
  type SignInOutcome,
} from "./authClient.js";
export { connect, type HttpClientLike, type SocketClientLike } from "./connect.js";
export type { AuthClientOptions } from "./options.js";
export { memoryStorage, type TokenStorage } from "./storage.js";
export { pageLock, type Lock } from "./lock.js";
export { storageEvents, type TabSync } from "./tabSync.js";
export type { Clock, RetryOptions } from "./refresh.js";
export {
  isWardenError,
  type WardenError,
  type WardenErrorCode,
  type WardenErrorData,
} from "../shared/errors.js";
export { httpTransport, type AuthApi, type HttpTransportOptions, type Transport } from "./transport.js";
