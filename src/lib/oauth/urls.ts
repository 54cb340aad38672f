/**
 * Which URLs a provider may be reached at: HTTPS anywhere, plain HTTP only on
 * the loopback interface (local development and tests, as RFC 8252 allows for
 * native apps). Checked at configuration and again on discovered metadata.
 */
function isLoopbackHost(hostname: string): boolean {
  if (hostname === "localhost" || hostname === "[::1]") return true;
  const parts = hostname.split(".");
  return parts.length === 4 && parts[0] === "127" && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** True for an `http:` URL on a loopback host. */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === "http:" && isLoopbackHost(url.hostname);
}

/** Parses an endpoint URL, or returns null if it is not one a provider may use. */
export function parseEndpoint(value: unknown): URL | null {
  if (typeof value !== "string") return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.username !== "" || url.password !== "" || url.hash !== "") return null;
  return url.protocol === "https:" || isLoopbackHttp(url) ? url : null;
}

/**
 * Like `parseEndpoint`, for configuration: a bad URL is a programmer error.
 * Returns the value as given (an issuer is compared character for character).
 */
export function configuredEndpoint(value: unknown, what: string): string {
  if (typeof value !== "string" || parseEndpoint(value) === null) {
    throw new TypeError(
      `convex-warden: ${what} must be an https URL (http only on loopback), without credentials or fragment`,
    );
  }
  return value;
}

/** Whether oauth4webapi must be told to allow plain HTTP for this (already checked) URL. */
export const insecureFor = (url: string | undefined): boolean =>
  url !== undefined && url.startsWith("http:");
