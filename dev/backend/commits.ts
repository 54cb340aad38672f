/**
 * Notices every commit to the deployment, whoever made it: a client's
 * mutation, an action's `runMutation`, a scheduled function (convex-test fires
 * those on real timers, on its own), an HTTP action. The database clock
 * (`ctx.meta.getSnapshotTs()`, the latest commit's timestamp) is read right
 * after each call the backend makes and, while anyone listens, every
 * `intervalMs` for the commits nobody asked for. Each advance is reported
 * once, with the new timestamp.
 */
import type { Timestamp } from "./values.js";

export interface CommitWatcherOptions {
  /** Reads the latest commit's timestamp. */
  snapshotTs: () => Promise<Timestamp>;
  /** How often to look while anyone listens. Default 50 ms. */
  intervalMs?: number;
  /** Where a failed read is reported. Default `console.error`. */
  onError?: (error: unknown) => void;
}

export function commitWatcher(options: CommitWatcherOptions) {
  const { snapshotTs, intervalMs = 50, onError = console.error } = options;
  const listeners = new Set<(ts: Timestamp) => void>();
  let latest: Timestamp = 0n;
  let reading: Promise<Timestamp> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function read(): Promise<Timestamp> {
    const ts = await snapshotTs();
    if (ts > latest) {
      latest = ts;
      for (const listener of [...listeners]) listener(ts);
    }
    return latest;
  }

  /** Reads the clock now (joining a read under way) and reports an advance. */
  const check = (): Promise<Timestamp> =>
    (reading ??= read().finally(() => {
      reading = null;
    }));

  /** Each start bumps the generation; a tick of an older one ends its loop. */
  let generation = 0;
  function start() {
    const mine = ++generation;
    const tick = () => {
      timer = setTimeout(async () => {
        await check().catch(onError);
        if (mine === generation) tick();
      }, intervalMs);
      timer.unref?.();
    };
    tick();
  }
  function stop() {
    generation++;
    clearTimeout(timer);
  }

  /** Calls `listener` after each commit until the returned function is called. */
  function subscribe(listener: (ts: Timestamp) => void): () => void {
    listeners.add(listener);
    if (listeners.size === 1) start();
    return () => {
      if (listeners.delete(listener) && listeners.size === 0) stop();
    };
  }

  return { check, subscribe, latest: () => latest };
}

export type CommitWatcher = ReturnType<typeof commitWatcher>;
