import { useState } from "react";
import { useAuthActions } from "convex-warden/react";
import { errorMessage } from "./errors";

/** Providers the example offers besides the password: "Dev OIDC" when `npm run example` runs it. */
const PROVIDERS = import.meta.env.VITE_DEV_OIDC ? [{ id: "dev-oidc", label: "Dev OIDC" }] : [];

/**
 * Sign-in with an OAuth provider: the browser leaves for the provider and
 * comes back to this page (or to `?next=`, which the server checks against
 * the site and its allowed origins). A failure on the way back is reported
 * by its code (`RedirectFailure`); one before leaving, here.
 */
export function OAuthButtons() {
  const { signIn } = useAuthActions();
  const [error, setError] = useState<string | null>(null);
  if (PROVIDERS.length === 0) return null;

  async function start(provider: string) {
    setError(null);
    const next = new URLSearchParams(window.location.search).get("next");
    try {
      await signIn(provider, { redirectTo: next ?? `${window.location.pathname}${window.location.search}` });
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  return (
    <section>
      {PROVIDERS.map(({ id, label }) => (
        <button key={id} type="button" onClick={() => void start(id)}>
          Continue with {label}
        </button>
      ))}
      {error && (
        <p role="alert" data-testid="oauth-error">
          {error}
        </p>
      )}
    </section>
  );
}
