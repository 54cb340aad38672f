import type { Value } from "convex/values";
import { base64UrlDecode, base64UrlEncode, hmacSha256, randomBytes, toHex } from "../../lib/crypto.js";
import type { MutationStep } from "../../server/provider.js";
import type { PasswordConfig } from "./config.js";

/**
 * The breached-password check needs the network, which a mutation lacks, so
 * it runs in an action before the mutation that sets the password. Its
 * outcome reaches that mutation as a clearance the client carries: a
 * single-use challenge, short-lived, that proves this password passed the
 * check, and no other.
 *
 * The clearance is `<token>.<key>`, two 256-bit secrets. The challenge is
 * found by the token (stored as its SHA-256) and its identifier is
 * HMAC-SHA256(key, password): the key is never stored, so the row says
 * nothing about the password to whoever reads the table, and without the
 * password the clearance is worth nothing. Only the check action can issue
 * one (through the internal `signInStep`), and only after the check passed.
 */
export const CLEARANCE_STEP = "password:clearance";
/** How long a clearance works: time to submit the form it was checked for. */
export const CLEARANCE_LIFETIME_MS = 10 * 60_000;
const KEY_BYTES = 32;
const utf8 = new TextEncoder();

const fingerprint = (key: Uint8Array, password: string) => toHex(hmacSha256(key, utf8.encode(`clearance\u0000${password}`)));

/** The clearance step: issues one for a normalized password the check action just passed. */
export async function issueClearance(step: MutationStep<"challenges">, config: PasswordConfig, args: Record<string, Value>) {
  const password = args.password;
  if (typeof password !== "string") throw new TypeError("convex-warden: the clearance step needs the checked password");
  const key = randomBytes(KEY_BYTES);
  const issued = await step.stores.challenges.issue({
    purpose: config.purposes.clearance,
    identifier: fingerprint(key, password),
    ttlMs: CLEARANCE_LIFETIME_MS,
    maxAttempts: 1,
    token: true,
    // Each identifier is unique: there is nothing to replace, so nothing to look for.
    keepOthers: true,
  });
  return { ok: true, clearance: `${issued.token!}.${base64UrlEncode(key)}`, expiresInMs: CLEARANCE_LIFETIME_MS };
}

/**
 * The clearance's challenge, if it was issued for `password` and is still
 * live; null otherwise. Nothing is consumed: `spendClearance` does that once
 * the password is set, so a wrong code beside it does not cost the clearance.
 */
export async function findClearance(
  step: MutationStep<"challenges">,
  config: PasswordConfig,
  clearance: string | undefined,
  password: string,
): Promise<string | null> {
  if (clearance === undefined || clearance.length > 200) return null;
  const [token, encodedKey, ...rest] = clearance.split(".");
  const key = encodedKey === undefined ? null : base64UrlDecode(encodedKey);
  if (token === undefined || key === null || key.length !== KEY_BYTES || rest.length > 0) return null;
  const found = await step.stores.challenges.peek(config.purposes.clearance, token);
  if (found.kind !== "ok" || found.challenge.identifier !== fingerprint(key, password)) return null;
  return found.challenge.challengeId;
}

/** Consumes a clearance `findClearance` found: it served its password. */
export async function spendClearance(step: MutationStep<"challenges">, challengeId: string | null) {
  if (challengeId !== null) await step.stores.challenges.settle(challengeId, true);
}
