/**
 * Runs each mutation of a client session once. A client replays every
 * mutation it has no confirmed result for when its socket reconnects, even
 * ones the backend already ran; a deployment remembers (session id, request
 * id) and answers a replay with the first run's response. So does this log,
 * for the most recent `limit` requests.
 */
import type { MutationResponse } from "./syncProtocol.js";

export interface MutationLogOptions {
  /** How many requests are remembered. Default 10 000. */
  limit?: number;
}

export function mutationLog(options: MutationLogOptions = {}) {
  const { limit = 10_000 } = options;
  const responses = new Map<string, Promise<MutationResponse>>();

  /**
   * The response to `(sessionId, requestId)`: `run`'s, or, for a request seen
   * before (even one still running), the first run's.
   */
  function once(sessionId: string, requestId: number, run: () => Promise<MutationResponse>) {
    const key = `${sessionId}#${requestId}`;
    const seen = responses.get(key);
    if (seen) return { response: seen, replayed: true };
    const response = run();
    responses.set(key, response);
    // A run that failed to produce a response at all may be tried again.
    response.catch(() => responses.delete(key));
    if (responses.size > limit) responses.delete(responses.keys().next().value!);
    return { response, replayed: false };
  }

  return { once };
}

export type MutationLog = ReturnType<typeof mutationLog>;
