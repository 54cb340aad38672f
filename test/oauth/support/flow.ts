import { expect } from "vitest";
import { OAuthError, type OAuthErrorData } from "../../../src/lib/oauth/errors";
import { startAuthorization, type StartOptions } from "../../../src/lib/oauth/start";
import type { OAuthProvider } from "../../../src/lib/oauth/types";
import { Browser } from "./browser";

export interface FlowOptions {
  redirectUri: string;
  browser?: Browser;
  login?: string;
  decline?: boolean;
  start?: Partial<StartOptions>;
}

/** Starts a flow and walks a browser through the provider to the app's callback. */
export async function runFlow(provider: OAuthProvider, options: FlowOptions) {
  const { url, secrets } = await startAuthorization(provider, { redirectUri: options.redirectUri, ...options.start });
  const callback = await (options.browser ?? new Browser()).authorize(url, {
    redirectUri: options.redirectUri,
    login: options.login,
    decline: options.decline,
  });
  return { url, secrets, parameters: callback.parameters, method: callback.method };
}

/** Awaits a step that must fail, and returns its OAuthError (anything else fails the test). */
export async function failureOf(step: Promise<unknown>): Promise<OAuthError> {
  const outcome = await step.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof OAuthError)) throw new Error(`expected an OAuthError, got ${String(outcome)}`);
  return outcome;
}

/** Asserts a step fails with exactly this payload. */
export async function expectOAuthError(step: Promise<unknown>, data: OAuthErrorData) {
  const error = await failureOf(step);
  expect(error.data).toEqual(data);
  return error;
}
