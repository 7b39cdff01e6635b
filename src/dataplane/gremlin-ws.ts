import { dataPlaneError } from "./errors.js";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type { Emulator } from "../emulator.js";
import { openSession, readOnlyViolation, type Arrival } from "../domain/neptune/data-plane/session.js";
import { GraphErrors } from "../graph/errors.js";
import { GRAPHBINARY } from "../gremlin/graphbinary.js";
import { GRAPHSON3 } from "../gremlin/graphson.js";
import {
  UnreadableRequest,
  type GremlinCodec,
  type RequestMessage,
  type ResponseMessage,
} from "../gremlin/messages.js";
import { runTraversal } from "../gremlin/traversal.js";
import { sessionless, SocketSessions, type RunIn } from "./gremlin-sessions.js";
import { BytecodeArg, type GValue } from "../gremlin/values.js";
import { AwsError } from "../protocol/errors.js";
import { errorBody, internalFailure } from "./errors.js";

/**
 * Gremlin over WebSocket at `/gremlin` on the data-plane ports: TinkerPop's Gremlin Server protocol (reference
 * §3.2) for bytecode traversals (`op: bytecode`, processor `traversal`), in GraphSON 3 or GraphBinary 1.0. Each
 * request opens its session (so the serving rules hold: R11, stopped, inaccessible key, a reader refusing writes)
 * and runs as one unit of work of the store and one transaction of the graph.
 */

const CODECS = new Map<string, GremlinCodec>([
  [GRAPHBINARY.mimeType, GRAPHBINARY],
  [GRAPHSON3.mimeType, GRAPHSON3],
  // GraphSON 3 typed is what `;types=true` names explicitly.
  [`${GRAPHSON3.mimeType};types=true`, GRAPHSON3],
]);

/** TinkerPop's default `resultIterationBatchSize` (reference §3.2; Neptune's own value is not documented). */
const DEFAULT_BATCH_SIZE = 64;

/** TinkerPop status codes (reference §3.2). */
const STATUS = {
  success: 200,
  noContent: 204,
  partialContent: 206,
  malformedRequest: 498,
  invalidArguments: 499,
  serialization: 497,
  serverError: 500,
  evaluation: 597,
} as const;

/**
 * The TinkerPop status of a Neptune error. Observed (reference §3.2): 500 for ConcurrentModification, constraint
 * violations and most engine errors, 597 for a malformed query. *Decided*: the faults of the traversal as written
 * (malformed, unsupported, a bad argument) are 597; every other error 500.
 */
function statusOf(error: AwsError): number {
  const evaluation = ["MalformedQueryException", "UnsupportedOperationException", "IllegalArgumentException"];
  return evaluation.includes(error.code) ? STATUS.evaluation : STATUS.serverError;
}

export class GremlinWebSockets {
  readonly #server = new WebSocketServer({ noServer: true });
  readonly #clients = new Map<Server, Set<WebSocket>>();

  constructor(
    readonly emulator: Emulator,
    readonly log?: (line: string) => void,
  ) {}

