import { useState } from "react";
import { useMutation } from "convex/react";
import type { FunctionReturnType } from "convex/server";
import { api } from "../convex/_generated/api";
import { errorMessage } from "./errors";
import { useQueryOrError } from "./useQueryOrError";

type SessionInfo = FunctionReturnType<typeof api.auth.listSessions>[number];

const when = (ms: number) => new Date(ms).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });

function Time({ at }: { at: number }) {
  return <time dateTime={new Date(at).toISOString()}>{when(at)}</time>;
}

/**
 * The user's sessions, live (`auth.listSessions`): each device with when it
 * signed in and was last used, this one marked. Ending another session, or
 * all others, makes that device's next refresh fail: it is signed out within
 * one access-token lifetime. Once this session itself has ended elsewhere,
 * the query fails with NOT_SIGNED_IN until this device's refresh is refused.
 */
export function Sessions() {
  const sessions = useQueryOrError(api.auth.listSessions);
  const revokeSession = useMutation(api.auth.revokeSession);
  const revokeOthers = useMutation(api.auth.revokeOtherSessions);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function act(action: () => Promise<string>) {
    setNotice(null);
    setError(null);
    try {
      setNotice(await action());
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }
  const endOne = (session: SessionInfo) =>
    act(async () => ((await revokeSession({ sessionId: session.sessionId })) ? "That session is signed out." : "That session had already ended."));
  const endOthers = () =>
    act(async () => {
      const { revoked } = await revokeOthers({});
      return `Signed out ${revoked} other ${revoked === 1 ? "session" : "sessions"}.`;
    });

  return (
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Your sessions</h2>
      {sessions === undefined && <p>Loading…</p>}
      {sessions instanceof Error && <p role="alert">{errorMessage(sessions)}</p>}
      {Array.isArray(sessions) && (
        <>
          <ul>
            {sessions.map((session) => (
              <li key={session.sessionId} data-testid="session" data-current={session.current}>
                <strong>{session.device ?? "Unknown device"}</strong>
                {session.current && <em> (this device)</em>}
                {session.guest && " (guest)"}
                <br />
                Signed in <Time at={session.createdAt} />, last used <Time at={session.lastUsedAt} />
                {!session.current && (
                  <>
                    {" "}
                    <button type="button" onClick={() => void endOne(session)}>
                      Sign out that session
                    </button>
                  </>
                )}
              </li>
            ))}
          </ul>
          <button type="button" disabled={sessions.length < 2} onClick={() => void endOthers()}>
            Sign out other sessions
          </button>
        </>
      )}
      {notice && <p role="status">{notice}</p>}
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
