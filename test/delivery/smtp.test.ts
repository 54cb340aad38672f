// @vitest-environment node
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { simpleParser } from "mailparser";
import selfsigned from "selfsigned";
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from "smtp-server";
import { afterEach, beforeAll, describe, expect, test } from "vitest";
import { isDeliveryError, type DeliveryError } from "convex-warden/delivery";
import { smtp, type SmtpOptions } from "convex-warden/delivery/smtp";
import { expectNothingSecret, rejection } from "./loopback";

const USER = "auth@acme.example";
const PASS = "smtp-pass-Lq8Zr2Vt6Wx0";
const CODE = "60417293";
const TO = "katherine.johnson@example.com";
const SECRETS = [PASS, CODE, TO];
const message = {
  to: TO,
  subject: "Your sign-in code for Acme",
  text: `Enter this code: ${CODE}\n`,
  html: `<p>Enter this code: <strong>${CODE}</strong></p>`,
};

interface Delivered {
  session: SMTPServerSession;
  raw: string;
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

/** A real SMTP server on 127.0.0.1 that keeps what it receives. Plain text unless TLS options are given. */
async function smtpServer(options: Partial<SMTPServerOptions> = {}) {
  const delivered: Delivered[] = [];
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASS) return callback(null, { user: USER });
      callback(Object.assign(new Error("Authentication credentials invalid"), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        delivered.push({ session: structuredClone(session), raw: Buffer.concat(chunks).toString("utf8") });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port, delivered };
}

/** A TCP server that speaks just enough SMTP to misbehave as the test says. */
async function rawServer(onConnection: (socket: Socket) => void) {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}

const plain = (port: number, extra: Partial<SmtpOptions> = {}) =>
  smtp({
    host: "127.0.0.1",
    port,
    secure: false,
    requireTls: false,
    auth: { user: USER, pass: PASS },
    from: "Acme <auth@acme.example>",
    ...extra,
  });

async function failureOf(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await rejection(promise);
  expect(isDeliveryError(error)).toBe(true);
  expectNothingSecret(error, SECRETS);
  return error as DeliveryError;
}

test("the server receives the envelope, subject, text and HTML parts; the receipt is the Message-ID", async () => {
  const { port, delivered } = await smtpServer();
  const receipt = await plain(port, { replyTo: "help@acme.example" }).send({
    ...message,
    headers: { "X-Acme-Purpose": "sign-in" },
  });

  expect(delivered).toHaveLength(1);
  const [{ session, raw }] = delivered as [Delivered];
  expect(session.user).toBe(USER);
  expect(session.envelope.mailFrom && session.envelope.mailFrom.address).toBe("auth@acme.example");
  expect(session.envelope.rcptTo.map((rcpt) => rcpt.address)).toEqual([TO]);

  const mail = await simpleParser(raw);
  expect(mail.subject).toBe(message.subject);
  expect(mail.text).toBe(message.text);
  expect(mail.html).toBe(message.html);
  expect(mail.from?.value).toEqual([{ address: "auth@acme.example", name: "Acme" }]);
  expect(mail.replyTo?.value).toEqual([{ address: "help@acme.example", name: "" }]);
  expect(mail.headers.get("x-acme-purpose")).toBe("sign-in");
  expect(receipt.id).toBe(mail.messageId);
  expect(receipt.id).toMatch(/^<.+@.+>$/);
});

describe("TLS", () => {
  let tls: { key: string; cert: string };
  beforeAll(async () => {
    const pems = await selfsigned.generate([{ name: "commonName", value: "127.0.0.1" }], {
      keyType: "ec",
      curve: "P-256",
      extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }],
    });
    tls = { key: pems.private, cert: pems.cert };
  });