  /** Serves `/gremlin` upgrades on a data-plane listener. */
  attach(server: Server, port: number, arrival: Arrival): void {
    const clients = new Set<WebSocket>();
    this.#clients.set(server, clients);
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (req.url ?? "/").split("?", 1)[0]!.replace(/\/+$/, "");
      if (path.toLowerCase() !== "/gremlin") {
        socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
      }
      this.#server.handleUpgrade(req, socket, head, (ws) => {
        clients.add(ws);
        const sessions = new SocketSessions(this.emulator.dataPlane.graphs.transactions);
        ws.on("close", () => {
          clients.delete(ws);
          sessions.closeAll(); // a closed socket rolls its sessions' transactions back
        });
        ws.on("error", () => ws.terminate());
        // One request at a time per connection, in the order they came.
        let queue = Promise.resolve();
        ws.on("message", (data: RawData, isBinary: boolean) => {
          queue = queue.then(() => this.#answer(ws, toBuffer(data), isBinary, port, arrival, sessions));
        });
      });
    });
  }

  /** Closes the WebSockets of a listener that closes (they would keep its server from closing). */
  disconnect(server: Server): void {
    for (const ws of this.#clients.get(server) ?? []) ws.terminate();
    this.#clients.delete(server);
  }

  async #answer(
    ws: WebSocket,
    frame: Buffer,
    isBinary: boolean,
    port: number,
    arrival: Arrival,
    sessions: SocketSessions,
  ): Promise<void> {
    const send = (codec: GremlinCodec, response: ResponseMessage, traversers = true) => {
      if (ws.readyState !== ws.OPEN) return;
      const encoded = codec.encodeResponse(response, traversers);
      ws.send(encoded, { binary: typeof encoded !== "string" });
    };
    // A text frame is GraphSON without the mime prefix (Gremlin Server takes it so, for testing).
    let codec: GremlinCodec = GRAPHSON3;
    let payload = frame;
    if (isBinary) {
      const length = frame[0] ?? 0;
      const mime = frame.subarray(1, 1 + length).toString("latin1");
      const known = CODECS.get(mime.replace(/\s+/g, ""));
      if (!known || frame.length < 1 + length) {
        send(GRAPHSON3, failure(null, STATUS.serialization, `The mime type [${mime}] is not supported by Trident.`));
        return;
      }
      codec = known;
      payload = frame.subarray(1 + length);
    }
    let request: RequestMessage;
    try {
      request = codec.decodeRequest(payload);
    } catch (error) {
      const message =
        error instanceof UnreadableRequest || error instanceof AwsError
          ? error.message
          : "The request could not be read.";
      send(codec, failure(null, STATUS.serialization, message));
      return;
    }
    for (const response of await this.#run(request, port, arrival, sessions)) send(codec, response);
  }

  /** The responses to one request: result batches (206…, then 200), 204, or one error. */
  async #run(
    request: RequestMessage,
    port: number,
    arrival: Arrival,
    sessions: SocketSessions,
  ): Promise<ResponseMessage[]> {
    const { requestId } = request;
    if (request.op === "eval")
      return [
        neptuneFailure(
          requestId,
          GraphErrors.unsupported("String scripts (op eval) are not supported by Trident yet: send bytecode."),
          STATUS.invalidArguments,
        ),
      ];
    const sessionId = request.processor === "session" ? request.args.get("session") : undefined;
    if (request.processor === "session" && (typeof sessionId !== "string" || sessionId === ""))
      return [
        failure(
          requestId,
          STATUS.invalidArguments,
          "A message with the [session] processor requires a [session] argument.",
        ),
      ];
    if (request.processor === "session" && request.op === "close") {
      sessions.close(sessionId as string);
      return [{ requestId, code: STATUS.noContent, message: "", data: [] }];
    }
    if (request.op !== "bytecode" || (request.processor !== "traversal" && request.processor !== "session"))
      return [
        failure(
          requestId,
          STATUS.malformedRequest,
          `The op [${request.op}] with processor [${request.processor}] is not supported.`,
        ),
      ];
    const bytecode = request.args.get("gremlin");
    if (!(bytecode instanceof BytecodeArg))
      return [
        failure(
          requestId,
          STATUS.invalidArguments,
          "A message with [bytecode] op code requires the [gremlin] argument to be Bytecode.",
        ),
      ];
    const aliases = request.args.get("aliases");
    const source = aliases instanceof Map && aliases.size === 1 ? aliases.get("g") : undefined;
    if (source !== "g")
      return [
        failure(
          requestId,
          STATUS.invalidArguments,
          source === undefined
            ? "A message with [bytecode] op code requires the [aliases] argument to be a Map containing one alias assignment named 'g'."
            : `The traversal source [${String(source)}] for alias [g] is not configured on the server.`,
        ),
      ];
    const batch = Number(request.args.get("batchSize") ?? DEFAULT_BATCH_SIZE);
    const batchSize = Number.isInteger(batch) && batch > 0 ? batch : DEFAULT_BATCH_SIZE;
    let outcome: { values: GValue[] } | { error: unknown };
    try {
      outcome = await this.emulator.store.transact(
        async () => {
          try {
            const runIn = typeof sessionId === "string" ? sessions.runIn(sessionId, bytecode) : sessionless;
            return { values: this.#traverse(bytecode, port, arrival, runIn) };
          } catch (error) {
            return { error };
          }
        },
        (result) => "values" in result,
      );
    } catch (error) {
      outcome = { error }; // the store could not write: nothing was acknowledged
    }
    if ("error" in outcome) {
      const known = outcome.error instanceof AwsError;
      if (!known) this.log?.(`Gremlin InternalFailure: ${(outcome.error as Error)?.stack ?? String(outcome.error)}`);
      const error = known ? (outcome.error as AwsError) : internalFailure();
      return [neptuneFailure(requestId, error, statusOf(error))];
    }
    const { values } = outcome;
    if (values.length === 0) return [{ requestId, code: STATUS.noContent, message: "", data: [] }];
    const responses: ResponseMessage[] = [];
    for (let at = 0; at < values.length; at += batchSize) {
      const last = at + batchSize >= values.length;
      responses.push({
        requestId,
        code: last ? STATUS.success : STATUS.partialContent,
        message: "",
        data: values.slice(at, at + batchSize),
      });
    }
    return responses;
  }

  #traverse(bytecode: BytecodeArg, port: number, arrival: Arrival, runIn: RunIn): GValue[] {
    const session = openSession(this.emulator.dataPlane, port, arrival);
    // *Decided*, until the handshake is SigV4-checked and a traversal's actions are derived (issue 12): a cluster
    // with IAM database authentication refuses Gremlin rather than serve it unauthenticated.
    if (session.iamAuthentication)
      throw dataPlaneError(
        "AccessDeniedException",
        "Trident does not check IAM database authentication for Gremlin yet: on a cluster with " +
          "IAMDatabaseAuthenticationEnabled, use openCypher.",
      );
    const write = () => {
      if (session.role === "reader") throw readOnlyViolation();
    };
    return runIn(session, (graph, tick) => runTraversal(bytecode, { graph, write, tick }));
  }
}

const toBuffer = (data: RawData): Buffer =>
  Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);

const failure = (requestId: string | null, code: number, message: string): ResponseMessage => ({
  requestId,
  code,
  message,
  data: null,
});

/** Neptune puts its error JSON in the status message (reference §3.2). */
const neptuneFailure = (requestId: string, error: AwsError, code: number): ResponseMessage =>
  failure(requestId, code, errorBody(error, requestId || randomUUID()));
