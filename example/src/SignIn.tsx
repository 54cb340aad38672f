import { useState } from "react";
import { useAuthState } from "convex-warden/react";
import { CodeEntry, EmailRequest } from "./EmailSignIn";
import { OAuthButtons } from "./OAuthButtons";
import { RedirectFailure } from "./RedirectFailure";
import { SignInForm } from "./SignInForm";

/**
 * The signed-out page: every way in, or the code step while an emailed code
 * is awaited (`useAuthState().flow`). The address is kept here: the flow has
 * only its masked form, and verifying or resending needs the address itself.
 */
export function SignIn() {
  const { flow } = useAuthState();
  const [email, setEmail] = useState<string | null>(null);
  if (flow?.step === "awaitingCode" && flow.provider === "email" && email !== null) {
    return <CodeEntry email={email} flow={flow} />;
  }
  return (
    <>
      <RedirectFailure />
      <SignInForm />
      <EmailRequest onSent={setEmail} />
      <OAuthButtons />
    </>
  );
}
