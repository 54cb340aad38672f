import { useState, type FormEvent } from "react";
import { useMutation, useQuery } from "convex/react";
import { useAuthActions } from "convex-warden/react";
import { api } from "../convex/_generated/api";
import { errorMessage } from "./errors";
import { Sessions } from "./Sessions";

/** The signed-in user, from an authenticated query, their data and their sessions. */
export function Viewer() {
  const viewer = useQuery(api.users.viewer);
  const { signOut } = useAuthActions();
  if (viewer === undefined) return <p>Loading…</p>;
  return (
    <section>
      <p>
        Signed in as <strong data-testid="viewer-email">{viewer?.email ?? "a user with no email"}</strong>
      </p>
      <button type="button" onClick={() => void signOut()}>
        Sign out
      </button>
      <FavoriteColor />
      <Sessions />
    </section>
  );
}

/** A live query of the user's own data, and the mutation that changes it. */
function FavoriteColor() {
  const color = useQuery(api.profile.favoriteColor);
  const setColor = useMutation(api.profile.setFavoriteColor);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setError(null);
    try {
      await setColor({ color: String(new FormData(form).get("color") ?? "") });
      form.reset();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  return (
    <form onSubmit={(event) => void submit(event)}>
      <p>
        Favorite color: <strong data-testid="favorite-color">{color === undefined ? "…" : (color ?? "not set")}</strong>
      </p>
      <label>
        New color <input name="color" required maxLength={40} />
      </label>
      <button type="submit">Save</button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}
