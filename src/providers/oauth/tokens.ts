import { base64Decode, base64UrlDecode, base64UrlEncode, randomBytes } from "../../lib/crypto.js";
import { tokenEncryptionKeyFromEnv } from "../../lib/env.js";
import type { ProviderTokens } from "../../lib/oauth/callback.js";

/**
 * Provider tokens kept for server-side use (`keepTokens`), sealed with
 * AES-256-GCM from Web Crypto under the app's key (`AUTH_TOKEN_ENCRYPTION_KEY`,
 * 32 random bytes as base64 or base64url: `openssl rand -base64 32`). The
 * account's (provider, subject) is the additional data, so a sealed value
 * opens only on the account it was sealed for. Stored on the account as
 * `$warden-tokens$v=1$<iv>$<ciphertext>`, in the field that holds a
 * password's PHC string for password accounts (an OAuth account has none).
 */
const PREFIX = "$warden-tokens$v=1$";
const IV_BYTES = 12;
/** A copy on a plain ArrayBuffer, as Web Crypto's types ask. */
const plain = (bytes: Uint8Array) => new Uint8Array(bytes);

export interface TokenAccount {
  provider: string;
  subject: string;
}

function keyBytes(text: string | undefined): Uint8Array {
  const problem = "convex-warden: AUTH_TOKEN_ENCRYPTION_KEY must be 32 random bytes as base64 (openssl rand -base64 32)";
  if (text === undefined) throw new TypeError(problem);
  const bytes = base64Decode(text.trim()) ?? base64UrlDecode(text.trim());
  if (bytes === null || bytes.length !== 32) throw new TypeError(problem);
  return bytes;
}

/** The key, imported once per value of the env var (or of `keyText`). */
const keys = new Map<string, Promise<CryptoKey>>();
function importKey(keyText: string | undefined): Promise<CryptoKey> {
  const bytes = keyBytes(keyText);
  const cacheKey = keyText!;
  let key = keys.get(cacheKey);
  if (key === undefined) {
    key = crypto.subtle.importKey("raw", plain(bytes), "AES-GCM", false, ["encrypt", "decrypt"]);
    keys.set(cacheKey, key);
  }
  return key;
}

const additionalData = ({ provider, subject }: TokenAccount) => new TextEncoder().encode(`${provider}\u0000${subject}`);

/** Checks now that the key is usable, so a missing key fails at configuration, not at a sign-in. */
export function checkTokenKey(keyText = tokenEncryptionKeyFromEnv()): void {
  keyBytes(keyText);
}

export async function sealTokens(
  tokens: ProviderTokens,
  account: TokenAccount,
  keyText = tokenEncryptionKeyFromEnv(),
): Promise<string> {
  const iv = plain(randomBytes(IV_BYTES));
  const plaintext = new TextEncoder().encode(JSON.stringify(tokens));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: additionalData(account) },
    await importKey(keyText),
    plaintext,
  );
  return `${PREFIX}${base64UrlEncode(iv)}$${base64UrlEncode(new Uint8Array(sealed))}`;
}

/** Whether a stored account secret is sealed provider tokens. */
export const isSealedTokens = (stored: string | undefined): stored is string => stored?.startsWith(PREFIX) ?? false;

/** The tokens sealed for `account`, or null when `stored` is not that (tampered, another account, another key). */
export async function openTokens(
  stored: string,
  account: TokenAccount,
  keyText = tokenEncryptionKeyFromEnv(),
): Promise<ProviderTokens | null> {
  if (!isSealedTokens(stored)) return null;
  const [ivText, sealedText] = stored.slice(PREFIX.length).split("$");
  const iv = base64UrlDecode(ivText ?? "");
  const sealed = base64UrlDecode(sealedText ?? "");
  if (iv === null || sealed === null || iv.length !== IV_BYTES) return null;
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: plain(iv), additionalData: additionalData(account) },
      await importKey(keyText),
      plain(sealed),
    );
    return JSON.parse(new TextDecoder().decode(plaintext)) as ProviderTokens;
  } catch {
    return null;
  }
}
