/**
 * The local backend's servers: the deployment origin (the sync WebSocket at
 * `/api/<client version>/sync`, the HTTP API, the JWKS) and the site origin
 * (HTTP actions), on loopback. They can stop and start again on the same
 * ports while the deployment (data, keys, scheduled functions) lives on.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { WebSocket, WebSocketServer } from "ws";
import { tokenVerifier } from "./auth.js";
import { commitWatcher } from "./commits.js";
import { createDeployment, type Deployment, type DeploymentOptions } from "./deployment.js";
import { httpApi } from "./httpApi.js";
import { mutationLog } from "./mutationLog.js";
import { origin } from "./requests.js";
import { site } from "./site.js";
import { syncSession } from "./syncSession.js";

export interface BackendOptions {
  /** The interface to listen on. Default `127.0.0.1`: loopback only. */
  host?: string;
  /** The deployment origin's port. Default 3210; 0 picks a free port. */
  port?: number;
  /** The site origin's port (HTTP actions). Default 3211, or a free port when `port` is 0. */
  sitePort?: number;
  /** The app to run. Default the example app (`example/convex`) as it is. */
  app?: DeploymentOptions;
  /** A `Ping` after this long without sending anything on a socket. Default 15 s, as a deployment. */
  pingIntervalMs?: number;
  /** How often the database clock is read for commits no request announced. Default 50 ms. */
  pollIntervalMs?: number;
  /** Where unexpected errors go. Default `console.error`. */
  onError?: (error: unknown) => void;
}

export interface MutationAnswered {
  sessionId: string | null;
  requestId: number;
  /** A replay of a request this session sent before: answered from the log, not run again. */
  replayed: boolean;
}

export interface Backend {
  /** The deployment URL (`VITE_CONVEX_URL`, `CONVEX_CLOUD_URL`), e.g. `http://127.0.0.1:3210`. */
  url: string;
  /** The site URL (`CONVEX_SITE_URL`), where HTTP actions are served. */
  siteUrl: string;
  deployment: Deployment;
  /** Cuts every WebSocket, as a network drop would; clients reconnect. */
  dropConnections(): void;
  /** Stops the servers and cuts every connection; the deployment and its data stay. */
  stop(): Promise<void>;
  /** Starts the servers again, on the same ports. */
  start(): Promise<void>;
  /** Calls `listener` after each mutation response sent on a socket; returns a function that stops. */
  onMutationAnswered(listener: (info: MutationAnswered) => void): () => void;
}

const SYNC_PATH = /^\/api\/[^/]+\/sync$/;

/** The app's modules read CONVEX_CLOUD_URL once, when loaded: one URL per process. */
let claimedUrl: string | undefined;

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

export async function startBackend(options: BackendOptions = {}): Promise<Backend> {
  const host = options.host ?? "127.0.0.1";
  const onError = options.onError ?? ((error: unknown) => console.error("local backend:", error));
  let ready: (handlers: Handlers) => void;
  const handlers = new Promise<Handlers>((resolve) => (ready = resolve));
  type Handlers = ReturnType<typeof wire>;

  const servers = createServers(handlers, onError);
  const closeBoth = () => Promise.all([closeServer(servers.cloud), closeServer(servers.site)]);
  let port: number, sitePort: number;
  try {
    port = await listen(servers.cloud, options.port ?? 3210, host);
    sitePort = await listen(servers.site, options.sitePort ?? (options.port === 0 ? 0 : 3211), host);
  } catch (error) {
    await closeBoth();
    throw error;
  }
  const url = `http://${host}:${port}`;
  const siteUrl = `http://${host}:${sitePort}`;
  if (claimedUrl !== undefined && claimedUrl !== url) {
    await closeBoth();
    throw new TypeError(`local backend: this process already serves ${claimedUrl}; one deployment URL per process`);
  }
  claimedUrl = url;
  // Tokens are issued for, and auth.config.ts trusts, the deployment URL.
  process.env.CONVEX_CLOUD_URL = url;
  process.env.CONVEX_SITE_URL = siteUrl;

  const deployment = await createDeployment(options.app);
  const wired = wire(deployment, url, options, onError);
  ready!(wired);

  let current = servers;
  return {
    url,
    siteUrl,
    deployment,
    dropConnections: wired.dropConnections,
    onMutationAnswered: wired.onMutationAnswered,
    async stop() {
      wired.dropConnections();
      await Promise.all([closeServer(current.cloud), closeServer(current.site)]);
    },
    async start() {
      current = createServers(handlers, onError);
      await listen(current.cloud, port, host);
      await listen(current.site, sitePort, host);
    },
  };
}

