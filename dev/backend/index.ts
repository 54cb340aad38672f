/**
 * A local backend for developing and testing convex-warden without a Convex
 * deployment: the example app runs on `convex-test`, behind the protocols the
 * official clients speak (`ConvexClient`, `ConvexHttpClient`,
 * `ConvexReactClient`, unmodified). A harness, not a product: see README.md.
 *
 * ```ts
 * const backend = await startBackend({ port: 0 });
 * const client = new ConvexClient(backend.url, { webSocketConstructor: WebSocket });
 * ```
 */
export { startBackend, type Backend, type BackendOptions, type MutationAnswered } from "./server.js";
export type { Caller, Deployment, DeploymentOptions } from "./deployment.js";
export { TokenRejected, type TokenRejection } from "./auth.js";
