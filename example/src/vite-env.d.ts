/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The deployment URL; `npx convex dev` writes it to `.env.local`. */
  readonly VITE_CONVEX_URL?: string;
}
