// @vitest-environment node
import { afterEach, describe, expect, test, vi } from "vitest";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";
import { resend } from "convex-warden/delivery/resend";
import { smtp } from "convex-warden/delivery/smtp";
import { twilioSms } from "convex-warden/delivery/twilio";
import { Email } from "convex-warden/providers/Email";
import { Phone } from "convex-warden/providers/Phone";
import { senderAction } from "convex-warden/providers/codes";
import { api } from "../../example/convex/_generated/api";
import { json, loopback, type Answer, type Loopback } from "../delivery/loopback";
import { expectFailure, type ExampleApp } from "../setup";
import { everything } from "./support";
import { loadedExampleApp } from "./loaded";

/**
 * End to end through real servers on loopback: the sign-in mutation
 * schedules the send, the scheduled action calls the adapter, the adapter
 * talks to a Resend-, Twilio- or SMTP-shaped server the test runs, and the
 * code that server received signs the user in. Nothing reaches the internet.
 */
const API_KEY = "re_Loopback_7fQ2xL9vR4mT8wZ1";
const ACCOUNT_SID = `AC${"0123456789abcdef".repeat(2)}`;
const AUTH_TOKEN = "twilio-token-Zq4Wn8Rt2Lx6";
const ADA = "ada@example.com";
const NUMBER = "+447700900123";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
  vi.restoreAllMocks();
});

async function server(answer: Answer): Promise<Loopback> {
  const started = await loopback(answer);
  closers.push(() => started.close());
  return started;
}

/** Lets the sends the last mutation scheduled run, and waits for them. */
async function sendScheduled(t: ExampleApp) {
  await new Promise((resolve) => setTimeout(resolve, 5));
  await t.finishInProgressScheduledFunctions();
}

const codeIn = (text: string) => text.match(/^ {4}(\S+)$/m)?.[1] ?? text.match(/^(\S+) is your /)?.[1];

