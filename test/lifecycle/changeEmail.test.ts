import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { asTestUser } from "convex-warden/test";
import { senderAction } from "convex-warden/providers/codes";
import { everything, outbox, sendScheduled } from "../codes/support";
import { expectFailure, tokensOf, wardenTables } from "../setup";
import { ADA, BOB, COOLDOWN, failureOf, subjectsTo, later, lifecycleApp, OTHER_PASSWORD, PASSWORD } from "./support";

const MINUTE = 60_000;
const NEW = "ada.lovelace@example.org";

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

const emailApp = (auth: Parameters<typeof lifecycleApp>[1] = {}) =>
  lifecycleApp({ changeEmail: { supportUrl: "https://app.example.com/help" } }, auth);

describe("changing the email address (SES-7, OTP-4)", () => {
  test("a code to the new address; nothing changes until it is entered; then the account moves and the old address is told", async () => {
    const app = emailApp();
    const ada = await app.signUp(ADA);
    const sent = await app.call({ flow: "changeEmail", newEmail: NEW }, ada.as);
    expect(sent).toMatchObject({ kind: "codeSent", destination: "a•••e@example.org" });
    const code = await app.codeFor(NEW);
    // Not yet: the old address still signs in, the new one does not.
    expect((await app.call({ flow: "signIn", email: ADA, password: PASSWORD })).kind).toBe("signedIn");
    expectFailure(await app.call({ flow: "signIn", email: NEW, password: PASSWORD }), "INVALID_CREDENTIALS");
    const done = await app.call({ flow: "changeEmailVerification", newEmail: NEW, code }, ada.as);
    const after = await asTestUser(app.t, tokensOf(done));
    expect(after.userId).toBe(ada.userId);
    const user = await app.t.run((ctx) => ctx.db.get(ada.userId));
    expect(user).toMatchObject({ email: NEW });
    expect(user!.emailVerificationTime).toBeCloseTo(Date.now(), -2);
    expect((await wardenTables(app.t)).accounts).toMatchObject([{ providerAccountId: NEW, userId: ada.userId }]);
    expectFailure(await app.call({ flow: "signIn", email: ADA, password: PASSWORD }), "INVALID_CREDENTIALS");
    expect((await app.call({ flow: "signIn", email: NEW, password: PASSWORD })).kind).toBe("signedIn");
    await app.codeFor(NEW);
    const notice = app.box.emails.filter((email) => email.to === ADA).at(-1)!;
    expect(notice.subject).toBe("The email address of your Acme account was changed");
    expect(notice.text).toContain("a•••e@example.org");
    expect(notice.text).toContain("https://app.example.com/help");
    expect((await wardenTables(app.t)).events.map((event) => event.type)).toContain("emailChanged");
  });

  test("outside the reauthentication window it needs the current password (SES-7)", async () => {
    const app = emailApp();
    const ada = await app.signUp(ADA);
    later(10 * MINUTE + 1);
    expectFailure(await app.call({ flow: "changeEmail", newEmail: NEW }, ada.as), "REAUTHENTICATION_REQUIRED");
    expectFailure(await app.call({ flow: "changeEmail", newEmail: NEW, currentPassword: OTHER_PASSWORD }, ada.as), "INVALID_CREDENTIALS");
    expect((await app.call({ flow: "changeEmail", newEmail: NEW, currentPassword: PASSWORD }, ada.as)).kind).toBe("codeSent");
    expect(app.box.to(NEW)).toHaveLength(0); // sent after the transaction
  });

  test("the new address must not belong to another account: EMAIL_IN_USE, and nothing is sent", async () => {
    const app = emailApp();
    await app.signUp(BOB);
    const ada = await app.signUp(ADA);
    expectFailure(await app.call({ flow: "changeEmail", newEmail: BOB }, ada.as), "EMAIL_IN_USE");
    expectFailure(await app.call({ flow: "changeEmail", newEmail: ADA }, ada.as), "EMAIL_IN_USE");
    await sendScheduled(app.t);
    expect(app.box.to(BOB)).toHaveLength(0);
  });

  test("probing for taken addresses is counted like sends to them (RL-3)", async () => {
    const app = emailApp({ rateLimits: { codeSends: { max: 2 } } });
    await app.signUp(BOB);
    const ada = await app.signUp(ADA);
    expectFailure(await app.call({ flow: "changeEmail", newEmail: BOB }, ada.as), "EMAIL_IN_USE");
    expectFailure(await app.call({ flow: "changeEmail", newEmail: BOB }, ada.as), "EMAIL_IN_USE");
    expectFailure(await app.call({ flow: "changeEmail", newEmail: BOB }, ada.as), "RATE_LIMITED");
  });

  test("an address taken between the request and the code fails the change", async () => {
    const app = emailApp();
    const ada = await app.signUp(ADA);
    await app.call({ flow: "changeEmail", newEmail: NEW }, ada.as);
    const code = await app.codeFor(NEW);
    await app.signUp(NEW);
    expectFailure(await app.call({ flow: "changeEmailVerification", newEmail: NEW, code }, ada.as), "EMAIL_IN_USE");
    expect((await wardenTables(app.t)).accounts.map((account) => account.providerAccountId).sort()).toEqual([ADA, NEW].sort());
  });

  test("the code is bound to the user and the address it went to (OTP-4)", async () => {
    const app = emailApp();
    const ada = await app.signUp(ADA);
    const bob = await app.signUp(BOB);
    await app.call({ flow: "changeEmail", newEmail: NEW }, ada.as);
    const code = await app.codeFor(NEW);
    // Another user cannot use it, nor can it confirm another address.
    expectFailure(await app.call({ flow: "changeEmailVerification", newEmail: NEW, code }, bob.as), "INVALID_CODE");
    expectFailure(await app.call({ flow: "changeEmailVerification", newEmail: "other@example.org", code }, ada.as), "INVALID_CODE");
    const renewed = await asTestUser(app.t, tokensOf(await app.call({ flow: "changeEmailVerification", newEmail: NEW, code }, ada.as)));
    // Used once (OTP-3); and the change replaced the session it was made in.
    expectFailure(await app.call({ flow: "changeEmailVerification", newEmail: NEW, code }, renewed.as), "INVALID_CODE");
    await expect(app.call({ flow: "changeEmailVerification", newEmail: NEW, code }, ada.as)).rejects.toMatchObject({
      data: { code: "NOT_SIGNED_IN" },
    });
  });

  test("signed out, both steps throw NOT_SIGNED_IN", async () => {
    const app = emailApp();
    await expect(app.call({ flow: "changeEmail", newEmail: NEW })).rejects.toMatchObject({ data: { code: "NOT_SIGNED_IN" } });
    await expect(app.call({ flow: "changeEmailVerification", newEmail: NEW, code: "12345678" })).rejects.toMatchObject({
      data: { code: "NOT_SIGNED_IN" },
    });
  });

  test("the code expires (OTP-2) and a new request replaces it", async () => {
    const app = emailApp();
    const ada = await app.signUp(ADA);
    await app.call({ flow: "changeEmail", newEmail: NEW }, ada.as);
    const old = await app.codeFor(NEW);
    later(COOLDOWN);
    await app.call({ flow: "changeEmail", newEmail: NEW }, ada.as);
    const code = await app.codeFor(NEW);
    expect(failureOf(await app.call({ flow: "changeEmailVerification", newEmail: NEW, code: old }, ada.as))?.code).toBe("INVALID_CODE");
    later(10 * MINUTE + 1);
    expectFailure(await app.call({ flow: "changeEmailVerification", newEmail: NEW, code }, ada.as), "CODE_EXPIRED");
    const stored = JSON.stringify(await everything(app.t));
    expect(stored).not.toContain(code);
  });

  test("the code and the notice go through the app's Node sender module too", async () => {
    const box = outbox();
    const app = lifecycleApp({ changeEmail: true, email: { sender: { module: "authEmail" } } }, {}, {
      "../example/convex/authEmail.ts": async () => ({ send: senderAction(box.email, { logLevel: "silent" }) }),
    });
    const ada = await app.signUp(ADA);
    await app.call({ flow: "changeEmail", newEmail: NEW }, ada.as);
    await sendScheduled(app.t);
    const code = box.codeFor(NEW);
    await app.call({ flow: "changeEmailVerification", newEmail: NEW, code }, ada.as);
    await sendScheduled(app.t);
    expect(subjectsTo(box, ADA)).toEqual(["The email address of your Acme account was changed"]);
  });

  test("a notice that cannot be sent is logged and dropped: the change stands", async () => {
    const app = emailApp();
    const ada = await app.signUp(ADA);
    await app.call({ flow: "changeEmail", newEmail: NEW }, ada.as);
    const code = await app.codeFor(NEW);
    await app.call({ flow: "changeEmailVerification", newEmail: NEW, code }, ada.as);
    app.box.fail = new Error("provider down");
    await sendScheduled(app.t);
    expect(app.box.to(ADA)).toHaveLength(0);
    // The send ran to its end: the failure was handled, not thrown.
    const jobs = (await everything(app.t)).scheduled.filter((job) => job.name.endsWith("signInAction"));
    expect(jobs.map((job) => job.state.kind)).toEqual(jobs.map(() => "success"));
    expect((await wardenTables(app.t)).accounts).toMatchObject([{ providerAccountId: NEW }]);
  });
});
