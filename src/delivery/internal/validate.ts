/**
 * Checks of adapter options (at construction) and messages (at send). A
 * failure is a programmer error, a `TypeError` naming the field, never its
 * value: the value may be a key or a message body.
 */
import type { EmailMessage, SmsMessage } from "../types.js";

const CONTROL = /[\u0000-\u001f\u007f]/;
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function fail(where: string, problem: string): never {
  throw new TypeError(`${where}: ${problem}`);
}

/** A non-empty string without line breaks or other control characters (safe in a header). */
export function checkToken(where: string, name: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "" || CONTROL.test(value)) {
    fail(where, `${name} must be a non-empty string without control characters`);
  }
  return value;
}

export function checkOptionalToken(where: string, name: string, value: unknown): string | undefined {
  return value === undefined ? undefined : checkToken(where, name, value);
}

/**
 * An absolute https URL (http only on loopback, for local services and
 * tests), returned as given. Credentials in the URL are refused: they would
 * travel into every log that prints the URL.
 */
export function checkUrl(where: string, name: string, value: unknown): string {
  if (typeof value !== "string") fail(where, `${name} must be a URL string`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(where, `${name} must be an absolute URL`);
  }
  const secure = url.protocol === "https:" || (url.protocol === "http:" && isLoopback(url.hostname));
  if (!secure) fail(where, `${name} must use https (http is allowed only for localhost)`);
  if (url.username !== "" || url.password !== "") fail(where, `${name} must not contain credentials`);
  return url.href;
}

/** An API origin (and optional path prefix) that paths are appended to: no query, no fragment, no trailing slash. */
export function checkBaseUrl(where: string, name: string, value: unknown): string {
  const href = checkUrl(where, name, value);
  const url = new URL(href);
  if (url.search !== "" || url.hash !== "") fail(where, `${name} must not have a query or fragment`);
  return href.replace(/\/+$/, "");
}

function isLoopback(hostname: string): boolean {
  return LOOPBACK.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

export function checkTimeout(where: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 120_000) {
    fail(where, "timeoutMs must be an integer from 1 to 120000");
  }
  return value;
}

export function checkFunction<T>(where: string, name: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== "function") fail(where, `${name} must be a function`);
  return value;
}

export function checkHeaders(where: string, name: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(where, `${name} must be an object of header names to values`);
  }
  const headers: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(key)) fail(where, `${name} has an invalid header name`);
    if (typeof item !== "string" || CONTROL.test(item)) {
      fail(where, `${name} values must be strings without control characters`);
    }
    headers[key] = item;
  }
  return headers;
}

/** Loose on purpose (one "@", no spaces or controls): the provider is the real judge. */
export function isEmailAddress(value: unknown): value is string {
  return typeof value === "string" && value.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(value) && !CONTROL.test(value);
}

const E164 = /^\+[1-9][0-9]{6,14}$/;

export function isE164(value: unknown): value is string {
  return typeof value === "string" && E164.test(value);
}

export function checkEmailMessage(where: string, message: EmailMessage): EmailMessage {
  if (typeof message !== "object" || message === null) fail(where, "the message must be an object");
  if (!isEmailAddress(message.to)) fail(where, "message.to must be one email address");
  checkToken(where, "message.subject", message.subject);
  if (typeof message.text !== "string" || message.text === "") fail(where, "message.text must be a non-empty string");
  if (message.html !== undefined && typeof message.html !== "string") fail(where, "message.html must be a string");
  checkOptionalToken(where, "message.from", message.from);
  if (message.replyTo !== undefined && !isEmailAddress(message.replyTo)) {
    fail(where, "message.replyTo must be one email address");
  }
  checkHeaders(where, "message.headers", message.headers);
  checkOptionalToken(where, "message.idempotencyKey", message.idempotencyKey);
  return message;
}

export function checkSmsMessage(where: string, message: SmsMessage): SmsMessage {
  if (typeof message !== "object" || message === null) fail(where, "the message must be an object");
  if (!isE164(message.to)) fail(where, "message.to must be a phone number in E.164 form (+ and 7 to 15 digits)");
  if (typeof message.text !== "string" || message.text === "") fail(where, "message.text must be a non-empty string");
  checkOptionalToken(where, "message.idempotencyKey", message.idempotencyKey);
  return message;
}
