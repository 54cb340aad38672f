import type { AuthConfig } from "convex/server";
import { authConfigProvider } from "convex-warden/server";

export default {
  providers: [authConfigProvider()],
} satisfies AuthConfig;
