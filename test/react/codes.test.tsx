// @vitest-environment happy-dom
import { useState } from "react";
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, expect, test } from "vitest";
import type { FunctionReference } from "convex/server";
import { AuthLoading, Authenticated, Unauthenticated, type ConvexReactClient } from "convex/react";
import { createAuthClient, isWardenError, memoryStorage, pageLock, type AuthClient, type Transport } from "convex-warden/client";
import { ConvexAuthProvider, useAuthActions, useAuthState } from "convex-warden/react";
import { Email } from "convex-warden/providers/Email";
import { identityFromClaims, verifyAccessToken } from "convex-warden/test";
import { api } from "../../example/convex/_generated/api";
import { exampleApp, type ExampleApp } from "../setup";
import { outbox, sendScheduled } from "../codes/support";

/**
 * The code and link steps in React, on the real server functions: the
 * bindings only subscribe, so a sign-in form reads the flow from
 * `useAuthState()` and sends codes with `useAuthActions().signIn`.
 */
const ADA = "ada@example.com";

// Real timers: the server's answers take real time, which fake timers would not let pass.
afterEach(() => cleanup());

function transportTo(t: ExampleApp): Transport {
  return (async (ref, args, token) => {
    const caller = token === null ? t : t.withIdentity(identityFromClaims(await verifyAccessToken(t, token)));
    return caller.mutation(ref as FunctionReference<"mutation">, args as never);
  }) as Transport;
}

/** Stands in for ConvexReactClient's auth handling, as in provider.test.tsx. */
const convex = {
  url: "https://warden-example.convex.cloud",
  setAuth(fetchToken: (args: { forceRefreshToken: boolean }) => Promise<string | null>, onChange: (ok: boolean) => void) {
    void fetchToken({ forceRefreshToken: false }).then((token) => onChange(token !== null));
  },
  clearAuth: () => {},
} as unknown as ConvexReactClient;

function CodeSignIn() {
  const { signIn } = useAuthActions<typeof api.auth>();
  const { flow } = useAuthState();
  const [error, setError] = useState<string | null>(null);
  const attempt = (params: Parameters<typeof signIn<"email">>[1]) =>
    signIn("email", params).then(
      () => setError(null),
      (caught: unknown) => setError(isWardenError(caught) ? caught.data.code : "network"),
    );
  if (flow?.step === "awaitingCode") {
    const wait = flow.resendAt === null ? 0 : Math.max(0, flow.resendAt - Date.now());
    return (
      <>
        <p>code sent to {flow.destination}</p>
        <input aria-label="code" />
        <button onClick={() => void attempt({ email: ADA, code: screen.getByLabelText<HTMLInputElement>("code").value })}>verify</button>
        <button onClick={() => void attempt({ email: ADA })}>resend{wait > 0 ? ` in ${Math.ceil(wait / 1000)} s` : ""}</button>
        {error && <p role="alert">{error}</p>}
      </>
    );
  }
  if (flow?.step === "redirectFailed") return <p role="alert">link failed: {flow.error.code}</p>;
  return <button onClick={() => void attempt({ email: ADA })}>send code</button>;
}

function renderApp(auth: AuthClient) {
  return render(
    <ConvexAuthProvider client={convex} authClient={auth}>
      <AuthLoading>loading</AuthLoading>
      <Unauthenticated>
        <CodeSignIn />
      </Unauthenticated>
      <Authenticated>signed in</Authenticated>
    </ConvexAuthProvider>,
  );
}


test("send a code, see where it went and the resend wait, enter it, signed in", async () => {
  const box = outbox();
  const t = exampleApp({ providers: [Email({ appName: "Acme", sender: box.email })] });
  const auth = createAuthClient({ url: convex.url, api: api.auth, transport: transportTo(t), storage: memoryStorage(), lock: pageLock(), tabSync: null, navigation: null });
  renderApp(auth);
  fireEvent.click(await screen.findByText("send code"));
  await screen.findByText("code sent to a•••@example.com");
  expect(screen.getByText("resend in 30 s")).toBeTruthy();
  await act(() => sendScheduled(t));

  fireEvent.change(screen.getByLabelText("code"), { target: { value: "00000000" } });
  fireEvent.click(screen.getByText("verify"));
  await waitFor(() => screen.getByRole("alert"));
  expect(screen.getByRole("alert").textContent).toBe(box.codeFor(ADA) === "00000000" ? "" : "INVALID_CODE");

  fireEvent.change(screen.getByLabelText("code"), { target: { value: box.codeFor(ADA) } });
  fireEvent.click(screen.getByText("verify"));
  await screen.findByText("signed in");
});

test("a sign-in link opened in the browser that asked: loading while it is redeemed, then signed in", async () => {
  const box = outbox();
  const t = exampleApp({
    providers: [Email({ appName: "Acme", sender: box.email, code: false, link: { siteUrl: "https://app.example.com" } })],
  });
  const storage = memoryStorage();
  const tab = (href: string | null) =>
    createAuthClient({
      url: convex.url,
      api: api.auth,
      transport: transportTo(t),
      storage,
      lock: pageLock(),
      tabSync: null,
      navigation: href === null ? null : { href: () => href!, assign: () => {}, replace: (url) => void (href = url) },
    });
  await tab(null).signIn("email", { email: ADA });
  await sendScheduled(t);

  renderApp(tab(box.linkFor(ADA).href));
  expect(screen.getByText("loading")).toBeTruthy();
  await screen.findByText("signed in", {}, { timeout: 5000 });
});
