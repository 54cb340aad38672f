// @vitest-environment node
import { decodeJwt, decodeProtectedHeader, generateKeyPair, importJWK, SignJWT, type JWTPayload } from "jose";
import { afterAll, beforeAll, expect, test } from "vitest";
import { handleCallback } from "../../src/lib/oauth/callback";
import type { IdTokenReason } from "../../src/lib/oauth/errors";
import { oidc } from "../../src/lib/oauth/oidc";
import { startAuthorization } from "../../src/lib/oauth/start";
import { watchedFetch } from "./support/browser";
import { expectOAuthError, runFlow } from "./support/flow";
import { CLIENT_SECRET, startOpenIdProvider, type RunningProvider } from "./support/openidProvider";

/**
 * OA-3, check by check: each test lets a real provider issue a real ID token,
 * then changes one thing about it on the way back to the app (as a network
 * attacker or a malicious provider response would) and expects that check,
 * and only that check, to refuse it.
 */
const REDIRECT = "http://127.0.0.1/api/auth/callback/acme";
let op: RunningProvider;

beforeAll(async () => {
  op = await startOpenIdProvider({
    clients: [
      { client_id: "warden-app", redirect_uris: [REDIRECT] },
      { client_id: "other-app", redirect_uris: [REDIRECT] },
    ],
  });
});
afterAll(() => op.close());

const provider = (clientId = "warden-app") => oidc({ id: "acme", issuer: op.issuer, clientId, clientSecret: CLIENT_SECRET });

/** The token endpoint's answer with its ID token replaced. */
const substituteIdToken = (replace: (idToken: string) => Promise<string> | string) =>
  watchedFetch(async (url, response) => {
    if (!url.endsWith("/token")) return response;
    const body = (await response.json()) as Record<string, unknown>;
    return Response.json({ ...body, id_token: await replace(body.id_token as string) }, { status: response.status });
  });

async function callbackWith(fetch: ReturnType<typeof watchedFetch>["fetch"], now?: () => number) {
  const acme = provider();
  const { secrets, parameters } = await runFlow(acme, { redirectUri: REDIRECT });
  return handleCallback(acme, parameters, secrets, { fetch, now });
}

const expectReason = (step: Promise<unknown>, reason: IdTokenReason) =>
  expectOAuthError(step, { code: "OAUTH_INVALID_ID_TOKEN", reason });

async function resign(idToken: string, change: (claims: JWTPayload) => JWTPayload, key?: CryptoKey, kid = "op-key-1") {
  const signingKey = key ?? ((await importJWK(op.signingKey, "RS256")) as CryptoKey);
  return new SignJWT(change(decodeJwt(idToken))).setProtectedHeader({ alg: "RS256", kid }).sign(signingKey);
}

test("the untouched token passes (the baseline the other cases change one thing in)", async () => {
  const { profile } = await callbackWith(substituteIdToken((t) => t).fetch);
  expect(profile.subject).toBe("alice");
  const { profile: resigned } = await callbackWith(substituteIdToken((t) => resign(t, (c) => c)).fetch);
  expect(resigned.subject).toBe("alice");
});

test("a token signed by another key under the provider's key id is refused: signature", async () => {
  const { privateKey } = await generateKeyPair("RS256");
  await expectReason(callbackWith(substituteIdToken((t) => resign(t, (c) => c, privateKey)).fetch), "signature");
});

test("a token signed by a key the provider does not publish is refused: signature", async () => {
  const { privateKey } = await generateKeyPair("RS256");
  await expectReason(
    callbackWith(substituteIdToken((t) => resign(t, (c) => c, privateKey, "attacker-key")).fetch),
    "signature",
  );
});

