/**
 * `npm run example`: the example app against the local backend, in one
 * command, and where to open it. Stop with Ctrl-C; the data lives in memory
 * and goes with the process.
 */
import { startExample } from "./stack.js";

export async function main(): Promise<() => Promise<void>> {
  const stack = await startExample();
  const width = Math.max(...stack.services.map((service) => service.name.length));
  console.log("\nconvex-warden example (a local development backend; nothing is stored on disk)\n");
  for (const service of stack.services) console.log(`  ${service.name.padEnd(width)}  ${service.url}`);
  console.log(`\n  Open ${stack.appUrl} and create an account, or sign in by email: the messages`);
  console.log("  (code and link) are printed here instead of sent. Ctrl-C stops everything.\n");
  return stack.stop;
}
