import type { ResolvedConfig } from "./config.js";
import type { WardenComponent } from "./types.js";

/** What every handler needs: the mounted component and the resolved options. */
export interface Warden {
  component: WardenComponent;
  config: ResolvedConfig;
}
