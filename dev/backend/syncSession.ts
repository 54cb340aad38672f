/**
 * One WebSocket of the sync protocol, from `Connect` to close.
 *
 * - Messages are handled in arrival order; an `Authenticate` is verified
 *   before anything after it runs. Mutations run one at a time, in order, as
 *   the caller the session had when each arrived; actions run side by side.
 * - After every change (a `ModifyQuerySet`, an `Authenticate`, a mutation
 *   answered, a commit by anyone) the queries are run again in one read
 *   transaction and a `Transition` carries the results that changed. Each
 *   transition starts where the previous one on this socket ended; versions
 *   start at zero on every socket.
 * - A mutation's response carries its commit timestamp, and a transition at
 *   or past it follows: the client resolves the mutation only then.
 * - A rejected token ends the socket with an `AuthError` (the client then
 *   fetches a token with `forceRefreshToken: true`); so does a mutation,
 *   action or transition while the session's token has expired. A protocol
 *   violation ends it with a `FatalError`.
 */
import type { Caller, Deployment } from "./deployment.js";
import type { MutationLog } from "./mutationLog.js";
import { querySet } from "./querySet.js";
import {
  parseClientMessage,
  ProtocolError,
  type ClientMessage,
  type MutationResponse,
  type ServerMessage,
} from "./syncProtocol.js";
import { TokenRejected, type TokenVerifier, type VerifiedToken } from "./auth.js";
import { decodeTimestamp, encodeTimestamp, failure, type Timestamp } from "./values.js";

export interface SyncSessionOptions {
  deployment: Deployment;
  verifier: TokenVerifier;
  mutations: MutationLog;
  /** Where the socket comes from, for `ctx.meta.getRequestMetadata()`. */
  origin: { ip: string | null; userAgent: string | null };
  send: (message: ServerMessage) => void;
  close: (code: number, reason: string) => void;
  /** Reads the database clock after a call, so every session hears of the commit. */
  afterCall: () => void;
  /** A `Ping` after this long without sending anything. */
  pingIntervalMs: number;
  now: () => number;
  /** Told after each mutation response is sent (a seam for tests). */
  onMutationAnswered?: (info: { sessionId: string | null; requestId: number; replayed: boolean }) => void;
  onError: (error: unknown) => void;
}

/** An identity that is not there: the socket before any `Authenticate`, or after `tokenType: "None"`. */
const ANONYMOUS: VerifiedToken | null = null;

/** The session's token has expired: the socket ends with an `AuthError` that asks for no new token. */
class TokenExpired extends Error {
  override name = "TokenExpired";
}

