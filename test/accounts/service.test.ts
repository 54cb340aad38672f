import { afterEach, expect, test, vi } from "vitest";
import { serviceAuth } from "convex-warden/server";
import { api } from "../../example/convex/_generated/api";
import { exampleApp } from "../setup";

/** The worker's call: the secret travels as the `serviceSecret` argument. */
const CURRENT = "s3cret-current-0123456789abcdef0123456789";
const PREVIOUS = "s3cret-previous-0123456789abcdef012345678";

afterEach(() => void vi.unstubAllEnvs());

const call = (t: ReturnType<typeof exampleApp>, serviceSecret: string) => t.query(api.worker.userCounts, { serviceSecret });

test("a worker with the shared secret calls the function without a user", async () => {
  vi.stubEnv("EXAMPLE_WORKER_SECRET", CURRENT);
  const t = exampleApp();
  await t.mutation(api.auth.signIn, { provider: "anonymous", params: {} });
  expect(await call(t, CURRENT)).toEqual({ users: 1, guests: 1 });
});

test("a wrong, empty or overlong secret is refused with SERVICE_UNAUTHORIZED", async () => {
  vi.stubEnv("EXAMPLE_WORKER_SECRET", CURRENT);
  const t = exampleApp();
  for (const wrong of ["", CURRENT.slice(0, -1), `${CURRENT}x`, CURRENT.toUpperCase(), "x".repeat(5000)]) {
    await expect(call(t, wrong)).rejects.toMatchObject({ data: { code: "SERVICE_UNAUTHORIZED" } });
  }
});

test("during rotation both the new and the previous secret work; after it only the new one", async () => {
  vi.stubEnv("EXAMPLE_WORKER_SECRET", CURRENT);
  vi.stubEnv("EXAMPLE_WORKER_SECRET_PREVIOUS", PREVIOUS);
  const t = exampleApp();
  expect(await call(t, CURRENT)).toEqual({ users: 0, guests: 0 });
  expect(await call(t, PREVIOUS)).toEqual({ users: 0, guests: 0 });
  vi.stubEnv("EXAMPLE_WORKER_SECRET_PREVIOUS", "");
  await expect(call(t, PREVIOUS)).rejects.toMatchObject({ data: { code: "SERVICE_UNAUTHORIZED" } });
  expect(await call(t, CURRENT)).toEqual({ users: 0, guests: 0 });
});

test("it fails closed: with the variable missing, empty or too short, nothing passes", async () => {
  const errors: unknown[] = [];
  const log = { error: (event: string) => errors.push(event), warn() {}, info() {}, debug() {} };
  const env: Record<string, string | undefined> = {};
  const service = serviceAuth({ variable: "WORKER_SECRET", env: (name) => env[name], log });
  expect(service.verify(CURRENT)).toBe(false);
  expect(service.verify(undefined)).toBe(false);
  expect(() => service.assert("")).toThrow(expect.objectContaining({ data: { code: "SERVICE_UNAUTHORIZED" } }));
  env.WORKER_SECRET = "short";
  expect(service.verify("short")).toBe(false);
  expect(errors.length).toBeGreaterThan(0);
  env.WORKER_SECRET = CURRENT;
  expect(service.verify(CURRENT)).toBe(true);
  // And through the deployment's environment: unset, the example's worker function refuses even its secret.
  const t = exampleApp();
  await expect(call(t, CURRENT)).rejects.toMatchObject({ data: { code: "SERVICE_UNAUTHORIZED" } });
});

test("HTTP actions check a bearer token", () => {
  const service = serviceAuth({ variable: "WORKER_SECRET", env: () => CURRENT });
  const request = (authorization?: string) =>
    new Request("https://example.test/hook", authorization ? { headers: { Authorization: authorization } } : {});
  expect(service.verifyRequest(request(`Bearer ${CURRENT}`))).toBe(true);
  expect(service.verifyRequest(request(`Bearer ${PREVIOUS}`))).toBe(false);
  expect(service.verifyRequest(request(CURRENT))).toBe(false);
  expect(service.verifyRequest(request())).toBe(false);
});

test("the comparison is constant time: digests compared with @oslojs's constantTimeEqual, every secret, no early exit", async () => {
  const source = await import("../../src/server/service.ts?raw").then((module) => module.default as string);
  expect(source).toMatch(/constantTimeEqual\(secret, candidate\)/);
  expect(source).not.toMatch(/===\s*presented|presented\s*===/);
  expect(() => serviceAuth({ variable: "not a name" })).toThrow(TypeError);
  expect(() => serviceAuth({ variable: "OK", minLength: 8 })).toThrow(TypeError);
});
