/**
 * Starts `npm run example`'s stack once for the browser tests, on free
 * loopback ports, with 15-second access tokens so refreshes happen during
 * the run. The tests run in other processes; a small control server on
 * loopback lets them stop and start the backend (its data stays in memory)
 * and read what the stack printed in the terminal (the emails the console
 * adapter prints).
 */
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";
import { startExample } from "../../dev/example/stack";
import { CHROMIUM, TOKEN_LIFETIME_MS } from "./settings";
import { tapTerminal } from "./terminal";

declare module "vitest" {
  export interface ProvidedContext {
    appUrl: string;
    backendUrl: string;
    controlUrl: string;
  }
}

/** Actions by `METHOD /path`; one that returns text answers with it, else 204. */
function controlServer(actions: Record<string, () => Promise<string | void>>): Promise<Server> {
  const server = createServer((request, response) => {
    const action = actions[`${request.method} ${request.url}`];
    if (!action) return void response.writeHead(404).end();
    action().then(
      (text) => (text === undefined ? response.writeHead(204).end() : response.writeHead(200).end(text)),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

export default async function setup(project: TestProject) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The browser tests need Debian's Chromium at ${CHROMIUM} (apt-get install chromium)`);
  }
  process.env.EXAMPLE_TOKEN_LIFETIME_MS = String(TOKEN_LIFETIME_MS);
  const terminal = tapTerminal();
  const stack = await startExample({ backendPort: 0, appPort: 0 });
  const backend = stack.backend!;
  const control = await controlServer({
    "POST /backend/stop": () => backend.stop(),
    "POST /backend/start": () => backend.start(),
    "GET /terminal": async () => terminal.text(),
  });
  // The first page load makes Vite prepare the app's dependencies; do it before any test times it.
  for (const path of ["/", "/src/main.tsx"]) await fetch(stack.appUrl + path).then((response) => response.text());
  project.provide("appUrl", stack.appUrl);
  project.provide("backendUrl", backend.url);
  project.provide("controlUrl", `http://127.0.0.1:${(control.address() as AddressInfo).port}`);
  return async () => {
    await new Promise((resolve) => control.close(resolve));
    await stack.stop();
    terminal.restore();
  };
}
