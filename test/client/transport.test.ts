import { describe, expect, test, vi } from "vitest";
import { anyApi } from "convex/server";
import { httpTransport, type AuthApi } from "convex-warden/client";
import { isWardenError } from "../../src/shared/errors/index";

const URL = "https://happy-otter-123.convex.cloud";
const api = anyApi.auth as unknown as AuthApi;

/** A fetch that answers like Convex's HTTP API and records requests. */
function convexFetch(body: unknown, status = 200) {
  return vi.fn(async (_url: string | URL | Request, _init?: RequestInit) =>
    new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } }),
  );
}

describe("httpTransport", () => {
  test("posts the mutation to the deployment, with the token when there is one", async () => {
    const fetch = convexFetch({ status: "success", value: null, logLines: [] });
    const transport = httpTransport(URL, { fetch });
    await transport(api.signOut, {}, "jwt-1");
    await transport(api.refresh, { refreshToken: "r" }, null);
    const [[url, signOut], [, refresh]] = fetch.mock.calls as [[string, RequestInit], [string, RequestInit]];
    expect(url).toBe(`${URL}/api/mutation`);
    expect(JSON.parse(signOut.body as string)).toMatchObject({ path: "auth:signOut", args: [{}] });
    expect((signOut.headers as Record<string, string>).Authorization).toBe("Bearer jwt-1");
    expect(JSON.parse(refresh.body as string)).toMatchObject({ path: "auth:refresh", args: [{ refreshToken: "r" }] });
    expect((refresh.headers as Record<string, string>).Authorization).toBeUndefined();
  });

  test("returns the mutation's value", async () => {
    const value = { kind: "failed", error: { code: "INVALID_REFRESH_TOKEN" } };
    const transport = httpTransport(URL, { fetch: convexFetch({ status: "success", value, logLines: [] }) });
    await expect(transport(api.refresh, { refreshToken: "r" }, null)).resolves.toEqual(value);
  });

  test("an application error arrives as a ConvexError with its code", async () => {
    const fetch = convexFetch(
      { status: "error", errorMessage: "x", errorData: { code: "PROVIDER_NOT_FOUND" }, logLines: [] },
      560,
    );
    const error = await httpTransport(URL, { fetch })(api.signIn, { provider: "x" }, null).catch((e: unknown) => e);
    expect(isWardenError(error) && error.data.code).toBe("PROVIDER_NOT_FOUND");
  });

  test("a server failure is not a ConvexError (the client retries it)", async () => {
    const fetch = vi.fn(async () => new Response("Service Unavailable", { status: 503 }));
    const error = await httpTransport(URL, { fetch })(api.refresh, { refreshToken: "r" }, null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(isWardenError(error)).toBe(false);
  });

  test("a call that hangs is aborted after the timeout", async () => {
    const fetch = vi.fn(
      (_url: string | URL | Request, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => init!.signal!.addEventListener("abort", () => reject(init!.signal!.reason))),
    );
    const error = await httpTransport(URL, { fetch, timeoutMs: 5 })(api.refresh, { refreshToken: "r" }, null).catch(
      (e: unknown) => e,
    );
    expect((error as DOMException).name).toBe("TimeoutError");
  });

  test("where AbortSignal.timeout is missing (React Native) calls still go out, unbounded", async () => {
    vi.stubGlobal("AbortSignal", { ...AbortSignal, timeout: undefined });
    try {
      const fetch = convexFetch({ status: "success", value: null, logLines: [] });
      await expect(httpTransport(URL, { fetch })(api.signOut, {}, "jwt")).resolves.toBeNull();
      expect(fetch.mock.calls[0]![1]!.signal).toBeUndefined();
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
