import { useAuthActions, useAuthState } from "convex-warden/react";
import { failureMessage } from "./errors";

/**
 * A sign-in that came back to the page and failed: an OAuth return with
 * `?wardenError=`, or a sign-in link refused (opened in another browser,
 * expired, already used). The client reports it as `flow.step ===
 * "redirectFailed"` with the code, which the message is chosen by.
 */
export function RedirectFailure() {
  const { flow } = useAuthState();
  const { cancelSignIn } = useAuthActions();
  if (flow?.step !== "redirectFailed") return null;
  const { code } = flow.error;
  return (
    <p role="alert" data-testid="redirect-error" data-code={code}>
      {failureMessage(flow.error)} <small>({code})</small>{" "}
      <button type="button" onClick={cancelSignIn}>
        Dismiss
      </button>
    </p>
  );
}
