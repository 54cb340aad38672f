/** What the browser tests and their global setup agree on. */

/** Debian's Chromium (`apt-get install chromium`); the tests never download a browser. */
export const CHROMIUM = "/usr/bin/chromium";

/** The example's access token lifetime in these tests: several refreshes per test, above Convex's 10 s refetch leeway. */
export const TOKEN_LIFETIME_MS = 15_000;
