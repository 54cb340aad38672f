import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { asTestUser } from "convex-warden/test";
import { components } from "../../example/convex/_generated/api";
import { everything, rowCounts } from "../codes/support";
import { expectFailure, tokensOf, wardenTables } from "../setup";
import { fastHasher } from "../accounts/support";
import { ADA, BOB, COOLDOWN, failureOf, subjectsTo, later, lifecycleApp, OTHER_PASSWORD, PASSWORD, SITE } from "./support";

const MINUTE = 60_000;

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe("sign-up with verification (EN-1)", () => {
  test("sign-up answers codeSent and stores no user, account or session until the code comes back", async () => {
    const app = lifecycleApp({ verify: true });
    expect(await app.call({ flow: "signUp", email: ADA, password: PASSWORD })).toEqual({
      kind: "codeSent",
      provider: "password",
      destination: "a•••@example.com",
      resendAfterMs: 30_000,
    });
    const counts = await rowCounts(app.t);
    expect([counts.users, counts.accounts, counts.sessions]).toEqual([0, 0, 0]);
    const code = await app.codeFor(ADA);
    expect(subjectsTo(app.box, ADA)).toEqual(["Verify your email address for Acme"]);
    const result = await app.call({ flow: "emailVerification", email: ADA, password: PASSWORD, code });
    expect(result.kind).toBe("signedIn");
    const { users, accounts, sessions } = await everything(app.t);
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({ email: ADA });
    expect(users[0]!.emailVerificationTime).toBeCloseTo(Date.now(), -2);
    expect(accounts).toMatchObject([{ provider: "password", providerAccountId: ADA, userId: users[0]!._id }]);
    expect(sessions).toHaveLength(1);
    // Verified: the next sign-in signs in at once.
    expect((await app.call({ flow: "signIn", email: ADA, password: PASSWORD })).kind).toBe("signedIn");
  });

  test("a taken, verified address answers the same, pays the same, and its owner gets an email instead of an error", async () => {
    const app = lifecycleApp({ verify: true });
    await app.signUp(ADA);
    app.box.emails.length = 0;
    later(COOLDOWN);
    const before = { ...app.counts };
    const taken = await app.call({ flow: "signUp", email: ADA, password: OTHER_PASSWORD });
    const takenCost = { hash: app.counts.hash - before.hash, verify: app.counts.verify - before.verify };
    const fresh = { ...app.counts };
    const untaken = await app.call({ flow: "signUp", email: "ann@example.com", password: OTHER_PASSWORD });
    // Both addresses mask to the same destination, so the answers can be compared whole.
    expect(untaken.kind === "codeSent" && untaken.destination).toBe("a•••@example.com");
    expect(taken).toEqual(untaken);
    expect({ hash: app.counts.hash - fresh.hash, verify: app.counts.verify - fresh.verify }).toEqual(takenCost);
    // The owner is told, in a message whose code would set the password typed with it (a reset by proof of the mailbox).
    await app.codeFor(ADA);
    expect(subjectsTo(app.box, ADA)).toEqual(["Reset your Acme password"]);
    // Nothing changed: Ada's password still works, the other one does not.
    expect((await app.call({ flow: "signIn", email: ADA, password: PASSWORD })).kind).toBe("signedIn");
    expectFailure(await app.call({ flow: "signIn", email: ADA, password: OTHER_PASSWORD }), "INVALID_CREDENTIALS");
    expect((await wardenTables(app.t)).accounts).toHaveLength(1);
  });

  test("signing up again with someone's verified address takes nothing: the code goes to them, not to the asker", async () => {
    const app = lifecycleApp({ verify: true });
    const ada = await app.signUp(ADA);
    later(COOLDOWN);
    const intruder = await app.call({ flow: "signUp", email: ADA, password: OTHER_PASSWORD });
    expect(intruder.kind).toBe("codeSent");
    // Guessing at the code with the intruder's password spends attempts and sets nothing.
    for (const guess of ["00000000", "11111111"]) {
      expect(failureOf(await app.call({ flow: "emailVerification", email: ADA, password: OTHER_PASSWORD, code: guess }))?.code).toBe(
        "INVALID_CODE",
      );
    }
    // Ada's session is untouched and her password unchanged.
    expect((await wardenTables(app.t)).sessions.map((session) => session._id)).toContain(ada.sessionId);
    expect((await app.call({ flow: "signIn", email: ADA, password: PASSWORD })).kind).toBe("signedIn");
  });

  test("the owner's code, typed with the password they signed up with again, sets it and ends their other sessions", async () => {
    const app = lifecycleApp({ verify: true });
    const elsewhere = await app.signUp(ADA);
    later(COOLDOWN);
    await app.call({ flow: "signUp", email: ADA, password: OTHER_PASSWORD });
    const code = await app.codeFor(ADA);
    const result = await app.call({ flow: "emailVerification", email: ADA, password: OTHER_PASSWORD, code });
    expect(result.kind).toBe("signedIn");
    const { sessions, events } = await wardenTables(app.t);
    expect(sessions.map((session) => session._id)).not.toContain(elsewhere.sessionId);
    expect(sessions).toHaveLength(1);
    expect(events.map((event) => event.type)).toContain("passwordReset");
    expectFailure(await app.call({ flow: "signIn", email: ADA, password: PASSWORD }), "INVALID_CREDENTIALS");
    expect((await app.call({ flow: "signIn", email: ADA, password: OTHER_PASSWORD })).kind).toBe("signedIn");
  });

  test("two sign-ups for one new address: the latest code only works with the latest password, so the owner never adopts another's", async () => {
    const app = lifecycleApp({ verify: true });
    // Ada signs up; someone else signs up with her address just after, with their own password.
    await app.call({ flow: "signUp", email: ADA, password: PASSWORD });
    later(COOLDOWN);
    await app.call({ flow: "signUp", email: ADA, password: OTHER_PASSWORD });
    // Ada's mailbox holds the latest code, issued for the other password. Typed with hers, it does nothing.
    const latest = await app.codeFor(ADA);
    expectFailure(await app.call({ flow: "emailVerification", email: ADA, password: PASSWORD, code: latest }), "INVALID_CREDENTIALS");
    expect((await rowCounts(app.t)).accounts).toBe(0);
    // The other person has the password but not the mailbox: no code, no account.
    expectFailure(await app.call({ flow: "emailVerification", email: ADA, password: OTHER_PASSWORD, code: "12345678" }), "INVALID_CODE");
    // Ada signs up again and her code, with her password, creates her account with her password.
    later(COOLDOWN);
    await app.call({ flow: "signUp", email: ADA, password: PASSWORD });
    const mine = await app.codeFor(ADA);
    expect((await app.call({ flow: "emailVerification", email: ADA, password: PASSWORD, code: mine })).kind).toBe("signedIn");
    expectFailure(await app.call({ flow: "signIn", email: ADA, password: OTHER_PASSWORD }), "INVALID_CREDENTIALS");
  });

  test("an unverified account created before verification was on gets no session until its address is proven", async () => {
    const box = lifecycleApp({ verify: true });
    const { t, call } = box;
    const userId = await t.run((ctx) => ctx.db.insert("users", { email: ADA }));
    await t.mutation(components.warden.accounts.create, {
      userId,
      provider: "password",
      providerAccountId: ADA,
      secret: await fastHasher.hash(PASSWORD),
    });
    expect((await call({ flow: "signIn", email: ADA, password: PASSWORD })).kind).toBe("codeSent");
    expect((await rowCounts(t)).sessions).toBe(0);
    // A wrong password gets no code.
    expectFailure(await call({ flow: "signIn", email: ADA, password: OTHER_PASSWORD }), "INVALID_CREDENTIALS");
    const code = await box.codeFor(ADA);
    expect((await call({ flow: "emailVerification", email: ADA, password: PASSWORD, code })).kind).toBe("signedIn");
    const user = await t.run((ctx) => ctx.db.get(userId));
    expect(user!.emailVerificationTime).toBeDefined();
    expect((await call({ flow: "signIn", email: ADA, password: PASSWORD })).kind).toBe("signedIn");
    expect((await wardenTables(t)).events.map((event) => event.type)).toContain("emailVerified");
  });

  test("signing in before verifying sends the code again, with the password signed up with", async () => {
    const app = lifecycleApp({ verify: true });
    await app.call({ flow: "signUp", email: ADA, password: PASSWORD });
    expectFailure(await app.call({ flow: "signIn", email: ADA, password: PASSWORD }), "RATE_LIMITED");
    later(COOLDOWN);
    expectFailure(await app.call({ flow: "signIn", email: ADA, password: OTHER_PASSWORD }), "INVALID_CREDENTIALS");
    expect((await app.call({ flow: "signIn", email: ADA, password: PASSWORD })).kind).toBe("codeSent");
    const code = await app.codeFor(ADA);
    expect(app.box.to(ADA)).toHaveLength(2);
    expect((await app.call({ flow: "emailVerification", email: ADA, password: PASSWORD, code })).kind).toBe("signedIn");
  });

  test("a sign-up not verified in the code's lifetime is forgotten (OTP-2)", async () => {
    const app = lifecycleApp({ verify: true });
    await app.call({ flow: "signUp", email: ADA, password: PASSWORD });
    const code = await app.codeFor(ADA);
    later(10 * MINUTE + 1);
    expectFailure(await app.call({ flow: "emailVerification", email: ADA, password: PASSWORD, code }), "CODE_EXPIRED");
    expectFailure(await app.call({ flow: "signIn", email: ADA, password: PASSWORD }), "INVALID_CREDENTIALS");
    expect((await rowCounts(app.t)).accounts).toBe(0);
  });

  test("a code is used once (OTP-3) and dies after its attempts (OTP-6)", async () => {
    const app = lifecycleApp({ verify: true });
    await app.call({ flow: "signUp", email: ADA, password: PASSWORD });
    const code = await app.codeFor(ADA);
    const wrong = code.replace(/./, (digit) => String((Number(digit) + 1) % 10));
    for (let left = 4; left >= 0; left--) {
      const result = await app.call({ flow: "emailVerification", email: ADA, password: PASSWORD, code: wrong });
      expect(failureOf(result)).toEqual(left > 0 ? { code: "INVALID_CODE", attemptsLeft: left } : { code: "INVALID_CODE", attemptsLeft: 0 });
    }
    expectFailure(await app.call({ flow: "emailVerification", email: ADA, password: PASSWORD, code }), "INVALID_CREDENTIALS");
    later(COOLDOWN);
    await app.call({ flow: "signUp", email: ADA, password: PASSWORD });
    const next = await app.codeFor(ADA);
    expect((await app.call({ flow: "emailVerification", email: ADA, password: PASSWORD, code: next })).kind).toBe("signedIn");
    expect(failureOf(await app.call({ flow: "emailVerification", email: ADA, password: PASSWORD, code: next }))?.code).toBe(
      "INVALID_CODE",
    );
  });

  test("wrong passwords and wrong codes count against the account's failures (RL-1)", async () => {
    const app = lifecycleApp({ verify: true }, { rateLimits: { failedSignIns: { max: 3 } } });
    await app.call({ flow: "signUp", email: ADA, password: PASSWORD });
    const code = await app.codeFor(ADA);
    await app.call({ flow: "emailVerification", email: ADA, password: OTHER_PASSWORD, code });
    await app.call({ flow: "emailVerification", email: ADA, password: OTHER_PASSWORD, code });
    await app.call({ flow: "emailVerification", email: ADA, password: PASSWORD, code: "00000000" });
    expectFailure(await app.call({ flow: "emailVerification", email: ADA, password: PASSWORD, code }), "RATE_LIMITED");
  });

  test("sign-up sends to one address are limited, taken or not (RL-3)", async () => {
    const app = lifecycleApp({ verify: true }, { rateLimits: { codeSends: { max: 2 } } });
    await app.signUp(BOB);
    for (const email of [ADA, BOB]) {
      const answers = [];
      for (let i = 0; i < 3; i++) {
        later(COOLDOWN);
        answers.push((await app.call({ flow: "signUp", email, password: OTHER_PASSWORD })).kind);
      }
      // Bob's own verification was his first send.
      expect(answers).toEqual(email === ADA ? ["codeSent", "codeSent", "failed"] : ["codeSent", "failed", "failed"]);
    }
  });

  test("the pending password waits as a hash: no code, password or token in any table (OTP-5)", async () => {
    const app = lifecycleApp({ verify: { link: { siteUrl: SITE } } });
    await app.call({ flow: "signUp", email: ADA, password: PASSWORD });
    const code = await app.codeFor(ADA);
    const token = app.box.linkFor(ADA).searchParams.get("wardenCode")!;
    const stored = JSON.stringify(await everything(app.t));
    for (const secret of [PASSWORD, code, token]) expect(stored).not.toContain(secret);
    const [challenge] = (await wardenTables(app.t)).challenges;
    expect(challenge!.data.secret).toMatch(/^\$test-sha256\$/);
  });
});

