import { request } from "node:http";
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  NeptuneClient,
} from "@aws-sdk/client-neptune";
import { NeptunedataClient } from "@aws-sdk/client-neptunedata";
import { Emulator } from "../../src/emulator.js";
import { startServer } from "../../src/server/http.js";
import { ManualClock } from "../../src/state/clock.js";
import { DELAY_PROFILES } from "../../src/state/delays.js";
import { ADMIN, A, REGION, type Credentials } from "../helpers/harness.js";

let servers = 0;

/**
 * A range of data-plane ports of this test process's own: tests run in parallel (and other processes may hold
 * 8182…), so each server takes 10 ports from a block derived from the process id, away from Neptune's 8182.
 */
export function portRange(): { firstPort: number; lastPort: number } {
  const firstPort = 20_000 + (process.pid % 700) * 60 + (servers++ % 6) * 10;
  return { firstPort, lastPort: firstPort + 9 };
}

/**
 * The local AWS on a socket with its data plane, a manual clock, instant lifecycles, and SDK clients of A. The
 * caller closes `running` (in its suite's `after`).
 */
export async function dataPlaneWorld() {
  const clock = new ManualClock(Date.now());
  const range = portRange();
  const emulator = new Emulator({ clock, delays: DELAY_PROFILES.instant, dataPlane: range });
  const running = await startServer(emulator, { port: 0 });
  const credentials: Credentials = ADMIN[A]!;
  const neptune = new NeptuneClient({ region: REGION, endpoint: running.endpoint, credentials, maxAttempts: 1 });
  const data = (address: string, port: number) =>
    new NeptunedataClient({ region: REGION, endpoint: `http://${address}:${port}`, credentials, maxAttempts: 1 });
  return { clock, emulator, running, range, neptune, data };
}

export type World = Awaited<ReturnType<typeof dataPlaneWorld>>;

/** A cluster with a writer instance (and `readers` replicas); the endpoints as DescribeDBClusters/Instances say. */
export async function clusterWithInstances(neptune: NeptuneClient, id: string, readers = 0) {
  await neptune.send(new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: "neptune" }));
  for (let i = 0; i <= readers; i++)
    await neptune.send(
      new CreateDBInstanceCommand({
        DBClusterIdentifier: id,
        DBInstanceIdentifier: `${id}-${i}`,
        Engine: "neptune",
        DBInstanceClass: "db.r5.large",
      }),
    );
  return endpointsOf(neptune, id);
}

export async function endpointsOf(neptune: NeptuneClient, id: string) {
  const cluster = (await neptune.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0]!;
  const instances = (
    await neptune.send(new DescribeDBInstancesCommand({ Filters: [{ Name: "db-cluster-id", Values: [id] }] }))
  ).DBInstances!;
  return {
    cluster,
    writer: { address: cluster.Endpoint!, port: cluster.Port! },
    reader: { address: cluster.ReaderEndpoint!, port: cluster.Port! },
    instances: Object.fromEntries(
      instances.map((i) => [i.DBInstanceIdentifier!, { address: i.Endpoint!.Address!, port: i.Endpoint!.Port! }]),
    ),
  };
}

export interface WireResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body as JSON, when it is. */
  json?: Record<string, unknown>;
}

/** A plain HTTP request (curl-style), any method, headers and body exactly as given. */
export function http(
  endpoint: { address: string; port: number },
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: endpoint.address, port: endpoint.port, method, path, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8");
          let json: Record<string, unknown> | undefined;
          try {
            json = JSON.parse(body) as Record<string, unknown>;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode!, headers: res.headers, body, json });
        });
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/** A form body and its Content-Type. */
export const form = (fields: Record<string, string>) => ({
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

/** Asserts a Neptune error on the wire: status, `x-amzn-errortype`, and the body's three fields. */
export function neptuneError(response: WireResponse): { code: string; detailedMessage: string; status: number } {
  const { code, detailedMessage, requestId } = response.json as Record<string, string>;
  if (response.headers["x-amzn-errortype"] !== code) throw new Error(`x-amzn-errortype is not ${code}`);
  if (requestId !== response.headers["x-amzn-requestid"]) throw new Error("requestId differs from x-amzn-requestid");
  return { code: code!, detailedMessage: detailedMessage!, status: response.status };
}