/** The two HTTP servers; requests wait until the deployment is loaded. */
function createServers(handlers: Promise<ReturnType<typeof wire>>, onError: (error: unknown) => void) {
  const serve = (pick: (h: ReturnType<typeof wire>) => (q: IncomingMessage, s: ServerResponse) => Promise<void>) =>
    createServer((request, response) => {
      handlers
        .then((h) => pick(h)(request, response))
        .catch((error) => {
          onError(error);
          if (!response.headersSent) response.writeHead(500);
          response.end();
        });
    });
  const cloud = serve((h) => h.cloud);
  cloud.on("upgrade", (request: IncomingMessage, socket: Socket, head: Buffer) => {
    void handlers.then((h) => h.upgrade(request, socket, head));
  });
  return { cloud, site: serve((h) => h.site) };
}

/** Connects the deployment to the protocol handlers. */
function wire(deployment: Deployment, url: string, options: BackendOptions, onError: (error: unknown) => void) {
  const verifier = tokenVerifier({ config: deployment.authConfig, deploymentUrl: url, ownJwks: deployment.jwks });
  const commits = commitWatcher({ snapshotTs: deployment.snapshotTs, intervalMs: options.pollIntervalMs, onError });
  const afterCall = () => void commits.check().catch(onError);
  const mutations = mutationLog();
  const api = httpApi({ deployment, verifier, afterCall });
  const actions = site({ deployment, verifier, afterCall });
  const sockets = new Set<WebSocket>();
  const answered = new Set<(info: MutationAnswered) => void>();
  const wss = new WebSocketServer({ noServer: true });
  wss.on("connection", openSession);

  /** One sync session per socket, told of every commit while it is open. */
  function openSession(ws: WebSocket, request: IncomingMessage) {
    sockets.add(ws);
    const session = syncSession({
      deployment,
      verifier,
      mutations,
      origin: origin(request),
      send: (message) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(message)),
      close: (code, reason) => ws.close(code, reason),
      afterCall,
      pingIntervalMs: options.pingIntervalMs ?? 15_000,
      now: Date.now,
      onMutationAnswered: (info) => answered.forEach((listener) => listener(info)),
      onError,
    });
    const unsubscribe = commits.subscribe(() => session.committed());
    ws.on("message", (data) => session.receive(data.toString()));
    ws.on("close", () => {
      sockets.delete(ws);
      unsubscribe();
      session.closed();
    });
    session.start();
  }

  return {
    async cloud(request: IncomingMessage, response: ServerResponse) {
      if (await api.handle(request, response)) return;
      response.writeHead(404, { "Content-Type": "text/plain" }).end("Not found on the local backend");
    },
    site: actions.handle,
    upgrade(request: IncomingMessage, socket: Socket, head: Buffer) {
      const path = new URL(request.url ?? "/", "http://localhost").pathname;
      if (!SYNC_PATH.test(path)) {
        socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
    },
    dropConnections() {
      for (const ws of sockets) ws.terminate();
    },
    onMutationAnswered(listener: (info: MutationAnswered) => void) {
      answered.add(listener);
      return () => void answered.delete(listener);
    },
  };
}