test("with verification on, sign-in of an unknown address and a wrong password answer alike and pay alike (EN-1)", async () => {
  const app = lifecycleApp({ verify: true });
  await app.signUp(ADA);
  const before = { ...app.counts };
  const wrong = await app.call({ flow: "signIn", email: ADA, password: OTHER_PASSWORD });
  const wrongCost = app.counts.hash + app.counts.verify - before.hash - before.verify;
  const mid = { ...app.counts };
  const unknown = await app.call({ flow: "signIn", email: "ann@example.com", password: OTHER_PASSWORD });
  expect(unknown).toEqual(wrong);
  expect(failureOf(unknown)).toEqual({ code: "INVALID_CREDENTIALS" });
  expect(app.counts.hash + app.counts.verify - mid.hash - mid.verify).toBe(wrongCost);
  expect(wrongCost).toBe(1);
});

describe("verification links", () => {
  const linkApp = () => lifecycleApp({ verify: { code: false, link: { siteUrl: SITE, path: "/welcome" } } });

  test("the link lands on the configured site with the client's hand-off, and signs in the browser that signed up (OTP-7)", async () => {
    const app = linkApp();
    const sent = await app.call({ flow: "signUp", email: ADA, password: PASSWORD });
    if (sent.kind !== "codeSent") throw new Error("no code sent");
    expect(sent.verifier).toEqual(expect.any(String));
    const link = await app.linkFor(ADA);
    expect(link.origin + link.pathname).toBe(`${SITE}/welcome`);
    expect(link.searchParams.get("wardenProvider")).toBe("password");
    const token = link.searchParams.get("wardenCode")!;
    expect(token.length).toBeGreaterThanOrEqual(43); // 256 bits (OTP-1)
    const result = await app.call({ code: token, verifier: sent.verifier });
    expect(result.kind).toBe("signedIn");
    expect((await everything(app.t)).users[0]!.emailVerificationTime).toBeDefined();
  });

  test("opened in another browser it fails with LINK_OTHER_BROWSER and still works where it was asked for", async () => {
    const app = linkApp();
    const sent = await app.call({ flow: "signUp", email: ADA, password: PASSWORD });
    const token = (await app.linkFor(ADA)).searchParams.get("wardenCode")!;
    expectFailure(await app.call({ code: token }), "LINK_OTHER_BROWSER");
    expect((await rowCounts(app.t)).accounts).toBe(0);
    const verifier = sent.kind === "codeSent" ? sent.verifier : undefined;
    expect((await app.call({ code: token, verifier })).kind).toBe("signedIn");
  });

  test("a link to another person's sign-up is spent by a wrong verifier, and creates nothing", async () => {
    const app = linkApp();
    await app.call({ flow: "signUp", email: ADA, password: PASSWORD });
    const token = (await app.linkFor(ADA)).searchParams.get("wardenCode")!;
    expectFailure(await app.call({ code: token, verifier: "not this browser's" }), "INVALID_CODE");
    expect((await rowCounts(app.t)).accounts).toBe(0);
  });

  test("links are bound to the browser, always: allowOtherBrowser is refused", async () => {
    expect(() => lifecycleApp({ verify: { link: { siteUrl: SITE, allowOtherBrowser: true } as never } })).toThrow(
      expect.objectContaining({ code: "INVALID_CONFIG", option: "Password.verify.link.allowOtherBrowser" }),
    );
  });
});

