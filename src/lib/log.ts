/**
 * The one logger. Quiet by default; `debug` explains a sign-in step by step.
 * Fields whose names suggest a secret are redacted, so a careless call site
 * cannot leak a password, code, token or hash (LOG-2).
 */
export const LOG_LEVELS = ["silent", "error", "warn", "info", "debug"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  error(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  debug(event: string, fields?: LogFields): void;
}

const SECRET_FIELD = /pass|secret|token|code|hash|key|otp|credential/i;

export function redact(fields: LogFields): LogFields {
  const safe: LogFields = {};
  for (const [name, value] of Object.entries(fields)) {
    safe[name] = SECRET_FIELD.test(name) && value !== undefined ? "[redacted]" : value;
  }
  return safe;
}

export function createLogger(level: LogLevel, sink: Pick<Console, "error" | "warn" | "info" | "debug"> = console): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const at =
    (name: Exclude<LogLevel, "silent">) =>
    (event: string, fields: LogFields = {}) => {
      if (LOG_LEVELS.indexOf(name) > threshold) return;
      sink[name](`[convex-warden] ${event}`, redact(fields));
    };
  return { error: at("error"), warn: at("warn"), info: at("info"), debug: at("debug") };
}
