// @vitest-environment node
import { expect, test } from "vitest";
import { MAX_CALLBACK_BODY_BYTES, readCallbackParameters } from "../../src/lib/oauth/callbackParams";
import { expectOAuthError } from "./support/flow";

const CALLBACK = "https://app.example/api/auth/callback/apple";
const form = (body: string, type = "application/x-www-form-urlencoded") =>
  new Request(CALLBACK, { method: "POST", headers: { "content-type": type }, body });

test("a GET callback's parameters are its query", async () => {
  const parameters = await readCallbackParameters(new Request(`${CALLBACK}?code=abc&state=xyz`));
  expect(Object.fromEntries(parameters)).toEqual({ code: "abc", state: "xyz" });
});

test("a POST callback's parameters are its form body, not its query", async () => {
  const request = new Request(`${CALLBACK}?state=from-query`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body: "code=abc&state=from-body&user=%7B%7D",
  });
  expect(Object.fromEntries(await readCallbackParameters(request))).toEqual({ code: "abc", state: "from-body", user: "{}" });
});

test("other methods, other bodies and oversized bodies are refused", async () => {
  const refusal = (error: string) => ({ code: "OAUTH_INVALID_RESPONSE", step: "authorization", error }) as const;
  await expectOAuthError(readCallbackParameters(new Request(CALLBACK, { method: "PUT", body: "x" })), refusal("method"));
  await expectOAuthError(readCallbackParameters(form('{"code":"abc"}', "application/json")), refusal("content_type"));
  await expectOAuthError(readCallbackParameters(form(`code=${"a".repeat(MAX_CALLBACK_BODY_BYTES)}`)), refusal("body_too_large"));
});
