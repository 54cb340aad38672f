import { AuthLoading, Authenticated, Unauthenticated } from "convex/react";
import { ConnectionBanner } from "./ConnectionBanner";
import { SignIn } from "./SignIn";
import { Viewer } from "./Viewer";

export function App() {
  return (
    <main>
      <h1>convex-warden example</h1>
      <ConnectionBanner />
      <AuthLoading>
        <p>Loading…</p>
      </AuthLoading>
      <Unauthenticated>
        <SignIn />
      </Unauthenticated>
      <Authenticated>
        <Viewer />
      </Authenticated>
    </main>
  );
}
