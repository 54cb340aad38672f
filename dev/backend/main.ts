/**
 * `npm run backend`: the local backend alone, for a client of your own
 * (`new ConvexClient("http://127.0.0.1:3210")`). Stop with Ctrl-C.
 */
import { startBackend } from "./server.js";

export async function main(): Promise<() => Promise<void>> {
  const backend = await startBackend();
  console.log(`\nlocal backend (development only; data in memory)\n`);
  console.log(`  deployment  ${backend.url}   (CONVEX_CLOUD_URL, VITE_CONVEX_URL)`);
  console.log(`  site        ${backend.siteUrl}   (CONVEX_SITE_URL: HTTP actions)\n`);
  return backend.stop;
}
