import { useState, type FormEvent } from "react";
import type { SignInFlow } from "convex-warden/client";
import { useAuthActions } from "convex-warden/react";
import { errorMessage } from "./errors";
import { useSecondsUntil } from "./useSecondsUntil";

export type AwaitingCode = Extract<SignInFlow, { step: "awaitingCode" }>;

/**
 * Sign-in by email, step one: `signIn("email", { email })` sends a code and
 * a link (the console adapter prints them where the backend runs). The client
 * then reports `flow.step === "awaitingCode"`, and `CodeEntry` takes over.
 */
export function EmailRequest({ onSent }: { onSent(email: string): void }) {
  const { signIn } = useAuthActions();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = String(new FormData(event.currentTarget).get("email") ?? "");
    setError(null);
    setPending(true);
    try {
      await signIn("email", { email });
      onSent(email);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setPending(false);
    }
  }

  return (
    <form aria-labelledby="email-heading" onSubmit={(event) => void submit(event)}>
      <h2 id="email-heading">Sign in by email</h2>
      <p>No password: we email you a code to type and a link to open.</p>
      <label>
        Email <input name="email" type="email" autoComplete="email" required />
      </label>
      <button type="submit" disabled={pending}>
        Email me a code
      </button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}

/**
 * Step two: the code sent to `flow.destination` (masked by the server), a
 * resend once `flow.resendAt` has passed, and a way back. Opening the link
 * in this browser signs in too: the client finishes it on load.
 */
export function CodeEntry({ email, flow }: { email: string; flow: AwaitingCode }) {
  const { signIn, cancelSignIn } = useAuthActions();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const wait = useSecondsUntil(flow.resendAt);

  async function run(params: { email: string; code?: string }, done?: string) {
    setError(null);
    setNotice(null);
    setPending(true);
    try {
      await signIn("email", params);
      if (done) setNotice(done);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setPending(false);
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void run({ email, code: String(new FormData(event.currentTarget).get("code") ?? "") });
  }

  return (
    <form aria-labelledby="code-heading" onSubmit={submit}>
      <h2 id="code-heading">Check your email</h2>
      <p>
        We sent a code and a sign-in link to <strong data-testid="code-destination">{flow.destination}</strong>. Type
        the code, or open the link in this browser.
      </p>
      <label>
        Code <input name="code" inputMode="numeric" autoComplete="one-time-code" required />
      </label>
      <button type="submit" disabled={pending}>
        Sign in with the code
      </button>
      <button type="button" disabled={pending || wait > 0} onClick={() => void run({ email }, "A new code is on its way.")}>
        {wait > 0 ? `Resend in ${wait} s` : "Resend the code"}
      </button>
      <button type="button" onClick={cancelSignIn}>
        Use another way
      </button>
      {notice && <p role="status">{notice}</p>}
      {error && <p role="alert">{error}</p>}
    </form>
  );
}
