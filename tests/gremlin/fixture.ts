import assert from "node:assert/strict";
import gremlin from "gremlin";
import { WebSocket } from "ws";
import { clusterWithInstances, dataPlaneWorld } from "../dataplane/fixture.js";

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

/** What the client reports for an error answer: the TinkerPop status, and Neptune's error JSON in the message. */
export async function gremlinRefusal(
  work: Promise<unknown>,
): Promise<{ status: number; code: string; detailedMessage: string }> {
  try {
    await work;
  } catch (error) {
    const { statusCode, statusMessage } = error as { statusCode: number; statusMessage: string };
    const body = JSON.parse(statusMessage) as { code: string; detailedMessage: string; requestId: string };
    assert.match(body.requestId, /^[0-9a-f-]{36}$/);
    return { status: statusCode, code: body.code, detailedMessage: body.detailedMessage };
  }
  assert.fail("the traversal was not refused");
}
