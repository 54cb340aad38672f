import { useEffect, useState } from "react";

/** Whole seconds left until `at` (ms since epoch), ticking each second; 0 once it has passed or for null. */
export function useSecondsUntil(at: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return;
    const tick = () => {
      const time = Date.now();
      setNow(time);
      if (time >= at) clearInterval(timer);
    };
    const timer = setInterval(tick, 1000);
    tick();
    return () => clearInterval(timer);
  }, [at]);
  return at === null ? 0 : Math.max(0, Math.ceil((at - now) / 1000));
}
