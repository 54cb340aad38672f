import { AuthLoading, Authenticated, Unauthenticated } from "convex/react";
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
      </Unauthenticated>
      <Authenticated>
        <Viewer />
      </Authenticated>
    </main>
  );
}
