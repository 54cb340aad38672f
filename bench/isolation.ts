import type { App, Client, Library, LibraryId, SignedIn } from "./drivers/types";
import { fixture, newEmail, PASSWORD } from "./fixtures";
import { shared, type Shared } from "./harness/conflicts";
import { record, type Recording } from "./harness/recorder";

/**
 * Two different users doing the same thing at the same time must not
 * contend (decision 11): under Convex's optimistic concurrency two
 * transactions conflict when they touch one document, or when one writes
 * inside an index range the other read. Each library's app signs two users
 * in, refreshes and signs them out, each from its own client address, and
 * compares the two recordings of each step.
 */
export interface IsolationRow {
  flow: string;
  label: string;
  /** Whether convex-warden must share nothing here (asserted); otherwise reported only. */
  asserted: boolean;
  result: Record<LibraryId, Shared>;
}

const CLIENTS: [Client, Client] = [{ ip: "203.0.113.10" }, { ip: "203.0.113.20" }];

type Step = { flow: string; label: string; asserted: boolean; recordings: [Recording, Recording] };

async function pair<T>(work: (who: 0 | 1) => Promise<T>): Promise<{ recordings: [Recording, Recording]; results: [T, T] }> {
  const results: T[] = [];
  const recordings: Recording[] = [];
  for (const who of [0, 1] as const) recordings.push(await record(async () => results.push(await work(who))));
  return { recordings: recordings as [Recording, Recording], results: results as [T, T] };
}

async function steps(app: App): Promise<Step[]> {
  const users = [await fixture(app).user(), await fixture(app).freshUser()];
  const signUp = await pair((i) => app.signUp({ email: newEmail("pair"), password: PASSWORD }, { client: CLIENTS[i] }));
  const signIn = await pair((i) => app.signIn(users[i]!, { client: CLIENTS[i] }));
  const refresh = await pair((i) => app.refresh(signIn.results[i].refreshToken, { client: CLIENTS[i] }));
  const signedIn: SignedIn[] = [];
  for (const tokens of refresh.results) signedIn.push(await app.asUser(tokens));
  const signOut = await pair((i) => app.signOut(signedIn[i]!, { client: CLIENTS[i] }));
  return [
    { flow: "passwordSignUp", label: "password sign-up", asserted: false, recordings: signUp.recordings },
    { flow: "passwordSignIn", label: "password sign-in", asserted: true, recordings: signIn.recordings },
    { flow: "refresh", label: "refresh", asserted: true, recordings: refresh.recordings },
    { flow: "signOut", label: "sign-out", asserted: true, recordings: signOut.recordings },
  ];
}

/**
 * Controls, so the comparison is known to see conflicts: the same user signing
 * in twice (one account, one counter: ranges and documents in common), and a
 * failed sign-in for an unknown email then that email's sign-up (the sign-up's
 * insert lands in the range the failed attempt found empty).
 */
export interface Controls {
  library: LibraryId;
  sameUserTwice: Shared;
  unknownThenSignUp: Shared;
}

export async function controls(library: Library): Promise<Controls> {
  const app = library.create();
  const who = await fixture(app).user();
  const [first, second] = (await pair(() => app.signIn(who))).recordings;
  const stranger = { email: newEmail("stranger"), password: PASSWORD };
  const attempt = await record(() => app.attemptSignIn(stranger));
  const signUp = await record(() => app.signUp(stranger));
  return { library: library.id, sameUserTwice: shared(first, second), unknownThenSignUp: shared(attempt, signUp) };
}

export async function isolation(libraries: readonly Library[]): Promise<IsolationRow[]> {
  const byLibrary = new Map<LibraryId, Step[]>();
  for (const library of libraries) byLibrary.set(library.id, await steps(library.create()));
  const first = byLibrary.get(libraries[0]!.id)!;
  return first.map((step, i) => ({
    flow: step.flow,
    label: step.label,
    asserted: step.asserted,
    result: Object.fromEntries(
      libraries.map((library) => {
        const [a, b] = byLibrary.get(library.id)![i]!.recordings;
        return [library.id, shared(a, b)];
      }),
    ) as Record<LibraryId, Shared>,
  }));
}