export function syncSession(options: SyncSessionOptions) {
  const { deployment, send: sendRaw } = options;
  const queries = querySet();
  let sessionId: string | null = null;
  let clientClockSkew: number | undefined;
  let closed = false;

  // The last transition sent: where the next one starts.
  let version = { querySet: 0, identity: 0, ts: 0n as Timestamp };
  let identity: VerifiedToken | null = ANONYMOUS;
  /** An accepted `Authenticate` not yet in a transition (undefined: none). */
  let pendingIdentity: VerifiedToken | null | undefined;
  let receivedIdentity = 0;
  /** The latest mutation timestamp a transition must reach. */
  let mustReach: Timestamp = 0n;

  let inbox: Promise<void> = Promise.resolve();
  let mutationQueue: Promise<void> = Promise.resolve();
  let updating: Promise<void> | null = null;
  let dirty = false;
  let pingTimer: ReturnType<typeof setTimeout> | undefined;

  function send(message: ServerMessage) {
    if (closed) return;
    sendRaw(message);
    clearTimeout(pingTimer);
    pingTimer = setTimeout(() => send({ type: "Ping" }), options.pingIntervalMs);
    pingTimer.unref?.();
  }

  /** Ends the socket after a final message. */
  function end(message: ServerMessage, reason: string) {
    send(message);
    closed = true;
    clearTimeout(pingTimer);
    options.close(1000, reason);
  }

  function fail(error: unknown) {
    if (closed) return;
    if (error instanceof TokenRejected || error instanceof TokenExpired) {
      const authUpdateAttempted = error instanceof TokenRejected;
      end({ type: "AuthError", error: error.message, baseVersion: version.identity, authUpdateAttempted }, "AuthError");
    } else {
      if (!(error instanceof ProtocolError)) options.onError(error);
      end({ type: "FatalError", error: error instanceof Error ? error.message : String(error) }, "FatalError");
    }
  }

  /** The caller functions see now: the latest accepted identity, if it has not expired. */
  function caller(): Caller {
    const current = pendingIdentity === undefined ? identity : pendingIdentity;
    if (current?.expiresAt != null && current.expiresAt <= options.now()) {
      throw new TokenExpired("TokenExpired: Convex token identity expired");
    }
    return { ...options.origin, identity: current?.identity ?? null };
  }

  async function authenticate(message: Extract<ClientMessage, { type: "Authenticate" }>) {
    if (message.baseVersion !== receivedIdentity) {
      throw new ProtocolError(`identity base version ${message.baseVersion} is not the current ${receivedIdentity}`);
    }
    if (message.tokenType === "Admin") {
      throw new TokenRejected("InvalidAuthHeader", "the local backend has no admin keys");
    }
    pendingIdentity = message.tokenType === "User" ? await options.verifier.verify(message.value) : ANONYMOUS;
    receivedIdentity += 1;
    scheduleUpdate();
  }

  async function runMutation(
    requestId: number,
    udfPath: string,
    args: unknown,
    componentPath: string | undefined,
    as: Caller,
  ) {
    const execute = async (): Promise<MutationResponse> => {
      const outcome = componentPath
        ? failure(new Error("component functions are for admins only"))
        : await deployment.call("mutation", udfPath, args, as);
      options.afterCall();
      if (!outcome.success) {
        const { errorMessage, errorData } = outcome;
        return { type: "MutationResponse", requestId, success: false, result: errorMessage, errorData, logLines: [] };
      }
      // The clock after the commit: a timestamp at or past the mutation's.
      const ts = encodeTimestamp(await deployment.snapshotTs());
      return { type: "MutationResponse", requestId, success: true, result: outcome.value, ts, logLines: [] };
    };
    const { response, replayed } = sessionId
      ? options.mutations.once(sessionId, requestId, execute)
      : { response: execute(), replayed: false };
    const answer = await response;
    if (answer.success) mustReach = maxTs(mustReach, decodeTimestamp(answer.ts));
    send(answer);
    options.onMutationAnswered?.({ sessionId, requestId, replayed });
    scheduleUpdate();
  }

  async function runAction(requestId: number, udfPath: string, args: unknown, as: Caller) {
    const outcome = await deployment.call("action", udfPath, args, as);
    options.afterCall();
    if (outcome.success) {
      send({ type: "ActionResponse", requestId, success: true, result: outcome.value, logLines: [] });
    } else {
      const { errorMessage, errorData } = outcome;
      send({ type: "ActionResponse", requestId, success: false, result: errorMessage, errorData, logLines: [] });
    }
  }

  async function handle(message: ClientMessage) {
    switch (message.type) {
      case "Connect":
        sessionId = String(message.sessionId);
        if (typeof message.clientTs === "number") clientClockSkew = message.clientTs - options.now();
        return;
      case "ModifyQuerySet":
        queries.modify(message.baseVersion, message.newVersion, message.modifications);
        return scheduleUpdate();
      case "Authenticate":
        return authenticate(message);
      case "Mutation": {
        const as = caller();
        const { requestId, udfPath, args, componentPath } = message;
        mutationQueue = mutationQueue.then(() => runMutation(requestId, udfPath, args, componentPath, as)).catch(fail);
        return;
      }
      case "Action": {
        const as = caller();
        if (message.componentPath) throw new ProtocolError("component functions are for admins only");
        void runAction(message.requestId, message.udfPath, message.args, as).catch(fail);
        return;
      }
      case "Event":
        return;
    }
  }

  /** One transition: pending changes applied, every query run again, the changed results sent. */
  async function update() {
    const { removed, version: querySetVersion } = queries.apply();
    let identityVersion = version.identity;
    if (pendingIdentity !== undefined) {
      identity = pendingIdentity;
      pendingIdentity = undefined;
      identityVersion = receivedIdentity;
    }
    const as = caller();
    const ran = queries.requests();
    const { ts, outcomes } = await deployment.queryAll(ran.map(([, s]) => s.request), as);
    const modifications = [...removed, ...queries.changes(ran, outcomes)];
    const next = { querySet: querySetVersion, identity: identityVersion, ts: maxTs(ts, version.ts) };
    const moved = next.querySet !== version.querySet || next.identity !== version.identity;
    if (closed || (modifications.length === 0 && !moved && mustReach <= version.ts)) return;
    send({
      type: "Transition",
      startVersion: wire(version),
      endVersion: wire(next),
      modifications,
      clientClockSkew,
      serverTs: options.now() * 1e6,
    });
    version = next;
  }

  function scheduleUpdate() {
    dirty = true;
    updating ??= (async () => {
      try {
        while (dirty && !closed) {
          dirty = false;
          await update();
        }
      } catch (error) {
        fail(error);
      } finally {
        updating = null;
      }
    })();
  }

  return {
    /** One text frame from the client. */
    receive(text: string) {
      if (closed) return;
      inbox = inbox.then(() => handle(parseClientMessage(text))).catch(fail);
    },
    /** Someone committed: the results may have changed. */
    committed() {
      if (!closed && !(queries.isEmpty() && pendingIdentity === undefined && mustReach <= version.ts)) scheduleUpdate();
    },
    /** The socket is gone. */
    closed() {
      closed = true;
      clearTimeout(pingTimer);
    },
    /** Starts the heartbeat: a `Ping` whenever nothing else was sent for a while. */
    start() {
      pingTimer = setTimeout(() => send({ type: "Ping" }), options.pingIntervalMs);
      pingTimer.unref?.();
    },
  };
}

const maxTs = (a: Timestamp, b: Timestamp) => (a > b ? a : b);
const wire = ({ querySet, identity, ts }: { querySet: number; identity: number; ts: Timestamp }) => ({
  querySet,
  identity,
  ts: encodeTimestamp(ts),
});

export type SyncSession = ReturnType<typeof syncSession>;
