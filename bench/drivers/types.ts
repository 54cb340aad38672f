import type { GenericDataModel, UserIdentity } from "convex/server";
import type { TestConvexForDataModel } from "convex-test";
import type { BenchDb } from "../harness/benchDb";

/**
 * What the flows need from an auth library, driven through its real public
 * functions on a fresh `convex-test` instance. Each library implements this
 * once (`warden.ts`, `v1.ts`); every flow is written once, against it.
 *
 * A capability a library does not have yet is an optional member: leave it
 * out and the flows that need it report n/a. Wiring a new flow is one more
 * optional member here, its implementation in a driver, and a flow in
 * `flows.ts` whose `supports` checks the member.
 */
export type LibraryId = "warden" | "v1";

export interface Tokens {
  token: string;
  refreshToken: string;
}

export interface Credentials {
  email: string;
  password: string;
}

/** Calls functions with one identity. Function references carry their own types. */
export type Caller = Pick<TestConvexForDataModel<GenericDataModel>, "query" | "mutation" | "action">;

export type Identity = Partial<UserIdentity>;

/** A signed-in user: tokens, the identity Convex derives from them, and calls that carry it. */
export interface SignedIn {
  tokens: Tokens;
  identity: Identity;
  as: Caller;
}

/** Where a call comes from, as `ctx.meta.getRequestMetadata()` reports it. */
export interface Client {
  ip: string;
}

export interface CallOptions {
  /** Call as this user (e.g. a sign-in while already signed in). Default: no identity. */
  as?: SignedIn;
  /** The client's address. Default: none (convex-test reports null). */
  client?: Client;
}

/** A password sign-in attempt, whatever came of it. */
export type Attempt =
  | { outcome: "signedIn"; tokens: Tokens }
  /** Wrong password or unknown account; `reason` is the library's own code or message. */
  | { outcome: "rejected"; reason: string }
  /** Refused because of earlier failures, before checking the password. */
  | { outcome: "lockedOut"; reason: string };

/** One library's app under test. Every method throws unless the call went as named. */
export interface App {
  /** The app's tables and its components', written and read directly (never timed). */
  db: BenchDb;
  signUp(who: Credentials, options?: CallOptions): Promise<Tokens>;
  signIn(who: Credentials, options?: CallOptions): Promise<Tokens>;
  /** A sign-in that may fail: wrong password, unknown email, locked account. */
  attemptSignIn(who: Credentials, options?: CallOptions): Promise<Attempt>;
  refresh(refreshToken: string, options?: CallOptions): Promise<Tokens>;
  /** Ends the user's session the way the library's own client does. */
  signOut(user: SignedIn, options?: CallOptions): Promise<void>;
  /** `getAuthUserId` in a query that then reads the user: the user's id. */
  viewer(user: SignedIn): Promise<string>;
  /** The user's id from a query that checks the session is still live. Absent: no such API. */
  viewerLive?(user: SignedIn): Promise<string>;
  /** The scheme and parameters of `who`'s stored password hash, read from the database. */
  passwordScheme(who: Credentials): Promise<string>;
  /** Verifies the access token and derives the identity, as Convex would. Never timed. */
  asUser(tokens: Tokens): Promise<SignedIn>;
  /** Calls carrying an identity already derived (a copied session's). */
  withIdentity(identity: Identity): Caller;
  /** Sign-in with a one-time code sent by email. Absent: not implemented (yet). */
  emailCode?: {
    request(email: string): Promise<void>;
    verify(email: string): Promise<Tokens>;
  };
  /**
   * Sign-in with GitHub, its endpoints answered in memory (`fakeGitHub.ts`).
   * `begin` runs up to GitHub's redirect back to the app and returns the rest:
   * the callback, then whatever the client does to hold tokens. Absent: not
   * implemented (yet).
   */
  gitHub?: {
    begin(): Promise<() => Promise<Tokens>>;
  };
}

export interface Library {
  id: LibraryId;
  /** The name printed in the table. */
  label: string;
  /** A fresh app: empty database, nothing signed in. */
  create(): App;
}

/** `attemptSignIn` for callers that expect to be signed in. */
export async function signedIn(attempt: Promise<Attempt>): Promise<Tokens> {
  const result = await attempt;
  if (result.outcome !== "signedIn") throw new Error(`sign-in ${result.outcome}: ${result.reason}`);
  return result.tokens;
}
