import { useQuery } from "convex/react";
import { useAuthActions } from "convex-warden/react";
import { api } from "../convex/_generated/api";

/** The signed-in user, from an authenticated query. */
export function Viewer() {
  const viewer = useQuery(api.users.viewer);
  const { signOut } = useAuthActions();
  if (viewer === undefined) return <p>Loading…</p>;
  return (
    <section>
      <p>
        Signed in as <strong>{viewer?.email ?? "a user with no email"}</strong>
      </p>
      <button type="button" onClick={() => void signOut()}>
        Sign out
      </button>
    </section>
  );
}
