import { ConvexHttpClient } from "convex/browser";
import {
  anyApi,
  type FunctionArgs,
  type FunctionReference,
  type FunctionReturnType,
  type OptionalRestArgs,
} from "convex/server";
import type { RefreshResult, SignInResult } from "../shared/results.js";

/** The app's auth mutations, as exported from its `convex/auth.ts`. */
export interface AuthApi {
  signIn: FunctionReference<
    "mutation",
    "public",
    { provider: string; params?: Record<string, unknown> },
    SignInResult
  >;
  refresh: FunctionReference<"mutation", "public", { refreshToken: string }, RefreshResult>;
  signOut: FunctionReference<"mutation", "public", { refreshToken?: string }, null>;
}

/** `auth:signIn`, `auth:refresh` and `auth:signOut`: the functions of `convex/auth.ts`. */
export const defaultApi = anyApi.auth as unknown as AuthApi;

/**
 * Runs one of the auth mutations; `token`, when given, authenticates the call. Throws a `ConvexError` for application errors and anything else
 * for network or server trouble, as Convex's clients do.
 */
export type Transport = <Ref extends FunctionReference<"mutation">>(
  ref: Ref,
  args: FunctionArgs<Ref>,
  token: string | null,
) => Promise<FunctionReturnType<Ref>>;

export interface HttpTransportOptions {
  /** Abort a call after this long, so a hung request cannot hold the refresh lock. Default 30 s. */
  timeoutMs?: number;
  /** The `fetch` to use. Default the global one. */
  fetch?: typeof fetch;
}

/**
 * Calls the mutations over HTTP, apart from the WebSocket. Convex pauses its
 * socket while it waits for a token, so a refresh sent over the socket would
 * wait for itself.
 */
export function httpTransport(url: string, options: HttpTransportOptions = {}): Transport {
  const { timeoutMs = 30_000, fetch: fetchImpl = (...args) => fetch(...args) } = options;
  const timed: typeof fetch = (input, init) =>
    // Not every runtime has AbortSignal.timeout (React Native); there the call is not bounded.
    fetchImpl(input, { ...init, signal: AbortSignal.timeout?.(timeoutMs) });
  return (ref, args, token) => {
    const client = new ConvexHttpClient(url, { auth: token ?? undefined, logger: false, fetch: timed });
    return client.mutation(ref, ...([args] as OptionalRestArgs<typeof ref>));
  };
}
