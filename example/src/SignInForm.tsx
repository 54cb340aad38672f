import { useState, type FormEvent } from "react";
import { useAuthActions } from "convex-warden/react";
import { errorMessage } from "./errors";

type Flow = "signIn" | "signUp";

/** Password sign-in and sign-up: one form, the flow is a hidden field. */
export function SignInForm() {
  const { signIn } = useAuthActions();
  const [flow, setFlow] = useState<Flow>("signIn");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setPending(true);
    try {
      await signIn("password", new FormData(event.currentTarget));
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setPending(false);
    }
  }

  const other: Flow = flow === "signIn" ? "signUp" : "signIn";
  return (
    <form aria-labelledby="password-heading" onSubmit={(event) => void submit(event)}>
      <h2 id="password-heading">{flow === "signIn" ? "Sign in" : "Create an account"}</h2>
      <label>
        Email <input name="email" type="email" autoComplete="email" required />
      </label>
      <label>
        Password{" "}
        <input
          name="password"
          type="password"
          autoComplete={flow === "signIn" ? "current-password" : "new-password"}
          required
        />
      </label>
      <input name="flow" type="hidden" value={flow} />
      <button type="submit" disabled={pending}>
        {flow === "signIn" ? "Sign in" : "Sign up"}
      </button>
      <button type="button" onClick={() => setFlow(other)}>
        {other === "signIn" ? "I have an account" : "Create an account instead"}
      </button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}
