/**
 * The example stack: every service of `EXAMPLE_SERVICES`, started in order
 * and stopped in reverse. `npm run example` runs it; the browser tests start
 * it the same way.
 */
import { createServer } from "node:net";
import { appUrl, EXAMPLE_SERVICES, type ExampleOptions, type RunningService, type Started } from "./services.js";

export interface ExampleStack extends Started {
  /** The page to open. */
  appUrl: string;
  services: RunningService[];
  stop(): Promise<void>;
}

/** A port nobody listens on now, for a service that must be known before it starts. */
function freePort(host: string): Promise<number> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startExample(options: ExampleOptions = {}): Promise<ExampleStack> {
  const resolved = { host: "127.0.0.1", backendPort: 3210, appPort: 5173, ...options };
  // The app's URL is settled first: the backend's functions read SITE_URL when
  // they load (sign-in links land there) and OAuth sign-ins come back to it.
  if (resolved.appPort === 0) resolved.appPort = await freePort(resolved.host);
  process.env.SITE_URL = appUrl(resolved);
  const started: Started = {};
  const services: RunningService[] = [];
  const stop = async () => {
    for (const service of services.splice(0).reverse()) await service.stop();
  };
  try {
    for (const service of EXAMPLE_SERVICES) services.push(await service.start(resolved, started));
  } catch (error) {
    await stop();
    throw error;
  }
  return { ...started, appUrl: appUrl(resolved), services, stop };
}
