import { convexTest } from "convex-test";
import { expect, test } from "vitest";
import { register, signInTestUser } from "convex-warden/test";
import { api } from "./_generated/api";
import schema from "./schema";

// `./_generated/` is written by `npx convex dev` (or `npx convex codegen`), as in any Convex app.
const modules = import.meta.glob("./**/*.ts");

test("a signed-in user sees their own profile, and nobody else does", async () => {
  const t = convexTest(schema, modules);
  register(t); // mounts convex-warden and the components it uses
  const ada = await signInTestUser(t, api.auth.signIn, {
    provider: "password",
    params: { flow: "signUp", email: "ada@example.com", password: "correct horse battery" },
  });
  expect(await ada.as.query(api.users.viewer, {})).toEqual({ id: ada.userId, email: "ada@example.com" });
  expect(await t.query(api.users.viewer, {})).toBeNull();
});
