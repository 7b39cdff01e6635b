import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { Emulator } from "../emulator.js";
import type { Arrival } from "../domain/neptune/data-plane/session.js";
import type { PortOwner } from "../domain/neptune/data-plane/ports.js";
import { BodyTooLarge, closeNow, drainServer, readBody, type AnyHttpServer } from "../server/sockets.js";
import { dataPlaneError } from "./errors.js";
import { errorReply, handleDataPlaneRequest, type DataPlaneFace } from "./face.js";
import { FastResetTokens } from "./fast-reset.js";
import { GremlinWebSockets } from "./gremlin-ws.js";

/**
 * Neptune refuses a request body above 157286400 bytes with BadRequestException (reference §1.4). *Decided*: the
 * data plane keeps that limit (openCypher loads can be large; `--max-body` stays the control plane's), and refuses
 * from Content-Length, or as soon as a streamed body passes it, without reading the rest.
 */
export const DATA_PLANE_MAX_BODY_BYTES = 157_286_400;

export interface DataPlaneOptions {
  maxBodyBytes?: number;
  log?: (line: string) => void;
  /** While true, every answer closes its connection (the server is draining). */
  closing?: () => boolean;
  /**
   * The data plane serves HTTPS with this key and certificate (`--data-plane-tls`; Neptune takes TLS only,
   * reference §1). A plain-HTTP request to such a port fails its handshake: Node's TLS server drops the connection.
   */
  tls?: { key: string; cert: string };
}

interface Listener {
  server: AnyHttpServer;
  port: number;
  address: string;
}

/**
 * The data plane's sockets, kept in step with the port book: one node:http server per allocated port on the
 * data-plane host, and a second on the reader host for clusters' ports (their reader endpoint). `sync` is called
 * at start and after every control-plane request, before its answer leaves, so a client that reads a new Port
 * can connect at once and a deleted cluster's port is closed.
 */
export class DataPlaneListeners {
  readonly #face: DataPlaneFace;
  readonly #gremlin: GremlinWebSockets;
  readonly #options: DataPlaneOptions;
  readonly #open = new Map<string, Listener>();
  /** Ports another process held at the last look: tried again at every sync until they open. */
  readonly #blocked = new Set<string>();
  #seenVersion = -1;
  #stopped = false;
  #syncing: Promise<void> = Promise.resolve();

  constructor(emulator: Emulator, options: DataPlaneOptions = {}) {
    this.#face = { emulator, resets: new FastResetTokens(), secure: options.tls !== undefined };
    this.#options = { ...options };
    this.#gremlin = new GremlinWebSockets(emulator, options.log, options.tls !== undefined);
  }

