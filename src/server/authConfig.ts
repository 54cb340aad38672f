import { deploymentUrl } from "../lib/env.js";
import { TOKEN_AUDIENCE } from "./identity.js";

/**
 * The entry for `convex/auth.config.ts` that makes Convex accept the access
 * tokens the app's mutations mint with `ctx.auth.signJwt`:
 * `export default { providers: [authConfigProvider()] } satisfies AuthConfig;`
 */
export function authConfigProvider() {
  const issuer = deploymentUrl();
  return {
    type: "customJwt" as const,
    issuer,
    jwks: `${issuer}/.well-known/jwks.json`,
    algorithm: "ES256" as const,
    applicationID: TOKEN_AUDIENCE,
  };
}
