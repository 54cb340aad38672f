import type {
  ActionBuilder,
  FunctionVisibility,
  GenericDataModel,
  MutationBuilder,
  QueryBuilder,
} from "convex/server";
import { v } from "convex/values";
import { customAction, customMutation, customQuery } from "convex-helpers/server/customFunctions";
import { constantTimeEqual, sha256 } from "../lib/crypto.js";
import { readEnv } from "../lib/env.js";
import { createLogger, type Logger } from "../lib/log.js";
import { wardenError } from "../shared/errors/index.js";

/**
 * Service authentication: a worker (a cron box, a queue consumer, another
 * backend) calling the app's functions without a user proves itself with a
 * shared secret the deployment holds in an environment variable. Compared in
 * constant time (SHA-256 digests of both, so not even the length leaks);
 * `<NAME>_PREVIOUS` is accepted too, so the secret rotates without downtime;
 * a missing or short variable refuses every call (fails closed).
 */
export interface ServiceAuthOptions {
  /** The environment variable holding the secret, e.g. "WORKER_SECRET". Letters, digits and "_". */
  variable: string;
  /**
   * Shortest secret that counts as configured: a shorter one (or none)
   * refuses every call. Default 32 characters; at least 16.
   */
  minLength?: number;
  /** Reads a variable. Default: the deployment's environment (empty counts as unset). */
  env?: (name: string) => string | undefined;
  /** Where a missing secret is reported. Default: the console, at "error". */
  log?: Logger;
}

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Presented secrets longer than this are wrong without hashing them. */
const MAX_PRESENTED = 1024;
const utf8 = new TextEncoder();
const digest = (secret: string) => sha256(utf8.encode(secret));

/** The argument the service builders add to each function's args. */
export const SERVICE_SECRET_ARG = "serviceSecret";

export function serviceAuth(options: ServiceAuthOptions) {
  const { variable, minLength = 32, env = readEnv, log = createLogger("error") } = options;
  if (typeof variable !== "string" || !VARIABLE.test(variable)) {
    throw new TypeError("serviceAuth: variable must be an environment variable name, e.g. \"WORKER_SECRET\"");
  }
  if (!Number.isInteger(minLength) || minLength < 16) throw new TypeError("serviceAuth: minLength must be an integer of at least 16");
  const names = [variable, `${variable}_PREVIOUS`];

  /** The configured secrets' digests, read at each call so a rotation needs no redeploy of code. */
  function configured(): Uint8Array[] {
    const secrets = names.map((name) => env(name)).filter((secret): secret is string => typeof secret === "string");
    const usable = secrets.filter((secret) => secret.length >= minLength);
    if (usable.length === 0) log.error("service secret not configured: every call is refused", { variable });
    return usable.map(digest);
  }

  /** Whether `presented` is the current or the previous secret. False when none is configured. */
  function verify(presented: unknown): boolean {
    const secrets = configured();
    if (secrets.length === 0 || typeof presented !== "string" || presented.length === 0 || presented.length > MAX_PRESENTED) {
      return false;
    }
    const candidate = digest(presented);
    // Compare against every configured secret, with no early exit.
    return secrets.map((secret) => constantTimeEqual(secret, candidate)).includes(true);
  }

  /** Throws `SERVICE_UNAUTHORIZED` unless `presented` is a configured secret. */
  function assert(presented: unknown): void {
    if (!verify(presented)) throw wardenError({ code: "SERVICE_UNAUTHORIZED" });
  }

  /** For HTTP actions: whether the request carries `Authorization: Bearer <secret>`. */
  function verifyRequest(request: Request): boolean {
    const header = request.headers.get("Authorization") ?? "";
    const match = /^Bearer (.+)$/.exec(header);
    return match !== null && verify(match[1]);
  }

  const input = async (_ctx: unknown, args: { serviceSecret: string }) => {
    assert(args.serviceSecret);
    return { ctx: {}, args: {} };
  };
  const customization = { args: { [SERVICE_SECRET_ARG]: v.string() }, input } as const;

  return {
    verify,
    assert,
    verifyRequest,
    /** A query builder whose functions take `serviceSecret` and run only with the right one. */
    serviceQuery<DataModel extends GenericDataModel, Visibility extends FunctionVisibility>(query: QueryBuilder<DataModel, Visibility>) {
      return customQuery(query, customization);
    },
    /** A mutation builder whose functions take `serviceSecret` and run only with the right one. */
    serviceMutation<DataModel extends GenericDataModel, Visibility extends FunctionVisibility>(
      mutation: MutationBuilder<DataModel, Visibility>,
    ) {
      return customMutation(mutation, customization);
    },
    /** An action builder whose functions take `serviceSecret` and run only with the right one. */
    serviceAction<DataModel extends GenericDataModel, Visibility extends FunctionVisibility>(action: ActionBuilder<DataModel, Visibility>) {
      return customAction(action, customization);
    },
  };
}

export type ServiceAuth = ReturnType<typeof serviceAuth>;
