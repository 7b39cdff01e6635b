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
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        reject(new BodyTooLarge());
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

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
