import type { IncomingMessage, Server } from "node:http";
import type { Server as TlsServer } from "node:https";

/** What the HTTP faces share about sockets: reading a body under a limit, and stopping a server. */

/** A plain or a TLS HTTP server: both stop the same way. */
export type AnyHttpServer = Server | TlsServer;

export class BodyTooLarge extends Error {}

/**
 * The request body, refused (BodyTooLarge) as soon as it is known to exceed `limit`: from Content-Length before
 * reading anything, else as it streams in, without reading the rest.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => onBody(req, limit, resolve, reject));
}

/**
 * readBody without a promise, for the control plane's every request: `done` with the body, or `failed` once
 * (BodyTooLarge, or the stream's error).
 */
export function onBody(
  req: IncomingMessage,
  limit: number,
  done: (body: Buffer) => void,
  failed: (error: unknown) => void,
): void {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) return failed(new BodyTooLarge());
  // Most bodies arrive in one chunk: it is the body, with no list made.
  let first: Buffer | undefined;
  let more: Buffer[] | undefined;
  let size = 0;
  let settled = false;
  req.on("data", (chunk: Buffer) => {
    if (settled) return;
    size += chunk.length;
    if (size > limit) {
      settled = true;
      req.pause();
      failed(new BodyTooLarge());
    } else if (first === undefined) first = chunk;
    else (more ??= [first]).push(chunk);
  });
  req.on("end", () => {
    if (settled) return;
    settled = true;
    done(more ? Buffer.concat(more) : (first ?? EMPTY));
  });
  req.on("error", (error) => {
    if (settled) return;
    settled = true;
    failed(error);
  });
}

const EMPTY = Buffer.alloc(0);

/** Stops at once: every connection is cut, requests in flight included. */
export function closeNow(server: AnyHttpServer): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Stops gracefully: no new connections, idle keep-alive connections closed, requests in flight answered; after
 * `timeoutMs` whatever is left is cut. Says which way it ended.
 */
export function drainServer(server: AnyHttpServer, timeoutMs: number): Promise<"drained" | "timed-out"> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      resolve("timed-out");
    }, timeoutMs);
    server.close(() => {
      clearTimeout(timer);
      resolve("drained");
    });
    server.closeIdleConnections();
  });
}
