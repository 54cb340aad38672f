import type { GenericValidator, Infer, Value } from "convex/values";
import type { Logger } from "../lib/log.js";
import type { WardenErrorData } from "../shared/errors/index.js";
import type { StoreName, Stores } from "./stores/index.js";
import type { ActionCtx, MutationCtx, RequestInfo, SignInParams, UserId } from "./types.js";

/**
 * A provider is a sign-in method declared as steps: an id, a validator for
 * the params clients pass to `signIn(id, params)`, the stores it uses, and
 * the steps it runs, each in the context it needs. The frame does the rest:
 * validates params, hands the step only its stores, turns an authorized user
 * into a session (or a second-factor challenge), and answers the client with
 * one `SignInResult`.
 */

/** Where the first sign-in step runs: inside the app's `signIn` mutation, in its one transaction. */
export interface MutationStep<S extends StoreName = StoreName> {
  readonly ctx: MutationCtx;
  /** The stores the provider declared, and only those. */
  readonly stores: Pick<Stores, S>;
  readonly log: Logger;
  readonly request: RequestInfo;
  /** The user already signed in on this client, if any: for linking and guest upgrades. */
  readonly signedInUserId: UserId | null;
  /** For a second factor: the user the first factor authorized. Null otherwise. */
  readonly pending: PendingSignIn | null;
  /** Runs one of this provider's `actions` (network calls) after this transaction commits. */
  schedule(action: string, args: Record<string, Value>): Promise<void>;
}

/** A sign-in the first factor authorized and a second factor must complete. */
export interface PendingSignIn {
  userId: UserId;
  /** The first factor's provider id. */
  provider: string;
}

/** Where action and route steps run: network calls allowed, no database. */
export interface ActionStep {
  readonly ctx: ActionCtx;
  readonly log: Logger;
  /** Runs one of this provider's `mutations` in a transaction of its own and returns its result. */
  runMutation(step: string, args: Record<string, Value>): Promise<Value>;
}

/** What a step decided. The frame turns it into the client's `SignInResult`. */
export type StepOutcome =
  /** This user proved who they are: start a session (or ask for a second factor). */
  | { kind: "authorized"; userId: UserId }
  /**
   * A code or link is on its way to `destination` (masked for display). A
   * link bound to this browser comes with the `verifier` the browser keeps
   * to redeem it.
   */
  | { kind: "codeSent"; destination: string; resendAfterMs?: number; verifier?: string }
  /** The browser must go to `url`; it keeps `verifier` to finish. */
  | { kind: "redirect"; url: string; verifier: string }
  | {
      kind: "failed";
      error: WardenErrorData;
      /** The user the attempt was against, when an account was found: their event log records the failure. */
      userId?: UserId;
      /** This failure used the account's last allowed attempt: a lockout event is recorded. */
      lockedOut?: boolean;
    };

/** A route the app mounts with `auth.addHttpRoutes(http)`, e.g. an OAuth callback. */
export interface ProviderRoute {
  path: string;
  method: "GET" | "POST";
  handler(step: ActionStep, request: Request): Promise<Response>;
}

export interface AuthProvider<
  Id extends string = string,
  Params extends GenericValidator = GenericValidator,
  S extends StoreName = StoreName,
> {
  /** What clients pass as `provider`; letters, digits, `-` and `_`. */
  readonly id: Id;
  /** The params `signIn(id, params)` takes: checked before any step runs. */
  readonly params: Params;
  /** The stores the steps use; they are handed these and no others. */
  readonly stores: readonly S[];
  /**
   * "first" (the default) signs a user in. "second" completes a sign-in a
   * first factor began: its params carry the `pendingToken` the first step
   * returned, and its steps see `step.pending`.
   */
  readonly factor?: "first" | "second";
  /** The step `signIn` runs. `rawParams` are the client's params as sent, unvalidated. */
  signIn(step: MutationStep<S>, params: Infer<Params>, rawParams: SignInParams): Promise<StepOutcome>;
  /** Further mutation steps, run by name from an action or a route (`step.runMutation`). */
  readonly mutations?: Readonly<Record<string, (step: MutationStep<S>, args: Record<string, Value>) => Promise<Value>>>;
  /** Action steps, run by name after a mutation step schedules them (`step.schedule`). */
  readonly actions?: Readonly<Record<string, (step: ActionStep, args: Record<string, Value>) => Promise<void>>>;
  /** HTTP routes the app mounts into its router. */
  readonly routes?: readonly ProviderRoute[];
}

/** Any provider, whatever its id, params and stores. */
export type AnyProvider = AuthProvider<string, GenericValidator, StoreName>;

/**
 * Declares a provider, checking its id and inferring its types:
 * `defineProvider({ id: "pin", params: v.object({ pin: v.string() }), stores: ["accounts"], signIn: ... })`.
 */
export function defineProvider<const Id extends string, Params extends GenericValidator, S extends StoreName>(
  provider: AuthProvider<Id, Params, S>,
): AuthProvider<Id, Params, S> {
  return provider;
}
