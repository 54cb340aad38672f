import type { ResolvedConfig } from "../config.js";
import { recordEvent } from "../events.js";
import type { MutationCtx, RequestInfo, UserId, WardenComponent } from "../types.js";
import { accountStore, type AccountStore } from "./accounts.js";
import { challengeStore, type ChallengeStore } from "./challenges.js";
import { eventStore, type EventStore } from "./events.js";
import { limitStore, rulesFor, type LimitStore } from "./limits.js";
import { sessionStore, type SessionStore } from "./sessions.js";
import { userStore, type UserStore } from "./users.js";

export type { AccountStore, StoredAccount } from "./accounts.js";
export type {
  ChallengeOutcome,
  ChallengeStore,
  CodeOutcome,
  FoundChallenge,
  IssueChallenge,
  IssuedChallenge,
  LookedUp,
  Peeked,
  Refused,
  Rekeyed,
  SendLimits,
  Undelivered,
  VerifyOptions,
} from "./challenges.js";
export type { EventStore } from "./events.js";
export type { LimitStatus, LimitStore } from "./limits.js";
export type { CurrentSession, SessionStore } from "./sessions.js";
export type { UserStore } from "./users.js";

/** Every store a provider may ask for. Each provider is handed only those it names. */
export interface Stores {
  accounts: AccountStore;
  challenges: ChallengeStore;
  limits: LimitStore;
  users: UserStore;
  /** The caller's session, and ending a user's sessions (a changed password). */
  sessions: SessionStore;
  /** Recording auth events. */
  events: EventStore;
}

export type StoreName = keyof Stores;

export const STORE_NAMES: readonly StoreName[] = ["accounts", "challenges", "limits", "users", "sessions", "events"];

interface Binding {
  ctx: MutationCtx;
  component: WardenComponent;
  config: ResolvedConfig;
  request: RequestInfo;
  signedInUserId: UserId | null;
  /** The client asked to link this sign-in to the signed-in user. */
  link: boolean;
}

const builders: { [S in StoreName]: (binding: Binding) => Stores[S] } = {
  // An account created for the user already signed in here was linked to them.
  accounts: ({ ctx, component, config, request, signedInUserId }) =>
    accountStore(ctx, component, rulesFor(config.limits, request), async ({ userId, provider }) => {
      if (userId === signedInUserId) await recordEvent(ctx, { component, config }, { type: "accountLinked", userId, provider });
    }),
  challenges: ({ ctx, component, config, request }) => challengeStore(ctx, component, rulesFor(config.limits, request)),
  limits: ({ ctx, component, config, request }) => limitStore(ctx, component, rulesFor(config.limits, request)),
  users: ({ ctx, config, signedInUserId, link }) => userStore(ctx, config, signedInUserId, link),
  sessions: ({ ctx, component, config }) => sessionStore(ctx, component, config),
  events: ({ ctx, component, config }) => eventStore(ctx, component, config),
};

/** The named stores, bound to one transaction; nothing else is reachable through the result. */
export function bindStores<S extends StoreName>(names: readonly S[], binding: Binding): Pick<Stores, S> {
  const stores: Partial<Stores> = {};
  for (const name of names) (stores as Record<StoreName, unknown>)[name] = builders[name](binding);
  return stores as Pick<Stores, S>;
}
