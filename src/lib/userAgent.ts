/**
 * A coarse, human label for a session's device from its user agent, e.g.
 * "Firefox on Windows" or "Safari on iOS": enough for a user to recognise
 * their own sessions, not a fingerprint. Only the browser family and the
 * operating system are kept; versions and everything else are dropped.
 */
const MAX_LENGTH = 512;

/** Checked in order: several browsers also name the ones they are built on. */
const BROWSERS: readonly [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, "Edge"],
  [/\b(OPR|Opera)\//, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/\b(?:Headless)?Chrome\/|\bCriOS\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
];

const OPERATING_SYSTEMS: readonly [RegExp, string][] = [
  [/\biPad\b/, "iPadOS"],
  [/\biPhone\b|\biPod\b/, "iOS"],
  [/\bAndroid\b/, "Android"],
  [/\bWindows\b/, "Windows"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b/, "Linux"],
];

/** Programs that call APIs rather than browse: named by what they are. */
const CLIENTS: readonly [RegExp, string][] = [
  [/^curl\//, "curl"],
  [/^(node|undici)\b/i, "Node.js"],
  [/^python-requests\/|^python-httpx\/|^aiohttp\//i, "Python"],
  [/^Go-http-client\//, "Go"],
  [/^okhttp\//, "OkHttp"],
];

const first = (table: readonly [RegExp, string][], text: string) => table.find(([pattern]) => pattern.test(text))?.[1];

/** The device label, or null when the runtime gave no user agent. */
export function deviceLabel(userAgent: string | null | undefined): string | null {
  if (!userAgent) return null;
  const text = userAgent.slice(0, MAX_LENGTH);
  const client = first(CLIENTS, text);
  if (client !== undefined) return client;
  const browser = first(BROWSERS, text);
  const os = first(OPERATING_SYSTEMS, text);
  if (browser !== undefined && os !== undefined) return `${browser} on ${os}`;
  return browser ?? os ?? "Unknown device";
}
