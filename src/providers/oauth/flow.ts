import type { Value } from "convex/values";
import { base64UrlEncode, digestMatches, hmacSha256, randomBytes, sha256Hex } from "../../lib/crypto.js";
import type { OAuthFlowSecrets } from "../../lib/oauth/start.js";
import type { OAuthProvider } from "../../lib/oauth/types.js";
import type { ChallengeOutcome, ChallengeStore } from "../../server/stores/index.js";
import type { UserProfile } from "../../server/types.js";
import { HANDOFF_LIFETIME_MS } from "./options.js";

/**
 * The flow's state between its four steps, all in the challenge store, each
 * challenge single use and consumed by the step after it:
 *
 * 1. `signIn` (mutation): a *start* challenge, its token in the start URL.
 *    The browser's verifier is returned to the client, its SHA-256 kept.
 * 2. the start route: consumes it, issues the *state* challenge (its token is
 *    the OAuth `state`, its binding goes into the flow cookie), redirects.
 * 3. the callback route: consumes the state with the cookie's binding (OA-2),
 *    runs the protocol, issues the *hand-off* challenge with the profile.
 * 4. `signIn({ code, verifier })` (mutation): consumes the hand-off, checks
 *    the verifier against the kept hash, signs in.
 *
 * What a database dump holds of a live flow: SHA-256 hashes of each token,
 * of the binding and of the verifier, the checked return URL, the id of a
 * user linking a provider, and (for a hand-off, at most two minutes) the
 * profile. No PKCE verifier or nonce is stored at all: both are derived
 * from the binding, which only the browser's cookie holds (HMAC-SHA-256 of
 * a label), so a dump cannot redeem an intercepted authorization code.
 */
export const PURPOSE = { start: "oauth:start", state: "oauth:state", handoff: "oauth:handoff" } as const;

/** What every step carries forward; none of it secret. */
export interface FlowData {
  /** Where the browser goes back to, absolute and already checked (OA-5). */
  redirectTo: string;
  /** SHA-256 (hex) of the verifier the starting browser keeps. */
  verifierHash: string;
  /** The signed-in user linking this provider, when `link: true`. */
  linkUserId?: string;
}

/** What the callback hands to the final step. */
export interface HandoffData {
  verifierHash: string;
  linkUserId?: string;
  /** The provider's subject: with the provider id, the account's key (OA-4). */
  subject: string;
  /** Normalized; absent when the provider gave none (or none usable). */
  email?: string;
  emailVerified: boolean;
  /** The fields for the user, as `userProfile` mapped them. */
  user: UserProfile;
  /** The provider's tokens, sealed (`keepTokens`). */
  sealedTokens?: string;
}

const utf8 = new TextEncoder();
const MAX_VERIFIER_LENGTH = 256;

/** A fresh 256-bit secret, base64url. */
export const newSecret = () => base64UrlEncode(randomBytes(32));

export const hashVerifier = (verifier: string) => sha256Hex(utf8.encode(verifier));

const derive = (binding: string, label: string) =>
  base64UrlEncode(hmacSha256(utf8.encode(binding), utf8.encode(`convex-warden oauth ${label}`)));

/** The protocol secrets of a flow: state from the store, PKCE verifier and nonce from the cookie's binding. */
export function flowSecrets(provider: OAuthProvider, redirectUri: string, state: string, binding: string): OAuthFlowSecrets {
  const secrets: OAuthFlowSecrets = {
    provider: provider.id,
    redirectUri,
    state,
    codeVerifier: derive(binding, "code_verifier"),
  };
  if (provider.protocol === "oidc") secrets.nonce = derive(binding, "nonce");
  return secrets;
}

/** A failed state lookup, as the code the app sees. */
export const stateFailure = (outcome: Exclude<ChallengeOutcome, { kind: "ok" }>) =>
  outcome.code === "CODE_EXPIRED" ? ("OAUTH_FLOW_EXPIRED" as const) : ("OAUTH_STATE_MISMATCH" as const);

const record = (data: Record<string, unknown>): Record<string, Value> => {
  const out: Record<string, Value> = {};
  for (const [name, value] of Object.entries(data)) if (value !== undefined) out[name] = value as Value;
  return out;
};

/** Step 1: the start challenge, and the verifier for the client. */
export async function startFlow(challenges: ChallengeStore, providerId: string, data: Omit<FlowData, "verifierHash">, ttlMs: number) {
  const verifier = newSecret();
  const issued = await challenges.issue({
    purpose: PURPOSE.start,
    identifier: providerId,
    ttlMs,
    maxAttempts: 1,
    token: true,
    keepOthers: true,
    data: record({ ...data, verifierHash: hashVerifier(verifier) }),
  });
  return { token: issued.token!, verifier };
}

/** Step 2: consumes the start challenge, issues the state and its binding. */
export async function beginFlow(challenges: ChallengeStore, providerId: string, startToken: string, ttlMs: number) {
  const started = await challenges.redeem(PURPOSE.start, startToken, { identifier: providerId });
  if (started.kind === "failed") return { kind: "failed" as const, code: stateFailure(started) };
  const data = started.challenge.data as unknown as FlowData;
  const issued = await challenges.issue({
    purpose: PURPOSE.state,
    identifier: providerId,
    ttlMs,
    maxAttempts: 1,
    token: true,
    binding: true,
    keepOthers: true,
    data: record({ ...data }),
  });
  return { kind: "ok" as const, state: issued.token!, binding: issued.binding!, redirectTo: data.redirectTo };
}

/** Step 3: consumes the state, which needs the binding from this browser's cookie (OA-2). */
export async function consumeState(challenges: ChallengeStore, providerId: string, state: string, binding: string) {
  const found = await challenges.redeem(PURPOSE.state, state, { binding, identifier: providerId });
  if (found.kind === "failed") return { kind: "failed" as const, code: stateFailure(found) };
  return { kind: "ok" as const, ...(found.challenge.data as unknown as FlowData) };
}

/** Step 3, after the provider answered: the hand-off code for the browser to redeem. */
export async function issueHandoff(challenges: ChallengeStore, providerId: string, data: HandoffData) {
  const issued = await challenges.issue({
    purpose: PURPOSE.handoff,
    identifier: providerId,
    ttlMs: HANDOFF_LIFETIME_MS,
    maxAttempts: 1,
    token: true,
    keepOthers: true,
    data: record({ ...data, user: record(data.user) }),
  });
  return { code: issued.token! };
}

/**
 * Step 4: consumes the hand-off; only the verifier of the browser that
 * started the flow redeems it. A wrong verifier burns the code.
 */
export async function redeemHandoff(challenges: ChallengeStore, providerId: string, code: string, verifier: string) {
  const found = await challenges.redeem(PURPOSE.handoff, code, { identifier: providerId });
  if (found.kind === "failed") return found;
  const data = found.challenge.data as unknown as HandoffData;
  const matches = verifier.length <= MAX_VERIFIER_LENGTH && digestMatches(data.verifierHash, utf8.encode(verifier));
  if (!matches) return { kind: "failed" as const, code: "INVALID_CODE" as const };
  return { kind: "ok" as const, handoff: data };
}
