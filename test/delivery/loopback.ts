/**
 * A real HTTP server on 127.0.0.1 for the adapter tests: it records every
 * request exactly as received and answers as the test says. Node only.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Answer = (request: Received, response: ServerResponse) => void;

export interface Loopback {
  /** "http://127.0.0.1:<port>" */
  origin: string;
  received: Received[];
  close(): Promise<void>;
}

export async function loopback(answer: Answer): Promise<Loopback> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const entry = {
        method: request.method ?? "",
        path: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(entry);
      answer(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers with a JSON body. */
export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Answer =>
  (_, response) => {
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(JSON.stringify(body));
  };

/** Never answers: the request hangs until the server closes. */
export const silence: Answer = () => {};

/** An origin where nothing listens: a port that was free a moment ago. */
export async function refusedOrigin(): Promise<string> {
  const server = await loopback(silence);
  await server.close();
  return server.origin;
}

/** The rejection of `promise`, failing the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(Error);
  return outcome as Error;
}

/** No secret (nor the recipient in full) in anything an error shows when logged. */
export function expectNothingSecret(error: Error, secrets: string[]) {
  const shown = [error.message, String(error), error.stack ?? "", JSON.stringify(error), JSON.stringify(error.cause ?? null)];
  for (const secret of secrets) {
    for (const text of shown) expect(text).not.toContain(secret);
  }
}
