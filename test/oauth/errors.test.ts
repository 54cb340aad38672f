import { expect, test } from "vitest";
import {
  ID_TOKEN_REASONS,
  isOAuthError,
  OAUTH_ERROR_CODES,
  oauthError,
  safeErrorValue,
} from "../../src/lib/oauth/errors";
import { ERROR_CODES, ERROR_DISPOSITION, type WardenErrorData } from "../../src/shared/errors";

test("the OAuth codes are distinct, namespaced, and in the project's union, each returned", () => {
  expect(new Set(OAUTH_ERROR_CODES).size).toBe(OAUTH_ERROR_CODES.length);
  for (const code of OAUTH_ERROR_CODES) {
    expect(code).toMatch(/^OAUTH_[A-Z_]+$/);
    expect(ERROR_CODES as readonly string[]).toContain(code);
    expect(ERROR_DISPOSITION[code]).toBe("returned");
  }
  // Every payload the protocol core produces is one the union (and its wire validator) carries.
  const payload: WardenErrorData = oauthError({ code: "OAUTH_PROVIDER_UNAVAILABLE", step: "token", reason: "status", status: 503 }).data;
  expect(payload.code).toBe("OAUTH_PROVIDER_UNAVAILABLE");
});

test("an OAuthError carries its payload and a fixed message, and the guard narrows by code", () => {
  const error = oauthError({ code: "OAUTH_INVALID_ID_TOKEN", reason: "nonce" });
  expect(error).toBeInstanceOf(Error);
  expect(error.code).toBe("OAUTH_INVALID_ID_TOKEN");
  expect(error.data).toEqual({ code: "OAUTH_INVALID_ID_TOKEN", reason: "nonce" });
  expect(error.message).toContain("(nonce)");
  expect(error.cause).toBeUndefined();
  expect(isOAuthError(error)).toBe(true);
  expect(isOAuthError(error, "OAUTH_INVALID_ID_TOKEN")).toBe(true);
  expect(isOAuthError(error, "OAUTH_STATE_MISMATCH")).toBe(false);
  expect(isOAuthError(new Error("x"))).toBe(false);
  expect(ID_TOKEN_REASONS).toContain("signature");
});

test("a provider's error value is kept only when it is a short RFC 6749 code", () => {
  expect(safeErrorValue("invalid_scope")).toBe("invalid_scope");
  expect(safeErrorValue("x".repeat(65))).toBe("invalid");
  expect(safeErrorValue('quote"s')).toBe("invalid");
  expect(safeErrorValue("new\nline")).toBe("invalid");
  expect(safeErrorValue("ünïcode")).toBe("invalid");
  expect(safeErrorValue(undefined)).toBe("invalid");
});
