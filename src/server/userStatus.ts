import type { UserId } from "./types.js";

/**
 * What the component already said, in this transaction, about whether a
 * user is disabled: an account lookup answers it beside the account, so the
 * frame's check before a session starts (`refuseDisabled`) needs no call of
 * its own for the user a provider just found. Kept per transaction (keyed by
 * its `ctx`), and forgotten whenever a user is disabled, enabled or deleted
 * in it.
 */
export type KnownStatus = { deleting: boolean } | null;

const known = new WeakMap<object, Map<string, KnownStatus>>();

export function noteStatus(ctx: object, userId: UserId | string, status: KnownStatus): void {
  let statuses = known.get(ctx);
  if (statuses === undefined) known.set(ctx, (statuses = new Map()));
  statuses.set(userId, status);
}

/** The status noted for the user in this transaction; undefined when none was. */
export const knownStatus = (ctx: object, userId: UserId): KnownStatus | undefined => known.get(ctx)?.get(userId);

/** Forgets every status noted in this transaction (a user's status changed in it). */
export const forgetStatuses = (ctx: object): void => void known.delete(ctx);
