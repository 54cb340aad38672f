"use node";
/**
 * Email through any SMTP server, with nodemailer. Nodemailer needs Node's
 * `net` and `tls`, so this module runs only in Convex's Node runtime: import
 * it from a Convex file whose first line is `"use node"` (an action file),
 * never from one that runs in the default runtime. The HTTP adapters
 * (`resend`, `webhook`) need no such file.
 *
 * ```ts
 * "use node";
 * import { smtp } from "convex-warden/delivery/smtp";
 * const email = smtp({
 *   host: "smtp.example.com", port: 587,
 *   auth: { user: "auth@example.com", pass: process.env.AUTH_SMTP_PASSWORD! },
 *   from: "Acme <auth@example.com>",
 * });
 * ```
 *
 * Nodemailer's own logging stays off: an SMTP transcript contains the message.
 */
import { createTransport } from "nodemailer";
import { maskEmail } from "../lib/mask.js";
import { DeliveryError, safeDetail } from "./errors.js";
import { checkEmailMessage, checkOptionalToken, checkTimeout, checkToken, fail, isEmailAddress } from "./internal/validate.js";
import { DEFAULT_TIMEOUT_MS, type EmailMessage, type EmailSender } from "./types.js";

export interface SmtpOptions {
  /** The server's host name. Required. */
  host: string;
  /** The port. Default 465 when `secure`, else 587. */
  port?: number;
  /** TLS from the first byte (port 465). Default: true when the port is 465, else false (STARTTLS). */
  secure?: boolean;
  /**
   * When not `secure`, refuse to send unless the server upgrades the
   * connection with STARTTLS. Default true; false only for a server on the
   * same machine or network.
   */
  requireTls?: boolean;
  /** Credentials, passed in by the app. Default: none (no AUTH). */
  auth?: { user: string; pass: string };
  /** The sender: "Acme <auth@acme.com>". Required; a message's `from` overrides it. */
  from: string;
  /** Where replies go, unless the message says. Default: none. */
  replyTo?: string;
  /** Extra trusted CA certificates (PEM), for a server with a private CA. Default: the system's. */
  ca?: string | string[];
  /** How long to wait to connect, for the greeting, and at each step of the exchange, in ms. Default 10000. */
  timeoutMs?: number;
}

const WHERE = "smtp";

/**
 * An `EmailSender` over SMTP. Resolves with the Message-ID; rejects with a
 * `DeliveryError`: a 5xx reply or failed authentication is
 * `DELIVERY_REJECTED`, and so is a TLS failure (no STARTTLS when it is
 * required, an untrusted certificate); a 4xx reply, a timeout, a refused or dropped
 * connection is `DELIVERY_UNAVAILABLE`. `status` is the SMTP reply code and
 * `detail` nodemailer's error code ("EAUTH", "ECONNECTION", "ETIMEDOUT", …).
 */
export function smtp(options: SmtpOptions): EmailSender {
  if (typeof options !== "object" || options === null) fail(WHERE, "options are required");
  const host = checkToken(WHERE, "host", options.host);
  if (options.secure !== undefined && typeof options.secure !== "boolean") fail(WHERE, "secure must be a boolean");
  const port = options.port ?? (options.secure === true ? 465 : 587);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) fail(WHERE, "port must be an integer from 1 to 65535");
  const secure = options.secure ?? port === 465;
  if (options.requireTls !== undefined && typeof options.requireTls !== "boolean") {
    fail(WHERE, "requireTls must be a boolean");
  }
  const from = checkToken(WHERE, "from", options.from);
  if (options.replyTo !== undefined && !isEmailAddress(options.replyTo)) fail(WHERE, "replyTo must be one email address");
  const replyTo = checkOptionalToken(WHERE, "replyTo", options.replyTo);
  const timeoutMs = checkTimeout(WHERE, options.timeoutMs, DEFAULT_TIMEOUT_MS);
  const transport = createTransport({
    host,
    port,
    secure,
    requireTLS: !secure && options.requireTls !== false,
    ...(options.auth === undefined ? {} : { auth: checkAuth(options.auth) }),
    ...(options.ca === undefined ? {} : { tls: { ca: checkCa(options.ca) } }),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    logger: false,
    debug: false,
    disableFileAccess: true,
    disableUrlAccess: true,
  });

  return {
    kind: "email",
    id: "smtp",
    async send(message: EmailMessage) {
      checkEmailMessage(WHERE, message);
      const reply = message.replyTo ?? replyTo;
      try {
        const info = await transport.sendMail({
          from: message.from ?? from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html === undefined ? {} : { html: message.html }),
          ...(reply === undefined ? {} : { replyTo: reply }),
          ...(message.headers === undefined ? {} : { headers: message.headers }),
        });
        return typeof info.messageId === "string" ? { id: info.messageId } : {};
      } catch (error) {
        throw deliveryError(error, maskEmail(message.to));
      }
    },
  };
}

function checkAuth(auth: unknown): { user: string; pass: string } {
  if (typeof auth !== "object" || auth === null) fail(WHERE, "auth must be { user, pass }");
  const { user, pass } = auth as { user?: unknown; pass?: unknown };
  return { user: checkToken(WHERE, "auth.user", user), pass: checkToken(WHERE, "auth.pass", pass) };
}

function checkCa(ca: unknown): string | string[] {
  const list = Array.isArray(ca) ? ca : [ca];
  if (list.length === 0 || !list.every((item) => typeof item === "string" && item.includes("BEGIN CERTIFICATE"))) {
    fail(WHERE, "ca must be one or more PEM certificates");
  }
  return ca as string | string[];
}

/** Codes for problems of configuration, which a retry will not fix. */
const REFUSALS = new Set(["EAUTH", "ENOAUTH", "ETLS", "ECONFIG", "EENVELOPE", "EMESSAGE"]);

/**
 * Maps a nodemailer failure by its reply code (5xx refused, 4xx transient),
 * else by its error code. Its message is dropped: it can quote the server's
 * reply, which can quote the recipient.
 */
function deliveryError(error: unknown, recipient: string): DeliveryError {
  const { code, responseCode, message } = (typeof error === "object" && error !== null ? error : {}) as {
    code?: unknown;
    responseCode?: unknown;
    message?: unknown;
  };
  // Nodemailer reports a certificate that fails verification as a socket
  // error, losing Node's code; only its message tells. Retrying cannot fix it.
  const badCertificate = code === "ESOCKET" && typeof message === "string" && /certificate/i.test(message);
  const detail = badCertificate ? "ETLS" : (safeDetail(code) ?? "error");
  const status = typeof responseCode === "number" && responseCode >= 200 && responseCode < 600 ? responseCode : undefined;
  const rejected = status !== undefined ? status >= 500 : REFUSALS.has(detail);
  return new DeliveryError({
    code: rejected ? "DELIVERY_REJECTED" : "DELIVERY_UNAVAILABLE",
    provider: "smtp",
    recipient,
    detail,
    ...(status === undefined ? {} : { status }),
  });
}
