/**
 * One session's subscriptions: the queries the client asked for, the changes
 * it sent since the last transition, and each query's last result, so a
 * transition carries only the results that changed (as a deployment's does).
 */
import type { QueryRequest } from "./deployment.js";
import { ProtocolError, type AddQuery, type QueryId, type RemoveQuery, type StateModification } from "./syncProtocol.js";
import type { FunctionOutcome } from "./values.js";

interface Subscription {
  request: QueryRequest;
  /** The last result sent, serialized; undefined until the first. */
  sent?: string;
}

export function querySet() {
  const queries = new Map<QueryId, Subscription>();
  let pending: (AddQuery | RemoveQuery)[] = [];
  /** The version the client is at after its last `ModifyQuerySet`. */
  let received = 0;

  /** Records a `ModifyQuerySet`; it takes effect at the next transition. */
  function modify(baseVersion: number, newVersion: number, modifications: (AddQuery | RemoveQuery)[]) {
    if (baseVersion !== received) {
      throw new ProtocolError(`BaseVersionMismatch: base version ${baseVersion} is not the current ${received}`);
    }
    if (!(newVersion > baseVersion) || !Array.isArray(modifications)) {
      throw new ProtocolError("a query set modification must move to a later version");
    }
    pending.push(...modifications);
    received = newVersion;
  }

  /** Applies the pending changes; returns the removals to report and the version reached. */
  function apply(): { removed: StateModification[]; version: number } {
    const removed: StateModification[] = [];
    for (const change of pending) {
      if (change.type === "Add") {
        if (queries.has(change.queryId)) throw new ProtocolError(`Duplicate query ID: ${change.queryId}`);
        if (change.componentPath) throw new ProtocolError("component queries are for admins only");
        queries.set(change.queryId, { request: { udfPath: change.udfPath, args: change.args } });
      } else if (queries.delete(change.queryId)) {
        removed.push({ type: "QueryRemoved", queryId: change.queryId });
      } else {
        throw new ProtocolError(`Nonexistent query id: ${change.queryId}`);
      }
    }
    pending = [];
    return { removed, version: received };
  }

  /** The queries to run, in a fixed order. */
  const requests = () => [...queries.entries()];

  /** The results that differ from what the client has; remembers them as sent. */
  function changes(ran: [QueryId, Subscription][], outcomes: FunctionOutcome[]): StateModification[] {
    const modifications: StateModification[] = [];
    ran.forEach(([queryId, subscription], i) => {
      const outcome = outcomes[i]!;
      const serialized = JSON.stringify(outcome);
      if (serialized === subscription.sent || queries.get(queryId) !== subscription) return;
      subscription.sent = serialized;
      if (outcome.success) {
        modifications.push({ type: "QueryUpdated", queryId, value: outcome.value, logLines: [], journal: null });
      } else {
        const { errorMessage, errorData } = outcome;
        modifications.push({ type: "QueryFailed", queryId, errorMessage, errorData, logLines: [], journal: null });
      }
    });
    return modifications;
  }

  return {
    modify,
    apply,
    requests,
    changes,
    isEmpty: () => queries.size === 0 && pending.length === 0,
  };
}

export type QuerySet = ReturnType<typeof querySet>;
