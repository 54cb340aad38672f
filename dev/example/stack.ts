/**
 * The example stack: every service of `EXAMPLE_SERVICES`, started in order
 * and stopped in reverse. `npm run example` runs it; the browser tests start
 * it the same way.
 */
import { EXAMPLE_SERVICES, type ExampleOptions, type RunningService, type Started } from "./services.js";

export interface ExampleStack extends Started {
  /** The page to open. */
  appUrl: string;
  services: RunningService[];
  stop(): Promise<void>;
}

export async function startExample(options: ExampleOptions = {}): Promise<ExampleStack> {
  const resolved = { host: "127.0.0.1", backendPort: 3210, appPort: 5173, ...options };
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
  const appUrl = services.find((service) => service.name === "app")!.url;
  return { ...started, appUrl, services, stop };
}
