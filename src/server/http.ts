import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Emulator } from "../emulator.js";
import { AwsError } from "../protocol/errors.js";
import { ADMIN_MAX_BODY_BYTES, isAdminPath } from "./admin-paths.js";
import { handleRequest, refuseUnread, type Handled, type RawRequest } from "./pipeline.js";
import { BodyTooLarge, closeNow, drainServer, onBody } from "./sockets.js";
import { sendAnswer, workAtTurnEnd } from "./turn-end.js";
import { OnDemandDataPlane } from "../dataplane/on-demand.js";
import { serveConsoleEvents } from "../console/event-stream.js";
import { keepTickEntryShape } from "./tick-shape.js";

export interface ServerOptions {
  host?: string;
  port?: number;
  /** Bodies above this many bytes are refused with 413 before they are read in full. */
  maxBodyBytes?: number;
  /** One line per request; silent when omitted. */
  log?: (line: string) => void;
  /** The data plane serves HTTPS with this key and certificate (`--data-plane-tls`); the control plane stays HTTP. */
  dataPlaneTls?: { key: string; cert: string };
}

export const DEFAULT_PORT = 4599;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export const DEFAULT_DRAIN_TIMEOUT_SECONDS = 10;

export interface RunningServer {
  emulator: Emulator;
  server: Server;
  /** The clusters' and instances' data-plane sockets (src/dataplane), kept in step with the port book. */
  dataPlane: OnDemandDataPlane;
  /** `http://host:port`, for `--endpoint-url` and SDK `endpoint`. */
  endpoint: string;
  /** Stops at once: every connection is cut, requests in flight included (tests). */
  close(): Promise<void>;
  /**
   * Stops gracefully (SIGTERM, SIGINT): no new connections, idle keep-alive connections closed, requests in flight
   * answered (with `Connection: close`); after `timeoutMs` whatever is left is cut. Says which way it ended.
   */
  drain(timeoutMs: number): Promise<"drained" | "timed-out">;
}

function logLine(handled: Handled, ms: number): string {
  return `${handled.operation} account=${handled.accountId ?? "-"} status=${handled.response.status} ${ms.toFixed(1)}ms`;
}

export function createRequestListener(
  emulator: Emulator,
  options: ServerOptions = {},
  /** While true, every answer closes its connection (the server is draining). */
  closing: () => boolean = () => false,
  /**
   * Runs after a request's work and before its answer is written (the data plane follows the port book); told
   * whether the request was one of Trident's own (a reset or an import may have rewritten the book). Undefined
   * when there is nothing to wait for.
   */
  beforeAnswer: (admin: boolean) => Promise<void> | undefined = () => undefined,
) {
  const requestLimit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = options.log;

  /** Writes the answer, and the log line when logging (no logging work otherwise). */
  const send = (res: ServerResponse, handled: Handled, started: number): void => {
    const { response } = handled;
    const headers = closing() ? { ...response.headers, connection: "close" } : response.headers;
    sendAnswer(res, response.status, headers, response.body);
    if (!log) return;
    if (handled.error)
      log(`${handled.operation} InternalFailure: ${(handled.error as Error)?.stack ?? String(handled.error)}`);
    log(logLine(handled, performance.now() - started));
  };

  const refuse = (req: IncomingMessage, res: ServerResponse, error: unknown, limit: number): void => {
    const err =
      error instanceof BodyTooLarge
        ? new AwsError("RequestEntityTooLarge", `Request body exceeds ${limit} bytes.`, 413)
        : new AwsError("InternalFailure", "Could not read the request body.", 500);
    const response = refuseUnread(
      emulator,
      { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers },
      err,
    );
    sendAnswer(res, response.status, { ...response.headers, connection: "close" }, response.body);
    log?.(`- status=${err.status} ${err.message}`);
  };

  // Callbacks rather than an async function: every request pays for each promise, and this path makes none unless
  // the pipeline has to wait (a unit of work before it, a write to disk) or the data plane has something to follow.
  return (req: IncomingMessage, res: ServerResponse): void => {
    const started = log ? performance.now() : 0; // no logging work when not logging
    if (serveConsoleEvents(emulator, req, res)) return;
    const url = req.url ?? "/";
    const admin = isAdminPath(url);
    const limit = admin ? Math.max(requestLimit, ADMIN_MAX_BODY_BYTES) : requestLimit;
    const answerWith = (handled: Handled): void => {
      const following = beforeAnswer(admin);
      if (following) void following.then(() => send(res, handled, started));
      else send(res, handled, started);
    };
    onBody(
      req,
      limit,
      (body) =>
        workAtTurnEnd(res, () => {
          const raw: RawRequest = { method: req.method ?? "GET", url, headers: req.headers, body };
          const handled = handleRequest(emulator, raw);
          if (handled instanceof Promise) void handled.then(answerWith);
          else answerWith(handled);
        }),
      (error) => refuse(req, res, error, limit),
    );
  };
}

/** Starts the local AWS on a socket. Port 0 picks a free port. */
export async function startServer(emulator: Emulator, options: ServerOptions = {}): Promise<RunningServer> {
  keepTickEntryShape();
  let draining = false;
  const dataPlane = new OnDemandDataPlane(emulator, {
    log: options.log,
    closing: () => draining,
    tls: options.dataPlaneTls,
  });
  // A reset or a state import rewrites the port book wholesale: look at it after any of Trident's own requests.
  const followPorts = (admin: boolean) => dataPlane.sync(admin);
  const server = createServer(
    { keepAliveTimeout: 60_000 },
    createRequestListener(emulator, options, () => draining, followPorts),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_PORT, options.host ?? "127.0.0.1", () => resolve());
  });
  // Clusters kept in a data directory (or imported) listen from the start.
  await dataPlane.sync(true);
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    emulator,
    server,
    dataPlane,
    endpoint: `http://${host}:${address.port}`,
    close: async () => {
      emulator.console?.feed.closeAll();
      await Promise.all([closeNow(server), dataPlane.close()]);
    },
    drain: async (timeoutMs) => {
      draining = true;
      // The console's event streams never finish by themselves: end them, and the pages reconnect elsewhere.
      emulator.console?.feed.closeAll();
      const outcomes = await Promise.all([drainServer(server, timeoutMs), dataPlane.drain(timeoutMs)]);
      return outcomes.includes("timed-out") ? "timed-out" : "drained";
    },
  };
}