describe("verification off", () => {
  test("sign-up signs in at once, and a taken address answers ACCOUNT_EXISTS, as before", async () => {
    const app = lifecycleApp();
    const ada = await app.signUp(ADA);
    expect(ada.userId).toBeDefined();
    expectFailure(await app.call({ flow: "signUp", email: ADA, password: OTHER_PASSWORD }), "ACCOUNT_EXISTS");
  });

  test("flows that are off throw UNSUPPORTED_FLOW", async () => {
    const app = lifecycleApp();
    for (const params of [
      { flow: "emailVerification", email: ADA, password: PASSWORD, code: "12345678" },
      { code: "token" },
      { flow: "reset", email: ADA },
      { flow: "resetVerification", email: ADA, code: "12345678", newPassword: OTHER_PASSWORD },
      { flow: "changeEmail", newEmail: BOB },
    ]) {
      await expect(app.call(params)).rejects.toMatchObject({ data: { code: "UNSUPPORTED_FLOW" } });
    }
  });

  test("params that name a flow but fit none are INVALID_ARGUMENT naming the field, not a link", async () => {
    const app = lifecycleApp({ verify: true });
    await expect(app.call({ flow: "emailVerification", email: ADA, code: "12345678" })).rejects.toMatchObject({
      data: { code: "INVALID_ARGUMENT", field: "password" },
    });
  });
});

test("a verified user signs in with the token the code gave (a real session)", async () => {
  const app = lifecycleApp({ verify: true });
  await app.call({ flow: "signUp", email: ADA, password: PASSWORD });
  const code = await app.codeFor(ADA);
  const user = await asTestUser(app.t, tokensOf(await app.call({ flow: "emailVerification", email: ADA, password: PASSWORD, code })));
  expect(user.claims.sub).toBe(user.userId);
});