describe("email through a Resend-shaped server", () => {
  test("the scheduled send POSTs the message, and the code it carries signs in", async () => {
    const resendServer = await server(json(200, { id: "email-1" }));
    const sender = resend({ apiKey: API_KEY, from: "Acme <auth@acme.example>", baseUrl: resendServer.origin });
    const t = await loadedExampleApp({ providers: [Email({ appName: "Acme", sender })] });

    expect((await t.mutation(api.auth.signIn, { provider: "email", params: { email: ADA } })).kind).toBe("codeSent");
    expect(resendServer.received).toHaveLength(0);
    await sendScheduled(t);

    expect(resendServer.received).toHaveLength(1);
    const [request] = resendServer.received;
    expect(request!.method).toBe("POST");
    expect(request!.path).toBe("/emails");
    expect(request!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request!.headers["idempotency-key"]).toMatch(/^warden\//);
    const body = JSON.parse(request!.body) as { to: string[]; from: string; subject: string; text: string; html: string };
    expect(body).toMatchObject({ to: [ADA], from: "Acme <auth@acme.example>", subject: "Your sign-in code for Acme" });
    const code = codeIn(body.text)!;
    expect(code).toMatch(/^[0-9]{8}$/);
    expect(body.html).toContain(code);
    // The idempotency key is the challenge's, not derived from the code.
    expect(request!.headers["idempotency-key"]).not.toContain(code);

    const signedIn = await t.mutation(api.auth.signIn, { provider: "email", params: { email: ADA, code } });
    expect(signedIn.kind).toBe("signedIn");
  });

  test("a 500 from the server is recorded and reported; the code is in no log", async () => {
    const lines: string[] = [];
    for (const level of ["debug", "info", "warn", "error", "log"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(JSON.stringify(args)));
    }
    let status = 500;
    const resendServer = await server((received, response) =>
      json(status, status === 200 ? { id: "email-2" } : { name: "internal_server_error" })(received, response),
    );
    const sender = resend({ apiKey: API_KEY, from: "Acme <auth@acme.example>", baseUrl: resendServer.origin });
    const t = await loadedExampleApp({ providers: [Email({ appName: "Acme", sender })], logLevel: "debug" });

    await t.mutation(api.auth.signIn, { provider: "email", params: { email: ADA } });
    await sendScheduled(t);
    expect(resendServer.received).toHaveLength(1);
    const lost = codeIn((JSON.parse(resendServer.received[0]!.body) as { text: string }).text)!;

    const [challenge] = (await everything(t)).challenges;
    expect(challenge!.undelivered).toMatchObject({ reason: "unavailable" });
    const reported = await t.mutation(api.auth.signIn, { provider: "email", params: { email: ADA, code: "00000000" } });
    expect(reported).toEqual({ kind: "failed", error: { code: "DELIVERY_FAILED", reason: "unavailable" } });
    expect(lines.join("\n")).toContain("message not sent");
    expect(lines.join("\n")).toContain("DELIVERY_UNAVAILABLE");
    expect(lines.join("\n")).not.toContain(lost);
    expect(lines.join("\n")).not.toContain(API_KEY);

    // The client offers to resend; the server is back.
    status = 200;
    expect((await t.mutation(api.auth.signIn, { provider: "email", params: { email: ADA } })).kind).toBe("codeSent");
    await sendScheduled(t);
    const code = codeIn((JSON.parse(resendServer.received[1]!.body) as { text: string }).text)!;
    expect((await t.mutation(api.auth.signIn, { provider: "email", params: { email: ADA, code } })).kind).toBe("signedIn");
  });

  test("nothing is sent over the limit: the server receives nothing more", async () => {
    const resendServer = await server(json(200, { id: "email-3" }));
    const sender = resend({ apiKey: API_KEY, from: "Acme <auth@acme.example>", baseUrl: resendServer.origin });
    const t = await loadedExampleApp({
      providers: [Email({ appName: "Acme", sender, resendCooldownMs: 0 })],
      rateLimits: { codeSends: { max: 2, windowMs: 60 * 60_000 } },
    });
    for (let i = 0; i < 2; i++) {
      await t.mutation(api.auth.signIn, { provider: "email", params: { email: ADA } });
      await sendScheduled(t);
    }
    expectFailure(await t.mutation(api.auth.signIn, { provider: "email", params: { email: ADA } }), "RATE_LIMITED");
    await sendScheduled(t);
    expect(resendServer.received).toHaveLength(2);
  });
});

describe("SMS through a Twilio-shaped server", () => {
  test("the scheduled send POSTs the form with Basic auth, and the code signs in", async () => {
    const twilioServer = await server(json(201, { sid: "SM0123" }));
    const sender = twilioSms({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: "+15005550006", baseUrl: twilioServer.origin });
    const t = await loadedExampleApp({ providers: [Phone({ appName: "Acme", sender })] });
    const phone = { provider: "phone" as "email", params: { phone: NUMBER } as never };

    expect((await t.mutation(api.auth.signIn, phone)).kind).toBe("codeSent");
    await sendScheduled(t);
    const [request] = twilioServer.received;
    expect(request!.method).toBe("POST");
    expect(request!.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(request!.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString("base64")}`);
    const form = new URLSearchParams(request!.body);
    expect(form.get("To")).toBe(NUMBER);
    expect(form.get("From")).toBe("+15005550006");
    const code = codeIn(form.get("Body")!)!;
    expect(code).toMatch(/^[0-9]{6}$/);

    const signedIn = await t.mutation(api.auth.signIn, { provider: "phone" as "email", params: { phone: NUMBER, code } as never });
    expect(signedIn.kind).toBe("signedIn");
  });

  test("a refused number (Twilio's 400) is reported as rejected", async () => {
    const twilioServer = await server(json(400, { code: 21211, message: `The 'To' number ${NUMBER} is not valid.` }));
    const sender = twilioSms({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: "+15005550006", baseUrl: twilioServer.origin });
    const t = await loadedExampleApp({ providers: [Phone({ appName: "Acme", sender })], logLevel: "silent" });
    await t.mutation(api.auth.signIn, { provider: "phone" as "email", params: { phone: NUMBER } as never });
    await sendScheduled(t);
    expect(twilioServer.received).toHaveLength(1);
    const reported = await t.mutation(api.auth.signIn, { provider: "phone" as "email", params: { phone: NUMBER, code: "000000" } as never });
    expect(reported).toEqual({ kind: "failed", error: { code: "DELIVERY_FAILED", reason: "rejected" } });
  });
});

describe("email over SMTP, sent from the app's Node module", () => {
  /** A real SMTP server on 127.0.0.1 that keeps the raw messages it receives. */
  async function smtpServer(refuse = false) {
    const raw: string[] = [];
    const server = new SMTPServer({
      logger: false,
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          if (refuse) return callback(Object.assign(new Error("mailbox unavailable"), { responseCode: 550 }));
          raw.push(Buffer.concat(chunks).toString("utf8"));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return { port: (server.server.address() as AddressInfo).port, raw };
  }

  const smtpApp = (port: number) =>
    loadedExampleApp(
      { providers: [Email({ appName: "Acme", sender: { module: "authEmail" } })], logLevel: "silent" },
      {
        // convex/authEmail.ts of an app: "use node", and the action senderAction builds.
        authEmail: {
          send: senderAction(smtp({ host: "127.0.0.1", port, requireTls: false, from: "Acme <auth@acme.example>" }), {
            logLevel: "silent",
          }),
        },
      },
    );

  test("the mutation schedules the module's action, which sends through nodemailer", async () => {
    const mail = await smtpServer();
    const t = await smtpApp(mail.port);
    expect((await t.mutation(api.auth.signIn, { provider: "email", params: { email: ADA } })).kind).toBe("codeSent");
    const [job] = (await everything(t)).scheduled.filter((scheduled) => scheduled.name.startsWith("authEmail"));
    expect(job!.name).toBe("authEmail:send");
    await sendScheduled(t);
    for (let i = 0; i < 50 && mail.raw.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));

    expect(mail.raw).toHaveLength(1);
    const parsed = await simpleParser(mail.raw[0]!);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : "").toBe(ADA);
    expect(parsed.subject).toBe("Your sign-in code for Acme");
    const code = codeIn(parsed.text ?? "")!;
    expect(code).toMatch(/^[0-9]{8}$/);
    expect(parsed.html).toContain(code);
    expect((await t.mutation(api.auth.signIn, { provider: "email", params: { email: ADA, code } })).kind).toBe("signedIn");
  });

  test("a 550 from the server is recorded as rejected", async () => {
    const mail = await smtpServer(true);
    const t = await smtpApp(mail.port);
    await t.mutation(api.auth.signIn, { provider: "email", params: { email: ADA } });
    await sendScheduled(t);
    const reported = await t.mutation(api.auth.signIn, { provider: "email", params: { email: ADA, code: "00000000" } });
    expect(reported).toEqual({ kind: "failed", error: { code: "DELIVERY_FAILED", reason: "rejected" } });
  });
});
