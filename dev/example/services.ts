/**
 * What `npm run example` starts, in order. Each service starts with what the
 * ones before it offer and says where it is. Sign-in emails need no service:
 * the example's console adapter prints them, code and link, in the terminal
 * the backend runs in.
 */
import { fileURLToPath } from "node:url";
import { createServer } from "vite";
import { startBackend, type Backend } from "../backend/index.js";
import { startDevOidc } from "./devOidc.js";

export interface ExampleOptions {
  /** The interface every service listens on. Default `127.0.0.1`. */
  host?: string;
  /** The local backend's port; its site origin takes the next one. Default 3210; 0 picks free ports. */
  backendPort?: number;
  /** The example app's dev server port. Default 5173; 0 picks a free port before anything starts. */
  appPort?: number;
}

/** A service that is running. */
export interface RunningService {
  name: string;
  /** Where to reach it, for the banner. */
  url: string;
  stop(): Promise<void>;
}

/** What the services started so far offer to the next ones. */
export interface Started {
  backend?: Backend;
}

export interface Service {
  name: string;
  start(options: Required<ExampleOptions>, started: Started): Promise<RunningService>;
}

/**
 * A local OpenID Provider for the example's "Dev OIDC" button. It starts
 * before the backend, which loads `example/convex/auth.ts`: the provider is
 * enabled there only when its env vars are set.
 */
const devOidc: Service = {
  name: "oidc",
  async start({ host }) {
    const running = await startDevOidc(host);
    Object.assign(process.env, running.env);
    return { name: "oidc", url: running.issuer, stop: () => running.stop() };
  },
};

/** The local backend with the example app's functions (see dev/backend/README.md). */
const backend: Service = {
  name: "backend",
  async start({ host, backendPort }, started) {
    const running = await startBackend({
      host,
      port: backendPort,
      sitePort: backendPort === 0 ? 0 : backendPort + 1,
    });
    started.backend = running;
    return { name: "backend", url: running.url, stop: () => running.stop() };
  },
};

/** The app's URL, known before any service starts (`SITE_URL`, read by the backend's functions). */
export const appUrl = ({ host, appPort }: Required<ExampleOptions>) => `http://${host}:${appPort}`;

/** The example app (`example/`) on Vite's dev server, pointed at the local backend. */
const app: Service = {
  name: "app",
  async start(options, started) {
    if (!started.backend) throw new TypeError("the app needs the backend started before it");
    // What `.env.local` holds against a real deployment.
    process.env.VITE_CONVEX_URL = started.backend.url;
    const server = await createServer({
      configFile: fileURLToPath(new URL("../../example/vite.config.ts", import.meta.url)),
      server: { host: options.host, port: options.appPort, strictPort: true },
      clearScreen: false,
      logLevel: "warn",
    });
    await server.listen();
    return { name: "app", url: appUrl(options), stop: () => server.close() };
  },
};

export const EXAMPLE_SERVICES: readonly Service[] = [devOidc, backend, app];
