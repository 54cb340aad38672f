/**
 * The WebSocket sync protocol, as `convex/browser`'s client speaks it
 * (`convex/dist/esm/browser/sync/protocol.js` is the reference): the messages
 * the local backend accepts and the ones it sends. JSON text frames;
 * timestamps are base64 u64 (see `values.ts`); values are `convexToJson`.
 */
import type { JSONValue } from "convex/values";

export type QueryId = number;

export interface AddQuery {
  type: "Add";
  queryId: QueryId;
  udfPath: string;
  args: JSONValue[];
  journal?: string | null;
  componentPath?: string;
}

export interface RemoveQuery {
  type: "Remove";
  queryId: QueryId;
}

export type ClientMessage =
  | {
      type: "Connect";
      sessionId: string;
      connectionCount: number;
      lastCloseReason: string | null;
      maxObservedTimestamp?: string;
      clientTs?: number;
    }
  | { type: "ModifyQuerySet"; baseVersion: number; newVersion: number; modifications: (AddQuery | RemoveQuery)[] }
  | { type: "Mutation" | "Action"; requestId: number; udfPath: string; args: JSONValue[]; componentPath?: string }
  | { type: "Authenticate"; tokenType: "User" | "Admin"; value: string; baseVersion: number }
  | { type: "Authenticate"; tokenType: "None"; baseVersion: number }
  | { type: "Event"; eventType: string; event: unknown };

/** The (query set, identity, timestamp) a client's view is at; `ts` encoded. */
export interface WireStateVersion {
  querySet: number;
  identity: number;
  ts: string;
}

export type StateModification =
  | { type: "QueryUpdated"; queryId: QueryId; value: JSONValue; logLines: string[]; journal: null }
  | {
      type: "QueryFailed";
      queryId: QueryId;
      errorMessage: string;
      logLines: string[];
      errorData?: JSONValue;
      journal: null;
    }
  | { type: "QueryRemoved"; queryId: QueryId };

export type MutationResponse =
  | { type: "MutationResponse"; requestId: number; success: true; result: JSONValue; ts: string; logLines: string[] }
  | {
      type: "MutationResponse";
      requestId: number;
      success: false;
      result: string;
      logLines: string[];
      errorData?: JSONValue;
    };

export type ServerMessage =
  | {
      type: "Transition";
      startVersion: WireStateVersion;
      endVersion: WireStateVersion;
      modifications: StateModification[];
      clientClockSkew?: number;
      serverTs?: number;
    }
  | MutationResponse
  | {
      type: "ActionResponse";
      requestId: number;
      success: boolean;
      result: JSONValue;
      logLines: string[];
      errorData?: JSONValue;
    }
  | { type: "AuthError"; error: string; baseVersion: number; authUpdateAttempted: boolean }
  | { type: "FatalError"; error: string }
  | { type: "Ping" };

/** A message that breaks the protocol: the session answers with a `FatalError` and closes. */
export class ProtocolError extends Error {
  override name = "ProtocolError";
}

const CLIENT_TYPES = new Set(["Connect", "ModifyQuerySet", "Mutation", "Action", "Authenticate", "Event"]);

/** Parses one text frame; anything that is not a client message is a `ProtocolError`. */
export function parseClientMessage(text: string): ClientMessage {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    throw new ProtocolError("a message is one JSON object");
  }
  const type = (message as { type?: unknown } | null)?.type;
  if (typeof type !== "string" || !CLIENT_TYPES.has(type)) {
    throw new ProtocolError(`unknown message type ${JSON.stringify(type)}`);
  }
  return message as ClientMessage;
}
