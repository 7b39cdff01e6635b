import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { Emulator } from "../emulator.js";
import type { Arrival } from "../domain/neptune/data-plane/endpoint-routing.js";
import { listeningAddresses, type ListeningAddress } from "../domain/neptune/data-plane/listening.js";
import { BodyTooLarge, closeNow, drainServer, readBody, type AnyHttpServer } from "../server/sockets.js";
import { sendAnswer } from "../server/turn-end.js";
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
 * How often a port another process holds is tried again. *Decided*: once a second of real time, by a timer that
 * does not keep the process alive (unref'd), and only while some port is blocked: a port freed by the other
 * process opens within a second, with no request needed, and requests never pay for the retry (before, every
 * request re-read the whole port book while a port was blocked). Real time, not the emulator's clock: the other
 * process frees its port in real time, and a ManualClock would never fire.
 */
export const BLOCKED_RETRY_MS = 1000;

/**
 * The data plane's sockets, kept in step with the port book: one node:http server per allocated port on the
 * data-plane host, a second on the reader host for clusters' ports (their reader endpoint), and one on the address
 * of each custom endpoint of a cluster (listening.ts). `sync` is called at start and after every control-plane
 * request, before its answer leaves, so a client that reads a new Port or endpoint can connect at once and a
 * deleted cluster's port, or a deleted endpoint's address, is closed.
 */
export class DataPlaneListeners {
  readonly #face: DataPlaneFace;
  readonly #gremlin: GremlinWebSockets;
  readonly #options: DataPlaneOptions;
  readonly #open = new Map<string, Listener>();
  /** Sockets another process held at the last look: tried again every BLOCKED_RETRY_MS until they open. */
  readonly #blocked = new Map<string, ListeningAddress>();
  #retry: NodeJS.Timeout | undefined;
  #bookReads = 0;
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

  /** How many times the port book was read (a request that changed nothing reads it not at all). */
  get bookReads(): number {
    return this.#bookReads;
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

  /** Blocked ports are retried by their own timer (#scheduleRetry), so only the book's version counts here. */
  #upToDate(): boolean {
    return this.#face.emulator.dataPlane.ports.version === this.#seenVersion;
  }

  async #sync(force: boolean): Promise<void> {
    const { store, ports } = this.#face.emulator.dataPlane;
    if (this.#stopped) return;
    if (!force && this.#upToDate()) return;
    this.#seenVersion = ports.version;
    this.#bookReads++;
    // Read as a unit of work of its own (changing nothing), so no other request's half-done work is seen.
    const wanted = await store.transact(
      async () => listeningAddresses(store, ports),
      () => false,
    );
    if (this.#stopped) return;
    const closing: Promise<void>[] = [];
    for (const [key, listener] of this.#open) {
      if (wanted.has(key)) continue;
      this.#open.delete(key);
      this.#gremlin.disconnect(listener.server);
      closing.push(closeNow(listener.server));
    }
    for (const key of this.#blocked.keys()) if (!wanted.has(key)) this.#blocked.delete(key);
    await Promise.all(closing);
    await Promise.all(
      [...wanted].filter(([key]) => !this.#open.has(key)).map(([key, want]) => this.#listen(key, want)),
    );
    this.#scheduleRetry();
  }

  /** While a socket is blocked, tries the blocked ones again in BLOCKED_RETRY_MS (in turn with syncs). */
  #scheduleRetry(): void {
    if (this.#retry !== undefined || this.#blocked.size === 0 || this.#stopped) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      const run = async () => {
        if (this.#stopped) return;
        await Promise.all([...this.#blocked].map(([key, want]) => this.#listen(key, want)));
        this.#scheduleRetry();
      };
      this.#syncing = this.#syncing.then(run, run);
    }, BLOCKED_RETRY_MS).unref();
  }

  async #listen(key: string, want: ListeningAddress): Promise<void> {
    const { port, address, arrival, owner } = want;
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
            `cannot be opened: ${code}; it is tried again every second until it can` +
            (code === "EADDRINUSE" ? " (another process holds it)" : ""),
        );
      // *Decided*: the owner keeps its port (endpoints are stable; moving it would change what DescribeDBClusters
      // said before), and the port is tried again on a schedule (BLOCKED_RETRY_MS).
      this.#blocked.set(key, want);
      return;
    }
    if (this.#blocked.delete(key)) this.#options.log?.(`trident: data-plane port ${address}:${port} is open now`);
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
      sendAnswer(res, response.status, { ...response.headers, connection: "close" }, response.body);
      this.#options.log?.(`data-plane :${port} status=${refusal.status} ${refusal.message}`);
      return;
    }
    const request = { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body };
    const { response, summary } = await handleDataPlaneRequest(this.#face, port, arrival, request);
    const headers = this.#options.closing?.() ? { ...response.headers, connection: "close" } : response.headers;
    sendAnswer(res, response.status, headers, response.body);
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

  #stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retry);
    this.#retry = undefined;
  }

  /** Stops every data-plane socket at once. */
  async close(): Promise<void> {
    this.#stop();
    const servers = [...this.#open.values()].map((l) => l.server);
    this.#open.clear();
    for (const server of servers) this.#gremlin.disconnect(server);
    await Promise.all(servers.map(closeNow));
  }

  /** Stops gracefully, as the control plane does; "timed-out" if any had to be cut. */
  async drain(timeoutMs: number): Promise<"drained" | "timed-out"> {
    this.#stop();
    const servers = [...this.#open.values()].map((l) => l.server);
    this.#open.clear();
    for (const server of servers) this.#gremlin.disconnect(server);
    const outcomes = await Promise.all(servers.map((server) => drainServer(server, timeoutMs)));
    return outcomes.includes("timed-out") ? "timed-out" : "drained";
  }
}
