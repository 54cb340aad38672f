import { convexTest } from "convex-test";
import { registerWarden } from "convex-warden/test";
import schema from "../example/convex/schema";

/** The example app under convex-test, with the warden component mounted. */
export const modules = import.meta.glob("../example/convex/**/*.ts");

export function exampleApp() {
  const t = convexTest(schema, modules);
  registerWarden(t);
  return t;
}

export const ADA = { email: "ada@example.com", password: "correct horse battery" };

export const signUpParams = (who = ADA) => ({ flow: "signUp", ...who });
export const signInParams = (who = ADA) => ({ flow: "signIn", ...who });
