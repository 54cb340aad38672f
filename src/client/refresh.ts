import type { WardenErrorCode } from "../shared/errors/index.js";

/** Time, injectable so tests move it instead of waiting. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/** The runtime's clock, looked up at each call (so fake timers apply). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};

/** The refresh failures that end the session. Every other failure is retried. */
export const SESSION_ENDED: readonly (WardenErrorCode | (string & {}))[] = [
  "INVALID_REFRESH_TOKEN",
  "REFRESH_TOKEN_REUSED",
  "SESSION_EXPIRED",
];

export interface RetryOptions {
  /** The delay after the first failed refresh. Default 1 s. */
  initialMs?: number;
  /** The longest delay; each failure doubles the last one up to it. Default 60 s. */
  maxMs?: number;
}

/** Milliseconds to wait after the `failures`-th failure in a row (1-based). */
export const backoff = ({ initialMs = 1000, maxMs = 60_000 }: RetryOptions, failures: number) =>
  Math.min(maxMs, initialMs * 2 ** (failures - 1));

/**
 * Runs refresh attempts one at a time: now (joining one already running), or
 * at a time set with `at`. `changed` resolves at the next `notify()`, which the
 * client calls when an attempt ends or the session changes.
 */
export function scheduler(attempt: () => Promise<void>, clock: Clock) {
  let running: Promise<void> | null = null;
  let timer: unknown;
  let wake = () => {};
  let changed = new Promise<void>((resolve) => (wake = resolve));
  const at = (delayMs: number | null) => {
    clock.clearTimeout(timer);
    timer = delayMs === null ? undefined : clock.setTimeout(run, Math.max(0, delayMs));
  };
  const run = (): Promise<void> =>
    (running ??= (async () => {
      at(null);
      try {
        await attempt();
      } finally {
        running = null;
        notify();
      }
    })());
  const notify = () => {
    wake();
    changed = new Promise((resolve) => (wake = resolve));
  };
  return { run, at, notify, changed: () => changed, pending: () => timer !== undefined };
}
export type Scheduler = ReturnType<typeof scheduler>;