  /** The `address:port` keys listening now (for the health view and tests). */
  listening(): string[] {
    return [...this.#open.keys()].sort();
  }

  /**
   * Opens the ports the book has and this does not, closes those it no longer has. Cheap when nothing changed
   * (the book's version, unless `force`: a reset or a state import rewrites the book without it).
   */
  sync(force = false): Promise<void> | undefined {
    // Asked after every control-plane request, which almost never changes the book: when nothing changed and no
    // sync is under way there is nothing to wait for, and no promise is made.
    if (!force && this.#queued === 0 && this.#upToDate()) return undefined;
    const run = () => this.#sync(force).finally(() => this.#queued--);
    this.#queued++;
    this.#syncing = this.#syncing.then(run, run);
    return this.#syncing;
  }

  /** Syncs asked for and not yet finished. */
  #queued = 0;

  #upToDate(): boolean {
    return this.#face.emulator.dataPlane.ports.version === this.#seenVersion && this.#blocked.size === 0;
  }

  async #sync(force: boolean): Promise<void> {
    const { store, ports } = this.#face.emulator.dataPlane;
    if (this.#stopped) return;
    if (!force && this.#upToDate()) return;
    this.#seenVersion = ports.version;
    // Read as a unit of work of its own (changing nothing), so no other request's half-done work is seen.
    const allocated = await store.transact(
      async () => ports.allocated(store),
      () => false,
    );
    if (this.#stopped) return;
    const { host, readerHost } = ports.config;
    const wanted = new Map<string, { port: number; address: string; arrival: Arrival; owner: PortOwner }>();
    for (const { port, owner } of allocated) {
      wanted.set(`${host}:${port}`, { port, address: host, arrival: "host", owner });
      if (owner.kind === "cluster" && readerHost !== host)
        wanted.set(`${readerHost}:${port}`, { port, address: readerHost, arrival: "readerHost", owner });
    }
    const closing: Promise<void>[] = [];
    for (const [key, listener] of this.#open) {
      if (wanted.has(key)) continue;
      this.#open.delete(key);
      this.#gremlin.disconnect(listener.server);
      closing.push(closeNow(listener.server));
    }
    for (const key of this.#blocked) if (!wanted.has(key)) this.#blocked.delete(key);
    await Promise.all(closing);
    await Promise.all(
      [...wanted]
        .filter(([key]) => !this.#open.has(key))
        .map(([key, want]) => this.#listen(key, want.port, want.address, want.arrival, want.owner)),
    );
  }

  async #listen(key: string, port: number, address: string, arrival: Arrival, owner: PortOwner): Promise<void> {
    const serve = (req: IncomingMessage, res: ServerResponse) => void this.#serve(port, arrival, req, res);
    const tls = this.#options.tls;
    const server = tls
      ? createTlsServer({ ...tls, keepAliveTimeout: 60_000 }, serve)
      : createServer({ keepAliveTimeout: 60_000 }, serve);
    // A client that speaks plain HTTP (or does not trust the CA) sees only a dropped connection: the log says why.
    server.on("tlsClientError", (error: NodeJS.ErrnoException) =>
      this.#options.log?.(
        `data-plane :${port} TLS handshake failed: ` +
          (error.code === "ERR_SSL_HTTP_REQUEST"
            ? "a plain-HTTP request to an HTTPS port"
            : (error.code ?? error.message)),
      ),
    );
    this.#gremlin.attach(server, port, arrival);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, address, () => {
          server.off("error", reject);
          resolve();
        });
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      if (!this.#blocked.has(key))
        this.#options.log?.(
          `trident: data-plane port ${address}:${port} (${owner.kind} ${owner.resourceId} of ${owner.accountId}) ` +
            `cannot be opened: ${code}; it is tried again after each request until it can` +
            (code === "EADDRINUSE" ? " (another process holds it)" : ""),
        );
      // *Decided*: the owner keeps its port (endpoints are stable; moving it would change what DescribeDBClusters
      // said before), and the port is tried again at every sync.
      this.#blocked.add(key);
      return;
    }
    this.#blocked.delete(key);
    this.#open.set(key, { server, port, address });
  }

  async #serve(port: number, arrival: Arrival, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const limit = this.#options.maxBodyBytes ?? DATA_PLANE_MAX_BODY_BYTES;
    let body: Buffer;
    try {
      body = await readBody(req, limit);
    } catch (error) {
      const refusal =
        error instanceof BodyTooLarge
          ? dataPlaneError("BadRequestException", `Request size exceeds max allowed value of ${limit} bytes`)
          : dataPlaneError("InternalFailureException", "Could not read the request body.");
      const response = errorReply(refusal, randomUUID());
      res.writeHead(response.status, { ...response.headers, connection: "close" }).end(response.body);
      this.#options.log?.(`data-plane :${port} status=${refusal.status} ${refusal.message}`);
      return;
    }
    const request = { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body };
    const { response, summary } = await handleDataPlaneRequest(this.#face, port, arrival, request);
    const headers = this.#options.closing?.() ? { ...response.headers, connection: "close" } : response.headers;
    res.writeHead(response.status, headers).end(response.body);
    const log = this.#options.log;
    if (summary.error)
      log?.(`${summary.operation} InternalFailure: ${(summary.error as Error)?.stack ?? summary.error}`);
    log?.(
      `${summary.operation} port=${port} account=${summary.accountId ?? "-"} status=${summary.status} ` +
        `${(performance.now() - started).toFixed(1)}ms`,
    );
  }

  /**
   * Serves with a new key and certificate from now on (a renewed certificate): every open TLS socket takes it for
   * its next handshakes, and sockets opened later start with it. Connections already made keep theirs.
   */
  useCertificate(tls: { key: string; cert: string }): void {
    this.#options.tls = tls;
    for (const { server } of this.#open.values()) if ("setSecureContext" in server) server.setSecureContext(tls);
  }

  /** Stops every data-plane socket at once. */
  async close(): Promise<void> {
    this.#stopped = true;
    const servers = [...this.#open.values()].map((l) => l.server);
    this.#open.clear();
    for (const server of servers) this.#gremlin.disconnect(server);
    await Promise.all(servers.map(closeNow));
  }

  /** Stops gracefully, as the control plane does; "timed-out" if any had to be cut. */
  async drain(timeoutMs: number): Promise<"drained" | "timed-out"> {
    this.#stopped = true;
    const servers = [...this.#open.values()].map((l) => l.server);
    this.#open.clear();
    for (const server of servers) this.#gremlin.disconnect(server);
    const outcomes = await Promise.all(servers.map((server) => drainServer(server, timeoutMs)));
    return outcomes.includes("timed-out") ? "timed-out" : "drained";
  }
}