  test("by default the connection is upgraded with STARTTLS and the server's certificate is verified", async () => {
    const { port, delivered } = await smtpServer({ disabledCommands: [], ...tls });
    await smtp({ host: "127.0.0.1", port, auth: { user: USER, pass: PASS }, from: USER, ca: tls.cert }).send(message);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.session.secure).toBe(true);
  });

  test("secure: true speaks TLS from the first byte", async () => {
    const { port, delivered } = await smtpServer({ secure: true, disabledCommands: [], ...tls });
    await smtp({ host: "127.0.0.1", port, secure: true, auth: { user: USER, pass: PASS }, from: USER, ca: tls.cert }).send(message);
    expect(delivered[0]!.session.secure).toBe(true);
  });

  test("a certificate that is not trusted is DELIVERY_REJECTED, and nothing is sent", async () => {
    const { port, delivered } = await smtpServer({ disabledCommands: [], ...tls });
    const error = await failureOf(smtp({ host: "127.0.0.1", port, auth: { user: USER, pass: PASS }, from: USER }).send(message));
    expect(error.code).toBe("DELIVERY_REJECTED");
    expect(error.detail).toBe("ETLS");
    expect(delivered).toHaveLength(0);
  });

  test("by default a server without STARTTLS gets nothing: DELIVERY_REJECTED", async () => {
    const { port, delivered } = await smtpServer();
    const error = await failureOf(smtp({ host: "127.0.0.1", port, auth: { user: USER, pass: PASS }, from: USER }).send(message));
    expect(error.code).toBe("DELIVERY_REJECTED");
    expect(error.detail).toBe("ETLS");
    expect(delivered).toHaveLength(0);
  });
});

describe("failures", () => {
  test("failed authentication is DELIVERY_REJECTED with the reply code", async () => {
    const { port, delivered } = await smtpServer();
    const error = await failureOf(plain(port, { auth: { user: USER, pass: `${PASS}-wrong` } }).send(message));
    expect(error.code).toBe("DELIVERY_REJECTED");
    expect(error.detail).toBe("EAUTH");
    expect(error.status).toBe(535);
    expect(error.provider).toBe("smtp");
    expect(delivered).toHaveLength(0);
  });

  test("a recipient refused with 550 is DELIVERY_REJECTED; with 450 it is DELIVERY_UNAVAILABLE", async () => {
    for (const [reply, code] of [
      [550, "DELIVERY_REJECTED"],
      [450, "DELIVERY_UNAVAILABLE"],
    ] as const) {
      const { port } = await smtpServer({
        onRcptTo(address, _session, callback) {
          callback(Object.assign(new Error(`<${address.address}>: Recipient address rejected`), { responseCode: reply }));
        },
      });
      const error = await failureOf(plain(port).send(message));
      expect(error.code).toBe(code);
      expect(error.status).toBe(reply);
    }
  });

  test("a server that closes the connection is DELIVERY_UNAVAILABLE", async () => {
    const port = await rawServer((socket) => {
      socket.write("220 mail.acme.example ESMTP\r\n");
      socket.once("data", () => socket.destroy());
    });
    const error = await failureOf(plain(port).send(message));
    expect(error.code).toBe("DELIVERY_UNAVAILABLE");
    expect(error.detail).toBe("ECONNECTION");
  });

  test("a server that never greets is DELIVERY_UNAVAILABLE after the timeout", async () => {
    const port = await rawServer(() => {});
    const started = Date.now();
    const error = await failureOf(plain(port, { timeoutMs: 300 }).send(message));
    expect(error.code).toBe("DELIVERY_UNAVAILABLE");
    expect(error.detail).toBe("ETIMEDOUT");
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test("a refused connection is DELIVERY_UNAVAILABLE", async () => {
    const port = await rawServer(() => {});
    await closers.pop()!();
    const error = await failureOf(plain(port).send(message));
    expect(error.code).toBe("DELIVERY_UNAVAILABLE");
    expect(error.detail).toBe("ESOCKET");
  });
});

describe("options are checked", () => {
  const valid = { host: "smtp.acme.example", from: USER };
  test.each([
    ["no host", { ...valid, host: "" }],
    ["no from", { host: "smtp.acme.example" }],
    ["a port out of range", { ...valid, port: 70_000 }],
    ["secure that is not a boolean", { ...valid, secure: "yes" }],
    ["auth without a password", { ...valid, auth: { user: USER, pass: "" } }],
    ["a CA that is not PEM", { ...valid, ca: "not a certificate" }],
    ["a negative timeout", { ...valid, timeoutMs: -1 }],
  ])("%s is a TypeError", (_, options) => {
    expect(() => smtp(options as never)).toThrow(TypeError);
  });

  test("the module is marked for Convex's Node runtime", async () => {
    const { readFile } = await import("node:fs/promises");
    const source = await readFile(new URL("../../src/delivery/smtp.ts", import.meta.url), "utf8");
    expect(source.startsWith('"use node";')).toBe(true);
  });
});
