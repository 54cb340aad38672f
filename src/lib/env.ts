/**
 * The one module that reads the environment. Convex sets CONVEX_CLOUD_URL in
 * every deployment; tests set it themselves.
 */
declare const process: { env: Record<string, string | undefined> } | undefined;

function read(name: string): string | undefined {
  return typeof process === "undefined" ? undefined : process.env[name];
}

/** The deployment URL, which is also the issuer of the tokens it mints. */
export function deploymentUrl(): string {
  const url = read("CONVEX_CLOUD_URL");
  if (!url) {
    throw new TypeError(
      "convex-warden: CONVEX_CLOUD_URL is not set (Convex sets it in deployments; set it in tests)",
    );
  }
  return url.replace(/\/+$/, "");
}

/** Any variable by name, for settings the app names itself (a service secret); empty counts as unset. */
export function readEnv(name: string): string | undefined {
  const value = read(name);
  return value === "" ? undefined : value;
}

/** `WARDEN_LOG_LEVEL`, unchecked. */
export const logLevelFromEnv = () => read("WARDEN_LOG_LEVEL");

/** The settings an OAuth provider may take from the environment. */
export type ProviderEnvSetting = "ID" | "SECRET" | "ISSUER" | "TEAM_ID" | "KEY_ID" | "PRIVATE_KEY";

/**
 * `AUTH_<PROVIDER>_<SETTING>`, the names Auth.js apps already use: the
 * provider id upper-cased with `-` as `_`, e.g. `AUTH_GITHUB_ID`,
 * `AUTH_MICROSOFT_ENTRA_ID_SECRET`. Empty values count as unset.
 */
export function providerEnv(providerId: string, setting: ProviderEnvSetting): string | undefined {
  const value = read(`AUTH_${providerId.toUpperCase().replace(/-/g, "_")}_${setting}`);
  return value === "" ? undefined : value;
}

/** `SITE_URL`: the app's own URL, where browsers return after an OAuth sign-in. Unchecked. */
export const siteUrlFromEnv = () => read("SITE_URL") || undefined;

/**
 * `CONVEX_SITE_URL`: where the deployment serves its HTTP actions (Convex
 * sets it), so where OAuth providers send the browser back. Unchecked.
 */
export const convexSiteUrlFromEnv = () => read("CONVEX_SITE_URL") || undefined;

/** `AUTH_TOKEN_ENCRYPTION_KEY`: the key provider tokens are kept under, when an app keeps them. Unchecked. */
export const tokenEncryptionKeyFromEnv = () => read("AUTH_TOKEN_ENCRYPTION_KEY") || undefined;
