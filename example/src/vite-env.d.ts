/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The deployment URL; `npx convex dev` writes it to `.env.local`. */
  readonly VITE_CONVEX_URL?: string;
  /** Set by `npm run example` when its local OpenID Provider ("Dev OIDC") runs. */
  readonly VITE_DEV_OIDC?: string;
}
