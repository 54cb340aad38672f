import type { BundleRow } from "../report";
import { serverBundle, v1ReactBundle, wardenReactBundle } from "./sizes";

/** The bundle rows of the report; a null size is a build that does not exist yet. */
export async function bundleRows(): Promise<BundleRow[]> {
  return [
    {
      id: "serverBundlePassword",
      label: "server, Password only",
      sizes: {
        warden: await serverBundle("wardenPassword.ts", { withConvex: true }),
        v1: await serverBundle("v1Password.ts", { withConvex: true }),
      },
    },
    {
      id: "serverBundlePasswordWithoutConvex",
      label: "  without convex itself",
      sizes: {
        warden: await serverBundle("wardenPassword.ts", { withConvex: false }),
        v1: await serverBundle("v1Password.ts", { withConvex: false }),
      },
    },
    {
      id: "serverBundlePasswordGitHub",
      label: "server, Password + GitHub",
      sizes: {
        warden: await serverBundle("wardenPasswordGitHub.ts", { withConvex: true }),
        v1: await serverBundle("v1PasswordGitHub.ts", { withConvex: true }),
      },
    },
    {
      id: "clientBundleReact",
      label: "client + React bindings",
      sizes: { warden: wardenReactBundle(), v1: await v1ReactBundle() },
    },
  ];
}
