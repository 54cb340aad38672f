/**
 * Tells the client that another tab (or process) may have changed the stored
 * session, so it reads it again. Returns a function that stops listening.
 */
export type TabSync = (key: string, onChange: () => void) => () => void;

/** `storage` events: fired in every other tab when one writes `localStorage`. */
export const storageEvents: TabSync = (key, onChange) => {
  const listener = (event: StorageEvent) => {
    // A null key means the whole storage was cleared.
    if (event.key === key || event.key === null) onChange();
  };
  addEventListener("storage", listener);
  return () => removeEventListener("storage", listener);
};

/** Storage events where there is a window, else nothing to follow. */
export const defaultTabSync = (): TabSync | null =>
  typeof window === "undefined" ? null : storageEvents;
