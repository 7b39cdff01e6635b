import { randomUUID } from "node:crypto";
import { STATUS_CODES, type IncomingMessage, type Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type { Emulator } from "../emulator.js";
import type { Arrival } from "../domain/neptune/data-plane/endpoint-routing.js";
import { openSession, type GraphSession } from "../domain/neptune/data-plane/session.js";
import { GRAPHBINARY } from "../gremlin/graphbinary.js";
import { GRAPHSON3 } from "../gremlin/graphson.js";
import {
  UnreadableRequest,
  type GremlinCodec,
  type RequestMessage,
  type ResponseMessage,
} from "../gremlin/messages.js";
import { gremlinActions, scriptActions } from "../gremlin/actions.js";
import { runTraversal } from "../gremlin/traversal.js";
import { sessionless, SocketSessions } from "./gremlin-sessions.js";
import { BytecodeArg, type GValue } from "../gremlin/values.js";
import { AwsError } from "../protocol/errors.js";
import type { RawResponse } from "../server/pipeline.js";
import { callerAccess, dataPlaneCaller, type DataPlaneCaller } from "./authorize.js";
import { errorBody, internalFailure } from "./errors.js";
import { errorReply } from "./face.js";
import { evaluateOn, refuseBindings, traverseOn } from "./gremlin-run.js";

/**
 * Gremlin over WebSocket at `/gremlin` on the data-plane ports: TinkerPop's Gremlin Server protocol (reference
 * §3.2) for bytecode traversals (`op: bytecode`, processor `traversal`, results as traversers) and string scripts
 * (`op: eval`, no processor, results as plain values: src/gremlin/script), in GraphSON 3 or GraphBinary 1.0. Each
 * request opens its session (so the serving rules hold: R11, stopped, inaccessible key, a reader refusing writes)
 * and runs as one unit of work of the store and one transaction of the graph.
 *
 * IAM database authentication (reference §6): the upgrade request is SigV4-signed for `neptune-db` as HTTP
 * requests are (gremlin-aws-sigv4 signs `GET /gremlin` with headers host;x-amz-date) and authenticated by the same
 * code (authorize.ts); a refused handshake is answered 403 with Neptune's AccessDeniedException body, no upgrade.
 * The connection keeps the caller it authenticated, and each traversal is authorized for the actions its steps
 * need (src/gremlin/actions.ts), with `neptune-db:QueryLanguage` = "Gremlin".
 * *Decided*: credentials are checked at the handshake only: temporary credentials that expire while the socket is
 * open do not close it or refuse its traversals (Neptune: "revoking credentials does not close existing
 * connections", reference §6), while the caller's policies are evaluated for every traversal.
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
  forbidden: 403,
  serverError: 500,
  evaluation: 597,
  responseSerialization: 599,
} as const;

/**
 * The TinkerPop status of a Neptune error. Observed (reference §3.2): 500 for ConcurrentModification, constraint
 * violations and most engine errors, 597 for a malformed query. *Decided*: the faults of the traversal as written
 * (malformed, unsupported, a bad argument) are 597; a traversal the caller may not run is 403, TinkerPop's code for
 * a request that is authenticated but will not be fulfilled; every other error 500.
 */
function statusOf(error: AwsError): number {
  if (error.code === "AccessDeniedException") return STATUS.forbidden;
  const evaluation = ["MalformedQueryException", "UnsupportedOperationException", "IllegalArgumentException"];
  return evaluation.includes(error.code) ? STATUS.evaluation : STATUS.serverError;
}

export class GremlinWebSockets {
  readonly #server = new WebSocketServer({ noServer: true });
  readonly #clients = new Map<Server, Set<WebSocket>>();

  constructor(
    readonly emulator: Emulator,
    readonly log?: (line: string) => void,
    /** Whether the data plane serves TLS (aws:SecureTransport). */
    readonly secure = false,
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
      // The socket may fail while the handshake is checked (ws watches it once the upgrade begins).
      const dropped = () => socket.destroy();
      socket.on("error", dropped);
      void this.#handshake(req, port, arrival)
        .then((outcome) => {
          socket.off("error", dropped);
          // The listener closed while the handshake was checked: its connections are gone, this one too.
          if (this.#clients.get(server) !== clients) {
            socket.destroy();
            return;
          }
          if ("refusal" in outcome) {
            writeRefusal(socket, errorReply(outcome.refusal, randomUUID()));
            return;
          }
          this.#server.handleUpgrade(req, socket, head, (ws) => {
            clients.add(ws);
            const connection = {
              caller: outcome.caller,
              sessions: new SocketSessions(this.emulator.dataPlane.graphs.transactions),
            };
            ws.on("close", () => {
              clients.delete(ws);
              connection.sessions.closeAll(); // a closed socket rolls its sessions' transactions back
            });
            this.#serve(ws, port, arrival, connection);
          });
        })
        .catch((error: unknown) => {
          // A fault of the server's own: this connection ends, the server goes on.
          this.log?.(`Gremlin handshake failed: ${(error as Error)?.stack ?? String(error)}`);
          socket.destroy();
        });
    });
  }

  /** Answers a connection's requests, one at a time in the order they came, for the caller of its handshake. */
  #serve(ws: WebSocket, port: number, arrival: Arrival, connection: Connection): void {
    ws.on("error", () => ws.terminate());
    let queue = Promise.resolve();
    ws.on("message", (data: RawData, isBinary: boolean) => {
      queue = queue.then(() => this.#answer(ws, toBuffer(data), isBinary, port, arrival, connection));
    });
  }

  /**
   * Who opens the connection: the SigV4 caller of the upgrade request on a cluster with IAM auth, or a refusal.
   * *Decided*: an endpoint that does not serve now (no instance yet, stopped) upgrades without a caller, so that
   * each traversal reports why it is not served, as it does without IAM auth.
   */
  async #handshake(
    req: IncomingMessage,
    port: number,
    arrival: Arrival,
  ): Promise<{ caller: DataPlaneCaller | undefined } | { refusal: AwsError }> {
    const request = { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body: Buffer.alloc(0) };
    const { store, dataPlane } = this.emulator;
    try {
      // Read as a unit of work of its own that changes nothing.
      return await store.transact(
        async () => {
          let session: GraphSession;
          try {
            session = openSession(dataPlane, port, arrival);
          } catch (error) {
            if (error instanceof AwsError) return { caller: undefined };
            throw error;
          }
          return { caller: dataPlaneCaller(this.emulator, session, request) };
        },
        () => false,
      );
    } catch (error) {
      if (error instanceof AwsError) return { refusal: error };
      this.log?.(`Gremlin handshake InternalFailure: ${(error as Error)?.stack ?? String(error)}`);
      return { refusal: internalFailure() };
    }
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
    connection: Connection,
  ): Promise<void> {
    const send = (codec: GremlinCodec, response: ResponseMessage, traversers = true) => {
      if (ws.readyState !== ws.OPEN) return;
      let encoded: Buffer | string;
      try {
        encoded = codec.encodeResponse(response, traversers);
      } catch (error) {
        // A result the wire format cannot carry (TinkerPop: 599): answered, never a crash of the server.
        this.log?.(`Gremlin response serialization: ${(error as Error)?.stack ?? String(error)}`);
        const message = `The result could not be written as ${codec.mimeType}.`;
        encoded = codec.encodeResponse(failure(response.requestId, STATUS.responseSerialization, message), false);
      }
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
    const { responses, traversers } = await this.#run(request, port, arrival, connection);
    for (const response of responses) send(codec, response, traversers);
  }

  /** The responses to one request: result batches (206…, then 200), 204, or one error. */
  async #run(request: RequestMessage, port: number, arrival: Arrival, connection: Connection): Promise<Reply> {
    const { requestId } = request;
    const work = workOf(request, connection.sessions);
    if ("code" in work) return { responses: [work], traversers: true };
    const batch = Number(request.args.get("batchSize") ?? DEFAULT_BATCH_SIZE);
    const batchSize = Number.isInteger(batch) && batch > 0 ? batch : DEFAULT_BATCH_SIZE;
    let outcome: { values: GValue[] } | { error: unknown };
    try {
      outcome = await this.emulator.store.transact(
        async () => {
          try {
            return { values: this.#traverse(work, port, arrival, connection.caller) };
          } catch (error) {
            return { error };
          }
        },
        (result) => "values" in result,
      );
    } catch (error) {
      outcome = { error }; // the store could not write: nothing was acknowledged
    }
    const { traversers } = work;
    if ("error" in outcome) {
      const known = outcome.error instanceof AwsError;
      if (!known) this.log?.(`Gremlin InternalFailure: ${(outcome.error as Error)?.stack ?? String(outcome.error)}`);
      const error = known ? (outcome.error as AwsError) : internalFailure();
      return { responses: [neptuneFailure(requestId, error, statusOf(error))], traversers };
    }
    const { values } = outcome;
    if (values.length === 0)
      return { responses: [{ requestId, code: STATUS.noContent, message: "", data: [] }], traversers };
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
    return { responses, traversers };
  }

  #traverse(work: Runnable, port: number, arrival: Arrival, caller: DataPlaneCaller | undefined): GValue[] {
    const session = openSession(this.emulator.dataPlane, port, arrival);
    callerAccess(this.emulator, session, caller, this.secure).authorizeActions(work.actions, "Gremlin");
    return work.run(session);
  }
}

