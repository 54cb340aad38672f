/**
 * Runs `task` while holding the lock called `name`, so that only one refresh
 * (or session write) runs at a time. Across tabs with the Web Locks API.
 */
export type Lock = <T>(name: string, task: () => Promise<T>) => Promise<T>;

/**
 * A lock that serializes tasks within this page only. The fallback where Web
 * Locks are missing (React Native, old browsers): tabs may then refresh at the
 * same moment, which the server's grace window makes safe (SES-3).
 */
export function pageLock(): Lock {
  const tails = new Map<string, Promise<unknown>>();
  return (name, task) => {
    const run = (tails.get(name) ?? Promise.resolve()).then(task);
    tails.set(name, run.catch(() => {}));
    return run;
  };
}

const samePage = pageLock();

/** Web Locks where the runtime has them, else one lock shared by this page. */
export function defaultLock(): Lock {
  const locks = typeof navigator === "undefined" ? undefined : navigator.locks;
  return locks ? async (name, task) => await locks.request(name, task) : samePage;
}
