import type { AuthEventType } from "../../convex/events.js";
import { deviceLabel } from "../lib/userAgent.js";
import { coarseNetwork } from "../lib/network.js";
import { requestInfo } from "./steps.js";
import type { MutationCtx, RequestInfo, UserId } from "./types.js";
import type { Warden } from "./warden.js";

export type { AuthEventType } from "../../convex/events.js";
export { AUTH_EVENT_TYPES } from "../../convex/events.js";

/**
 * An auth event (LOG-1): what happened, to whom, through which provider and
 * session, why (a failure's code), and from which device and network. Never
 * a secret (LOG-2): no password, code, token or hash has a field here.
 */
export interface AuthEvent {
  type: AuthEventType;
  /** The user, or null for a failure against an identifier with no account (not stored). */
  userId: UserId | null;
  provider?: string;
  sessionId?: string;
  /** A failure's code ("INVALID_CREDENTIALS"), or which sessions were revoked ("one", "others", "all", "reuse", "server"). */
  reason?: string;
  /** A coarse device label from the user agent, e.g. "Firefox on Windows". */
  device?: string;
  /** The client's network ("203.0.113.0/24"), never its full address. */
  network?: string;
}

/** A stored event, as `auth.listEvents` returns it. */
export type StoredAuthEvent = Omit<AuthEvent, "userId"> & { at: number };

/** What the session list and the events show of a client: its device and network, coarsely. */
export function clientInfo(request: RequestInfo): { device?: string; network?: string } {
  const device = deviceLabel(request.userAgent);
  const network = coarseNetwork(request.ip);
  return { ...(device === null ? {} : { device }), ...(network === null ? {} : { network }) };
}

/**
 * Records an event: kept in the component when it concerns a known user
 * (unless `store` is false), passed to `callbacks.onEvent` in any case, and
 * traced at debug level.
 */
export async function recordEvent(
  ctx: MutationCtx,
  { component, config }: Warden,
  event: Omit<AuthEvent, "device" | "network">,
  options: { store?: boolean; request?: RequestInfo } = {},
): Promise<void> {
  const full: AuthEvent = { ...event, ...clientInfo(options.request ?? (await requestInfo(ctx))) };
  if (full.userId !== null && options.store !== false) {
    const { userId, type, ...details } = full;
    await ctx.runMutation(component.events.record, { userId, type, retentionMs: config.events.retentionMs, ...details });
  }
  await announceEvent(ctx, config, full);
}

/**
 * Tells the debug log and `callbacks.onEvent` of an event. `recordEvent`
 * does it; a component function that stored the event itself (a session's
 * sign-in, with the session) leaves only this to do.
 */
export async function announceEvent(ctx: MutationCtx, config: Warden["config"], full: AuthEvent): Promise<void> {
  config.log.debug("auth event", { type: full.type, provider: full.provider, reason: full.reason });
  const onEvent = config.callbacks.onEvent;
  if (onEvent === undefined) return;
  try {
    await onEvent(ctx, full);
  } catch (error) {
    config.log.error("callbacks.onEvent threw", { type: full.type, error: error instanceof Error ? error.name : "unknown" });
  }
}
