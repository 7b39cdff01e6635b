import assert from "node:assert/strict";
import gremlin from "gremlin";
import { WebSocket } from "ws";
import { clusterWithInstances, dataPlaneWorld, sigV4Headers, type SigningOptions } from "../dataplane/fixture.js";

const { DriverRemoteConnection } = gremlin.driver;
const { traversal } = gremlin.process.AnonymousTraversalSource;

/** The two serializers the official client speaks: its default (GraphBinary in 3.8) and GraphSON 3 explicitly. */
export const SERIALIZERS = [
  { name: "GraphBinary (the client's default)", options: {} },
  { name: "GraphSON 3", options: { mimeType: "application/vnd.gremlin-v3.0+json" } },
] as const;

/** A traversal source over the official client's DriverRemoteConnection; close the connection after use. */
export function gremlinSource(endpoint: { address: string; port: number }, options: Record<string, unknown> = {}) {
  const connection = new DriverRemoteConnection(`ws://${endpoint.address}:${endpoint.port}/gremlin`, options);
  return { g: traversal().withRemote(connection), connection };
}

/**
 * A traversal source whose WebSocket handshake is SigV4-signed as gremlin-aws-sigv4 signs it: `GET /gremlin` for
 * neptune-db, headers host;x-amz-date (and the session token), sent with the client's `headers` option.
 */
export async function signedGremlinSource(
  endpoint: { address: string; port: number },
  signing: SigningOptions,
  options: Record<string, unknown> = {},
) {
  const headers = await sigV4Headers(endpoint, "GET", "/gremlin", signing);
  return gremlinSource(endpoint, { ...options, headers });
}

export const { statics: __, P, TextP, t: T, order, cardinality, column, direction, merge: merge_ } = gremlin.process;

/** A local AWS with a cluster `graph` (a writer, `readers` replicas) and a Gremlin source on its writer endpoint. */
export async function gremlinCluster(options: Record<string, unknown> = {}, readers = 0) {
  const world = await dataPlaneWorld();
  const endpoints = await clusterWithInstances(world.neptune, "graph", readers);
  const source = gremlinSource(endpoints.writer, options);
  const close = async () => {
    await source.connection.close();
    await world.running.close();
  };
  return { world, ...endpoints, g: source.g, close };
}

export type GremlinCluster = Awaited<ReturnType<typeof gremlinCluster>>;

/** A ResponseMessage in GraphSON 3, as far as the tests read it. */
export interface GremlinAnswer {
  requestId: string | null;
  status: { code: number; message: string };
  result: { data: { "@value": unknown[] } | null };
}

/** Sends one binary frame (mime prefix + GraphSON) to `url` and collects the answers up to the final one. */
export async function gremlinExchange(url: string, mime: string, message: unknown): Promise<GremlinAnswer[]> {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  const answers: GremlinAnswer[] = [];
  const done = new Promise<void>((resolve) =>
    ws.on("message", (data: Buffer) => {
      const answer = JSON.parse(data.toString("utf8")) as GremlinAnswer;
      answers.push(answer);
      if (answer.status.code !== 206) resolve();
    }),
  );
  const header = Buffer.from([mime.length, ...Buffer.from(mime, "latin1")]);
  ws.send(Buffer.concat([header, Buffer.from(JSON.stringify(message))]));
  await done;
  ws.close();
  return answers;
}

/** The error `work` fails with. */
async function failure(work: Promise<unknown>, what: string): Promise<Error> {
  try {
    await work;
  } catch (error) {
    return error as Error;
  }
  assert.fail(`the ${what} was not refused`);
}

/** Neptune's error JSON: its code and message (and a request id). */
function neptuneBody(text: string): { code: string; detailedMessage: string } {
  const { code, detailedMessage, requestId } = JSON.parse(text) as Record<string, string>;
  assert.match(requestId!, /^[0-9a-f-]{36}$/);
  return { code: code!, detailedMessage: detailedMessage! };
}

/** What the client reports for an error answer: the TinkerPop status, and Neptune's error JSON in the message. */
export async function gremlinRefusal(work: Promise<unknown>) {
  const { statusCode, statusMessage } = (await failure(work, "traversal")) as Error & {
    statusCode: number;
    statusMessage: string;
  };
  return { status: statusCode, ...neptuneBody(statusMessage) };
}

/**
 * What the client reports when the server refuses the WebSocket upgrade: the HTTP status, and Neptune's error
 * body (the client's error reads "Unexpected server response code 403 with body:\n{…}").
 */
export async function handshakeRefusal(work: Promise<unknown>) {
  const { message } = await failure(work, "handshake");
  const match = /^Unexpected server response code (\d+) with body:\n(.*)$/s.exec(message);
  assert.ok(match, `not a refused handshake: ${message}`);
  return { status: Number(match[1]), ...neptuneBody(match[2]!) };
}