/** One WebSocket: the caller its handshake authenticated (IAM clusters), and its Gremlin sessions. */
interface Connection {
  readonly caller: DataPlaneCaller | undefined;
  readonly sessions: SocketSessions;
}

/** A request's answers, and whether their results are wrapped as traversers (bytecode) or plain (eval). */
interface Reply {
  responses: ResponseMessage[];
  traversers: boolean;
}

/** What a request asks to run on the cluster's session: the `neptune-db:` actions it needs, and how to run it. */
interface Runnable {
  actions: () => readonly string[];
  run: (session: GraphSession) => GValue[];
  traversers: boolean;
}

/** What a request asks to run, or the refusal of a request that cannot run. */
type Work = ResponseMessage | Runnable;

function workOf(request: RequestMessage, sessions: SocketSessions): Work {
  const { requestId, op, processor } = request;
  const gremlin = request.args.get("gremlin");
  // A sessionless script (TinkerPop's `eval` with no processor).
  if (op === "eval" && processor === "") {
    if (typeof gremlin !== "string")
      return failure(
        requestId,
        STATUS.invalidArguments,
        "A message with an [eval] op code requires a [gremlin] argument.",
      );
    const aliases = request.args.get("aliases");
    if (aliases !== undefined && aliases !== null) {
      const refused = aliasRefusal(requestId, aliases, "eval");
      if (refused) return refused;
    }
    const bindings = request.args.get("bindings");
    return {
      actions: () => scriptActions(gremlin),
      run: (session) => {
        refuseBindings(bindings);
        return evaluateOn(session, gremlin);
      },
      traversers: false,
    };
  }
  // Bytecode in a session (`g.tx()`: processor `session` and a `session` argument), or on its own.
  const inSession = processor === "session";
  const served = op === "bytecode" ? processor === "traversal" || inSession : inSession && op === "close";
  if (!served)
    return failure(
      requestId,
      STATUS.malformedRequest,
      `The op [${op}] with processor [${processor}] is not supported.`,
    );
  const sessionId = inSession ? request.args.get("session") : undefined;
  if (inSession && (typeof sessionId !== "string" || sessionId === ""))
    return failure(
      requestId,
      STATUS.invalidArguments,
      "A message with the [session] processor requires a [session] argument.",
    );
  if (op === "close") {
    sessions.close(sessionId as string);
    return { requestId, code: STATUS.noContent, message: "", data: [] };
  }
  if (!(gremlin instanceof BytecodeArg))
    return failure(
      requestId,
      STATUS.invalidArguments,
      "A message with [bytecode] op code requires the [gremlin] argument to be Bytecode.",
    );
  return (
    aliasRefusal(requestId, request.args.get("aliases"), "bytecode") ?? {
      actions: () => gremlinActions(gremlin),
      run: (session) => {
        // Resolved when the request runs: a commit, a rollback, or a traversal in the session's transaction.
        const runIn = typeof sessionId === "string" ? sessions.runIn(sessionId, gremlin) : sessionless;
        return traverseOn(session, (ctx) => runTraversal(gremlin, ctx), runIn);
      },
      traversers: true,
    }
  );
}

/** The `aliases` argument must bind `g`, and only `g`, to the one traversal source, `g`. */
function aliasRefusal(requestId: string, aliases: unknown, op: string): ResponseMessage | undefined {
  const source = aliases instanceof Map && aliases.size === 1 ? aliases.get("g") : undefined;
  if (source === "g") return undefined;
  return failure(
    requestId,
    STATUS.invalidArguments,
    source === undefined
      ? `A message with [${op}] op code requires the [aliases] argument to be a Map containing one alias assignment named 'g'.`
      : `The traversal source [${String(source)}] for alias [g] is not configured on the server.`,
  );
}

/** Answers an upgrade request with an HTTP response instead (Neptune refuses a bad handshake so, reference §6). */
function writeRefusal(socket: Duplex, response: RawResponse): void {
  const head = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ""}`];
  for (const [name, value] of Object.entries(response.headers)) head.push(`${name}: ${value}`);
  head.push("connection: close", "", "");
  socket.end(Buffer.concat([Buffer.from(head.join("\r\n")), Buffer.from(response.body)]));
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
