import type { GenericDataModel } from "convex/server";
import type { TestConvexForDataModel } from "convex-test";

/**
 * What the flows need from an auth library, driven through its real public
 * functions on a fresh `convex-test` instance. Each library implements this
 * once (`warden.ts`, `v1.ts`); every flow is written once, against it.
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

/** A signed-in user: tokens, and calls that carry the identity Convex derives from them. */
export interface SignedIn {
  tokens: Tokens;
  as: Caller;
}

/** One library's app under test. Every method throws unless the call succeeded. */
export interface App {
  signUp(who: Credentials): Promise<Tokens>;
  signIn(who: Credentials): Promise<Tokens>;
  refresh(refreshToken: string): Promise<Tokens>;
  /** Ends the user's session the way the library's own client does. */
  signOut(user: SignedIn): Promise<void>;
  /** `getAuthUserId` in a query that then reads the user: the user's id. */
  viewer(user: SignedIn): Promise<string>;
  /** The scheme and parameters of `who`'s stored password hash, read from the database. */
  passwordScheme(who: Credentials): Promise<string>;
  /** Verifies the access token and builds the identity, as Convex would. Never timed. */
  asUser(tokens: Tokens): Promise<SignedIn>;
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
