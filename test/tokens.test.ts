import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, test } from "vitest";
import { authConfigProvider, convexAuth, getAuthSessionId } from "convex-warden/server";
import { Password } from "convex-warden/providers/Password";
import { asTestUser, signInTestUser } from "convex-warden/test";
import { api, components } from "../example/convex/_generated/api";
import { exampleApp, signUpParams, tokensOf, wardenTables } from "./setup";

const ISSUER = "https://warden-example.convex.cloud";
const signUp = (t: ReturnType<typeof exampleApp>) =>
  signInTestUser(t, api.auth.signIn, { provider: "password", params: signUpParams() });

describe("access tokens (JWT-1, JWT-2)", () => {
  test("authConfigProvider() accepts exactly the tokens the deployment mints", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    const config = authConfigProvider();
    expect(config).toEqual({
      type: "customJwt",
      issuer: ISSUER,
      jwks: `${ISSUER}/.well-known/jwks.json`,
      algorithm: "ES256",
      applicationID: "convex",
    });
    // Verify as Convex would with this entry: its algorithm, issuer and audience.
    const keys = createLocalJWKSet(await t.jwks());
    const options = { algorithms: [config.algorithm], issuer: config.issuer, audience: config.applicationID };
    await expect(jwtVerify(ada.tokens.token, keys, options)).resolves.toBeTruthy();
    await expect(jwtVerify(ada.tokens.token, keys, { ...options, algorithms: ["RS256"] })).rejects.toThrow();
  });

  test("the sid claim names the live session row of the signed-in user", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    const { sessions } = await wardenTables(t);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ _id: ada.claims.sid, userId: ada.claims.sub });
    const next = tokensOf(await t.mutation(api.auth.refresh, { refreshToken: ada.tokens.refreshToken }));
    const refreshed = await asTestUser(t, next);
    expect(refreshed.claims.sid).toBe(sessions[0]!._id);
  });

  test("ES256 with the deployment key's kid, verified against the JWKS", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    const header = decodeProtectedHeader(ada.tokens.token);
    const { keys } = await t.jwks();
    expect(header.alg).toBe("ES256");
    expect(keys.map((key) => key.kid)).toContain(header.kid);
  });

  test("claims: exact issuer, fixed audience, sub = user, sid = session, 10-minute default lifetime", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    expect(ada.claims).toMatchObject({ iss: ISSUER, aud: "convex", sub: ada.userId, sid: ada.sessionId });
    expect(ada.claims.exp! - ada.claims.iat!).toBe(600);
    expect(ada.tokens.expiresInMs).toBe(600_000);
  });

  test("the lifetime is configurable up to one hour, and not beyond", async () => {
    const t = exampleApp({ jwt: { durationMs: 3_600_000 } });
    const ada = await signUp(t);
    expect(ada.claims.exp! - ada.claims.iat!).toBe(3600);
    const tooLong = { providers: [Password()], jwt: { durationMs: 3_600_001 } };
    expect(() => convexAuth(components.warden, tooLong)).toThrow(
      expect.objectContaining({ code: "INVALID_CONFIG", option: "jwt.durationMs" }),
    );
  });

  test("custom claims are added to every token", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    // example/convex/auth.ts adds the user's email.
    expect(ada.claims.email).toBe("ada@example.com");
    const refreshed = tokensOf(await t.mutation(api.auth.refresh, { refreshToken: ada.tokens.refreshToken }));
    const { claims } = await asTestUser(t, refreshed);
    expect(claims.email).toBe("ada@example.com");
  });

  test.each(["sub", "sid", "aud", "iss", "exp", "jti", "convexRole", "CVX_admin"])(
    "custom claims may not set the reserved claim %s",
    async (claim) => {
      const t = exampleApp({ jwt: { customClaims: () => ({ [claim]: "x" }) } });
      const result = t.mutation(api.auth.signIn, { provider: "password", params: signUpParams() });
      await expect(result).rejects.toMatchObject({ data: { code: "INVALID_CONFIG", reason: "reserved_claim" } });
      // Nothing was committed: the failed sign-up left no user behind.
      expect(await t.run((ctx) => ctx.db.query("users").collect())).toEqual([]);
    },
  );
});

describe("getAuthUserId and getAuthSessionId", () => {
  test("read the identity Convex derived from a verified token", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    expect(await ada.as.query(api.users.viewer, {})).toEqual({ id: ada.userId, email: "ada@example.com" });
    const sessionId = await ada.as.run((ctx) => getAuthSessionId(ctx));
    expect(sessionId).toBe(ada.sessionId);
  });

  test("no identity: null", async () => {
    const t = exampleApp();
    expect(await t.query(api.users.viewer, {})).toBeNull();
  });

  test("an identity from another issuer is not a warden user, even with a matching subject", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    const impostor = t.withIdentity({ issuer: "https://other-issuer.example", subject: ada.userId, sid: ada.sessionId });
    expect(await impostor.query(api.users.viewer, {})).toBeNull();
  });

  test("an identity without a session id is not a warden user", async () => {
    const t = exampleApp();
    const ada = await signUp(t);
    const sessionless = t.withIdentity({ issuer: ISSUER, subject: ada.userId });
    expect(await sessionless.query(api.users.viewer, {})).toBeNull();
  });
});
