import { AuthLoading, Authenticated, Unauthenticated } from "convex/react";
import { OAuthButtons } from "./OAuthButtons";
import { SignInForm } from "./SignInForm";
import { Viewer } from "./Viewer";

export function App() {
  return (
    <main>
      <h1>convex-warden example</h1>
      <AuthLoading>
        <p>Loading…</p>
      </AuthLoading>
      <Unauthenticated>
        <SignInForm />
        <OAuthButtons />
      </Unauthenticated>
      <Authenticated>
        <Viewer />
      </Authenticated>
    </main>
  );
}
