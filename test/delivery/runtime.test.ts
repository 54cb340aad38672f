// @vitest-environment node
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

/**
 * The HTTP adapters, the console adapter, the templates and masking must run
 * in Convex's default runtime, which has no Node built-ins: each entry, with
 * everything it imports, is bundled for a platform without them. Only the
 * SMTP adapter needs Node, and it is marked "use node".
 */
const root = fileURLToPath(new URL("../..", import.meta.url));

async function bundleWithoutNode(entry: string) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

test.each(["index", "resend", "twilio", "webhook", "console"])(
  "convex-warden/delivery/%s bundles without any Node built-in",
  async (name) => {
    const code = await bundleWithoutNode(`src/delivery/${name}.ts`);
    expect(code.length).toBeGreaterThan(0);
    expect(code).not.toMatch(/nodemailer/);
  },
);

test("the SMTP adapter does need Node, which is why it is marked \"use node\"", async () => {
  await expect(bundleWithoutNode("src/delivery/smtp.ts")).rejects.toThrow(/Could not resolve/);
});
