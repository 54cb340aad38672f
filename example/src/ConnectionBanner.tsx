import { useEffect, useState } from "react";
import { useConvexConnectionState } from "convex/react";
import { useAuthState } from "convex-warden/react";

/** A socket down for less than this is a blip (a token change reconnects it); no banner. */
const GRACE_MS = 2000;

/** Whether the Convex client has been failing to connect for longer than the grace period. */
function useUnreachable(): boolean {
  const { isWebSocketConnected, connectionRetries } = useConvexConnectionState();
  const failing = !isWebSocketConnected && connectionRetries > 0;
  const [late, setLate] = useState(false);
  useEffect(() => {
    if (!failing) return;
    const timer = setTimeout(() => setLate(true), GRACE_MS);
    return () => {
      clearTimeout(timer);
      setLate(false);
    };
  }, [failing]);
  return failing && late;
}

/**
 * Says when the backend is away. `reconnecting` is the auth client's own
 * state: the access token expired while the backend could not be reached to
 * refresh it. The session is kept and the user stays signed in; the client
 * retries at `retryAt`. Otherwise, when the Convex client cannot connect (a
 * signed-out visitor too), a plainer notice.
 */
export function ConnectionBanner() {
  const auth = useAuthState();
  const unreachable = useUnreachable();
  if (auth.status === "reconnecting") {
    return (
      <p role="status" className="banner" data-testid="connection-banner" data-reason="reconnecting">
        Reconnecting… The server cannot be reached to renew your sign-in. You stay signed in; next try at{" "}
        {new Date(auth.retryAt).toLocaleTimeString()}.
      </p>
    );
  }
  if (!unreachable) return null;
  return (
    <p role="status" className="banner" data-testid="connection-banner" data-reason="unreachable">
      The server cannot be reached. Retrying…
    </p>
  );
}