test("a token whose claims were edited after signing is refused: signature", async () => {
  const tamper = (idToken: string) => {
    const [header, , signature] = idToken.split(".");
    const claims = { ...decodeJwt(idToken), email: "mallory@example.com" };
    return `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
  };
  await expectReason(callbackWith(substituteIdToken(tamper).fetch), "signature");
});

test("HS256 with the client secret, or no signature at all, is refused: algorithm", async () => {
  const hs256 = (idToken: string) =>
    new SignJWT(decodeJwt(idToken)).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode(CLIENT_SECRET));
  await expectReason(callbackWith(substituteIdToken(hs256).fetch), "algorithm");
  const none = (idToken: string) => {
    const [, payload] = idToken.split(".");
    return `${Buffer.from('{"alg":"none"}').toString("base64url")}.${payload}.`;
  };
  await expectReason(callbackWith(substituteIdToken(none).fetch), "algorithm");
});

test("the provider's own algorithm is refused when the app's allow-list leaves it out", async () => {
  const es256Only = oidc({
    id: "acme",
    issuer: op.issuer,
    clientId: "warden-app",
    clientSecret: CLIENT_SECRET,
    idTokenAlgorithms: ["ES256"],
  });
  const { secrets, parameters } = await runFlow(es256Only, { redirectUri: REDIRECT });
  await expectReason(handleCallback(es256Only, parameters, secrets), "algorithm");
});

test("a genuine token issued to another client is refused: audience", async () => {
  const other = provider("other-app");
  const otherFlow = await runFlow(other, { redirectUri: REDIRECT });
  let foreign = "";
  const capture = watchedFetch(async (url, response) => {
    if (url.endsWith("/token")) foreign = ((await response.clone().json()) as { id_token: string }).id_token;
    return response;
  });
  await handleCallback(other, otherFlow.parameters, otherFlow.secrets, { fetch: capture.fetch });
  expect(decodeJwt(foreign).aud).toBe("other-app");
  expect(decodeProtectedHeader(foreign).kid).toBe("op-key-1");
  await expectReason(callbackWith(substituteIdToken(() => foreign).fetch), "audience");
});

test("a token naming several audiences without this client as azp is refused", async () => {
  const twoAudiences = (t: string) => resign(t, (c) => ({ ...c, aud: ["warden-app", "other-app"] }));
  await expectReason(callbackWith(substituteIdToken(twoAudiences).fetch), "audience");
  const otherParty = (t: string) => resign(t, (c) => ({ ...c, aud: ["warden-app", "other-app"], azp: "other-app" }));
  await expectReason(callbackWith(substituteIdToken(otherParty).fetch), "authorized_party");
});

test("a token from another issuer is refused: issuer", async () => {
  const otherIssuer = (t: string) => resign(t, (c) => ({ ...c, iss: `${op.issuer}/` }));
  await expectReason(callbackWith(substituteIdToken(otherIssuer).fetch), "issuer");
});

test("the wrong nonce, or none, is refused: nonce", async () => {
  const acme = provider();
  const { secrets, parameters } = await runFlow(acme, { redirectUri: REDIRECT });
  const otherFlow = await startAuthorization(acme, { redirectUri: REDIRECT });
  await expectReason(handleCallback(acme, parameters, { ...secrets, nonce: otherFlow.secrets.nonce }), "nonce");
  const withoutNonce = (t: string) => resign(t, ({ nonce: _, ...c }) => c);
  await expectReason(callbackWith(substituteIdToken(withoutNonce).fetch), "nonce");
});

test("an expired token is refused once the clock passes exp plus the tolerance", async () => {
  const acme = provider();
  const { secrets, parameters } = await runFlow(acme, { redirectUri: REDIRECT });
  const twoHoursOn = () => Date.now() + 2 * 3600_000;
  await expectReason(handleCallback(acme, parameters, secrets, { now: twoHoursOn }), "expired");
});

test("a token issued in the future (beyond the tolerance) is refused", async () => {
  const fromTheFuture = (t: string) => resign(t, (c) => ({ ...c, iat: Math.floor(Date.now() / 1000) + 600 }));
  await expectReason(callbackWith(substituteIdToken(fromTheFuture).fetch), "issued_in_future");
  const notYetValid = (t: string) => resign(t, (c) => ({ ...c, nbf: Math.floor(Date.now() / 1000) + 600 }));
  await expectReason(callbackWith(substituteIdToken(notYetValid).fetch), "not_yet_valid");
});

test("a token within the clock tolerance passes", async () => {
  const slightlyAhead = (t: string) => resign(t, (c) => ({ ...c, iat: Math.floor(Date.now() / 1000) + 10 }));
  const { profile } = await callbackWith(substituteIdToken(slightlyAhead).fetch);
  expect(profile.subject).toBe("alice");
});

test("a token response without an ID token, or with garbage, is refused", async () => {
  await expectReason(
    callbackWith(
      watchedFetch(async (url, response) => {
        if (!url.endsWith("/token")) return response;
        const { id_token: _, ...body } = (await response.json()) as Record<string, unknown>;
        return Response.json(body);
      }).fetch,
    ),
    "missing",
  );
  await expectReason(callbackWith(substituteIdToken(() => "not.a.jwt").fetch), "malformed");
});
