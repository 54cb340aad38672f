import { afterEach, describe, expect, test, vi } from "vitest";
import { pageLock } from "convex-warden/client";
import { defaultLock } from "../../src/client/lock";

afterEach(() => vi.unstubAllGlobals());

/** A promise and its resolver. */
function deferred() {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("pageLock", () => {
  test("runs tasks of one name one at a time, in order", async () => {
    const lock = pageLock();
    const log: string[] = [];
    const first = deferred();
    const a = lock("k", async () => {
      log.push("a start");
      await first.promise;
      log.push("a end");
    });
    const b = lock("k", async () => void log.push("b"));
    await Promise.resolve();
    expect(log).toEqual(["a start"]);
    first.resolve();
    await Promise.all([a, b]);
    expect(log).toEqual(["a start", "a end", "b"]);
  });

  test("tasks of other names do not wait", async () => {
    const lock = pageLock();
    const held = deferred();
    void lock("k", () => held.promise);
    await expect(lock("other", async () => "ran")).resolves.toBe("ran");
    held.resolve();
  });

  test("a failed task passes its error on and frees the lock", async () => {
    const lock = pageLock();
    await expect(lock("k", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(lock("k", async () => 1)).resolves.toBe(1);
  });
});

describe("defaultLock", () => {
  test("uses the Web Locks API where there is one", async () => {
    const request = vi.fn((_name: string, task: () => Promise<unknown>) => task());
    vi.stubGlobal("navigator", { locks: { request } });
    await expect(defaultLock()("convexWarden_x", async () => "done")).resolves.toBe("done");
    expect(request).toHaveBeenCalledWith("convexWarden_x", expect.any(Function));
  });

  test("falls back to one lock for the page without it", async () => {
    vi.stubGlobal("navigator", {});
    const [a, b] = [defaultLock(), defaultLock()];
    const held = deferred();
    const log: string[] = [];
    void a("k", async () => {
      await held.promise;
      log.push("a");
    });
    const second = b("k", async () => void log.push("b"));
    held.resolve();
    await second;
    expect(log).toEqual(["a", "b"]);
  });
});
