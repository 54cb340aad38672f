import type { Value } from "convex/values";
import { isDeliveryError } from "../../delivery/errors.js";
import type { Sender } from "../../delivery/types.js";
import type { UndeliveredReason } from "../../shared/errors/codes.js";
import type { Logger } from "../log.js";

/**
 * One send, wherever it runs (a provider's action step, or a Node module's
 * `senderAction`): ask the provider's mutation step for the message (it
 * draws the code then, so no secret travels in the scheduled arguments),
 * hand it to the adapter, and if the adapter fails, record why on the
 * challenge so the next call for that address reports it. The message, its
 * code and link are never logged; the error's message is not either (an
 * app's own adapter might put the message in it).
 */
export const PREPARE_STEP = "code:prepare";
export const UNDELIVERED_STEP = "code:undelivered";
export const SEND_STEP = "code:send";

/** What the prepare step hands the action: the message to send, and its destination masked for the logs. */
export interface Prepared {
  kind: "email" | "sms";
  destination: string;
  message: Record<string, Value>;
}

export interface Undelivered {
  reason: UndeliveredReason;
  retryAfterMs?: number;
}

export interface DeliverIo {
  /** Runs one of the provider's mutation steps. */
  run(step: string, args: Record<string, Value>): Promise<Value>;
  log: Logger;
}

function undeliveredOf(error: unknown): Undelivered {
  if (!isDeliveryError(error)) return { reason: "unavailable" };
  const reason = error.code === "DELIVERY_REJECTED" ? "rejected" : "unavailable";
  return error.retryAfterMs === undefined ? { reason } : { reason, retryAfterMs: error.retryAfterMs };
}

export async function deliver(sender: Sender, io: DeliverIo, args: Record<string, Value>): Promise<void> {
  const prepared = (await io.run(PREPARE_STEP, args)) as Prepared | null;
  if (prepared === null) {
    io.log.debug("send skipped: the code was used or replaced first");
    return;
  }
  if (prepared.kind !== sender.kind) {
    throw new TypeError(`convex-warden: a ${prepared.kind} message cannot go through the ${sender.kind} adapter "${sender.id}"`);
  }
  const { destination } = prepared;
  try {
    await (sender.send as (message: unknown) => Promise<unknown>)(prepared.message);
    io.log.debug("message sent", { adapter: sender.id, destination });
  } catch (error) {
    const undelivered = undeliveredOf(error);
    const known = isDeliveryError(error);
    io.log[known ? "warn" : "error"]("message not sent", {
      adapter: sender.id,
      destination,
      reason: known ? error.code : `unexpected ${error instanceof Error ? error.name : typeof error}`,
      status: known ? error.status : undefined,
      detail: known ? error.detail : undefined,
    });
    await io.run(UNDELIVERED_STEP, { challengeId: args.challengeId!, ...undelivered });
  }
}
