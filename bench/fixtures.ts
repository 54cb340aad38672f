import type { App, Credentials, SignedIn, Tokens } from "./drivers/types";
import { asCopy, copyTemplate, templateOf, type Template } from "./harness/copies";
import { record } from "./harness/recorder";

/**
 * What the flows start from, per app: one user signed up for real (its rows
 * the template for every other user), fresh users copied from it, and fresh
 * sessions copied from one built for real (a sign-in and N refreshes). Copies
 * are row for row what the library wrote; they save the password hash and the
 * refreshes that would otherwise dominate the setup of every sample.
 */
export const PASSWORD = "correct horse battery staple";

let emails = 0;
/** An address no app has seen. */
export const newEmail = (tag = "user") => `${tag}${++emails}@bench.test`;

/** The identity's string values: the ids a session's rows are found by. */
const identityStrings = (user: SignedIn) =>
  Object.values(user.identity).filter((value): value is string => typeof value === "string");

class Fixture {
  private template: Promise<{ who: Credentials; rows: Template }> | undefined;
  private pool: Credentials[] = [];
  private sessions = new Map<number, Promise<{ user: SignedIn; rows: Template }>>();

  constructor(private readonly app: App) {}

  /** The user signed up for real; every other user is a copy of its rows. */
  user(): Promise<Credentials> {
    return this.userTemplate().then(({ who }) => who);
  }

  private userTemplate() {
    this.template ??= (async () => {
      const who = { email: newEmail(), password: PASSWORD };
      const signUp = await record(() => this.app.signUp(who));
      return { who, rows: await templateOf(this.app.db, [signUp], [who.email]) };
    })();
    return this.template;
  }

  /** `count` more users, each with an account and a live session, as the sign-up left them. */
  async copyUsers(count: number, tag = "copy"): Promise<Credentials[]> {
    const { rows, who } = await this.userTemplate();
    const made = Array.from({ length: count }, () => ({ email: newEmail(tag), password: PASSWORD }));
    await copyTemplate(this.app.db, rows, count, (i) => new Map([[who.email, made[i]!.email]]));
    return made;
  }

  /** A user no flow has touched yet (copied in batches). */
  async freshUser(): Promise<Credentials> {
    if (this.pool.length === 0) this.pool = await this.copyUsers(25);
    return this.pool.pop()!;
  }

  /** A new session of the real user, as `refreshes` refreshes after its sign-in leave it. */
  async session(refreshes: number): Promise<SignedIn> {
    const { user, rows } = await this.sessionTemplate(refreshes);
    const [map] = await copyTemplate(this.app.db, rows, 1);
    const identity = asCopy(user.identity, map!);
    // The copy's access token would name the copy's session; calls use the identity.
    const tokens: Tokens = { token: user.tokens.token, refreshToken: asCopy(user.tokens.refreshToken, map!) };
    return { tokens, identity, as: this.app.withIdentity(identity) };
  }

  private sessionTemplate(refreshes: number) {
    let template = this.sessions.get(refreshes);
    if (template === undefined) {
      template = (async () => {
        const who = await this.user();
        let tokens: Tokens | undefined;
        const built = await record(async () => {
          tokens = await this.app.signIn(who);
          for (let i = 0; i < refreshes; i++) tokens = await this.app.refresh(tokens.refreshToken);
        });
        const user = await this.app.asUser(tokens!);
        const rows = await templateOf(this.app.db, [built], [tokens!.refreshToken, ...identityStrings(user)]);
        return { user, rows };
      })();
      this.sessions.set(refreshes, template);
    }
    return template;
  }
}

const fixtures = new WeakMap<App, Fixture>();

export function fixture(app: App): Fixture {
  let found = fixtures.get(app);
  if (found === undefined) {
    found = new Fixture(app);
    fixtures.set(app, found);
  }
  return found;
}
