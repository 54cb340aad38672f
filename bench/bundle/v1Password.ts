/** Bundle entry: the server side of a v1 app with Password only. */
import { Password } from "@convex-dev/auth/providers/Password";
import { v1App } from "./v1App";

export const { auth, signIn, signOut, store, isAuthenticated, http, schema, authConfig } = v1App([
  Password,
]);
