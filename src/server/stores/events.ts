import type { ResolvedConfig } from "../config.js";
import { recordEvent, type AuthEvent } from "../events.js";
import type { MutationCtx, WardenComponent } from "../types.js";

/** The auth events a provider records (LOG-1): a changed password, a verified address. Never a secret. */
export interface EventStore {
  /** Records the event for its user, with the client's device and network, and tells `callbacks.onEvent`. */
  record(event: Omit<AuthEvent, "device" | "network">): Promise<void>;
}

export function eventStore(ctx: MutationCtx, component: WardenComponent, config: ResolvedConfig): EventStore {
  return { record: (event) => recordEvent(ctx, { component, config }, event) };
}
