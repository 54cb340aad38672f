import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A Pwned Passwords range API on loopback, answering from a small corpus the
 * way the real one does: `GET /range/{5 hex}` gives `SUFFIX:COUNT` lines
 * (CRLF), and with `Add-Padding: true` also padding lines whose count is 0.
 * SHA-1 here is Node's, independent of the code under test.
 */
export interface RecordedRequest {
  method: string;
  url: string;
  httpVersion: string;
  rawHeaders: string[];
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the server answers a range request, per test. */
export type RangeMode =
  | { kind: "normal" }
  | { kind: "status"; status: number }
  | { kind: "body"; body: string }
  /** Never answers (until the server closes). */
  | { kind: "hang" }
  /** Sends status and headers, then stalls before the body. */
  | { kind: "stallBody" };

export const sha1Hex = (text: string) => createHash("sha1").update(text, "utf8").digest("hex").toUpperCase();

export interface RangeServer {
  url: string;
  requests: RecordedRequest[];
  mode: RangeMode;
  /** Suffixes served as padding (count 0) under their prefix, on top of random ones. */
  paddingFor: Set<string>;
  close(): Promise<void>;
}

export async function startRangeServer(corpus: Record<string, number>): Promise<RangeServer> {
  const counts = new Map(Object.entries(corpus).map(([password, count]) => [sha1Hex(password), count]));
  const state: RangeServer = {
    url: "",
    requests: [],
    mode: { kind: "normal" },
    paddingFor: new Set(),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  function rangeBody(prefix: string, padded: boolean): string {
    const lines: string[] = [];
    for (const [hash, count] of counts) if (hash.startsWith(prefix)) lines.push(`${hash.slice(5)}:${count}`);
    if (padded) {
      for (const hash of state.paddingFor) if (hash.startsWith(prefix)) lines.push(`${hash.slice(5)}:0`);
      for (let i = 0; i < 40; i++) lines.push(`${sha1Hex(`padding ${prefix} ${i} ${Math.random()}`).slice(5)}:0`);
    }
    return lines.sort().join("\r\n");
  }

  function answer(response: ServerResponse, url: string, headers: IncomingHttpHeaders) {
    const { mode } = state;
    if (mode.kind === "hang") return;
    if (mode.kind === "stallBody") {
      response.writeHead(200, { "Content-Type": "text/plain", "Content-Length": "100000" });
      response.flushHeaders();
      return;
    }
    if (mode.kind === "status") return void response.writeHead(mode.status).end("unavailable");
    if (mode.kind === "body") return void response.writeHead(200, { "Content-Type": "text/plain" }).end(mode.body);
    const match = /^\/(?:[a-z]+\/)*range\/([0-9A-F]{5})$/.exec(url);
    if (match === null) return void response.writeHead(400).end("The hash prefix was not in a valid format");
    const body = rangeBody(match[1]!, headers["add-padding"] === "true");
    response.writeHead(200, { "Content-Type": "text/plain" }).end(body);
  }

  const server: Server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      const { method = "", url = "", httpVersion, rawHeaders, headers } = request;
      state.requests.push({ method, url, httpVersion, rawHeaders, headers, body });
      answer(response, url, headers);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** A loopback port nothing listens on (bound, then released). */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
