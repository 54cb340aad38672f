/**
 * Wall-clock time spent inside password hashing. Both bench apps wrap their
 * hasher with `timeHashing`; the runner resets the total before a timed call
 * and reads it after, so each sample splits into "hashing" and "the rest".
 * The apps run in this process (convex-test), so this module is shared state.
 */
let spentMs = 0;

export function resetHashingTime(): void {
  spentMs = 0;
}

export function hashingTime(): number {
  return spentMs;
}

export async function timeHashing<T>(work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    spentMs += performance.now() - start;
  }
}
