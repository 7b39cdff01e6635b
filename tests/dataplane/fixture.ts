import { request } from "node:http";
import { createServer } from "node:net";
import {
  CreateDBClusterCommand,
  type CreateDBClusterMessage,
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  NeptuneClient,
} from "@aws-sdk/client-neptune";
import { NeptunedataClient } from "@aws-sdk/client-neptunedata";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { Emulator } from "../../src/emulator.js";
import { startServer, type ServerOptions } from "../../src/server/http.js";
import type { TridentConfig } from "../../src/config/config.js";
import { ManualClock } from "../../src/state/clock.js";
import { DELAY_PROFILES } from "../../src/state/delays.js";
import type { Store } from "../../src/state/store.js";
import { ADMIN, A, REGION, Sha256, type Credentials } from "../helpers/harness.js";

let servers = 0;

/** Below Linux's ephemeral ports (32768 and up), which port-0 servers and client sockets take. */
const FIRST = 20_000;
const SLOTS = 1_270;

/** Whether every port of the range can be listened on, on both data-plane addresses, now. */
async function free(firstPort: number, lastPort: number): Promise<boolean> {
  for (let port = firstPort; port <= lastPort; port++)
    for (const address of ["127.0.0.1", "127.0.0.2"]) {
      const ok = await new Promise<boolean>((resolve) => {
        const probe = createServer();
        probe.once("error", () => resolve(false));
        probe.listen(port, address, () => probe.close(() => resolve(true)));
      });
      if (!ok) return false;
    }
  return true;
}

/**
 * A range of 10 data-plane ports of this test's own: tests run in parallel (and other processes may hold
 * 8182…), so each server starts from a slot derived from the process id and a counter, and moves on past a
 * range that something already holds.
 */
export async function portRange(): Promise<{ firstPort: number; lastPort: number }> {
  for (let attempt = 0; attempt < SLOTS; attempt++) {
    const firstPort = FIRST + ((process.pid * 7 + servers++) % SLOTS) * 10;
    if (await free(firstPort, firstPort + 9)) return { firstPort, lastPort: firstPort + 9 };
  }
  throw new Error("no free range of data-plane ports");
}

/**
 * The local AWS on a socket with its data plane, a manual clock, instant lifecycles, and SDK clients of A; the
 * identities of `config` (default: the demo accounts' admins). The caller closes `running` (in its suite's `after`).
 */
export async function dataPlaneWorld(
  options: Pick<ServerOptions, "log" | "dataPlaneTls"> & {
    config?: TridentConfig;
    /** A store of the caller's (a data directory, to restart on), with the clock and ports of the first run. */
    store?: Store;
    clock?: ManualClock;
    range?: { firstPort: number; lastPort: number };
  } = {},
) {
  const { config, store, ...rest } = options;
  const { clock = new ManualClock(Date.now()), range = await portRange(), ...serverOptions } = rest;
  const emulator = new Emulator({ clock, delays: DELAY_PROFILES.instant, dataPlane: range, config, store });
  const running = await startServer(emulator, { port: 0, ...serverOptions });
  const credentials: Credentials = ADMIN[A]!;
  const neptune = new NeptuneClient({ region: REGION, endpoint: running.endpoint, credentials, maxAttempts: 1 });
  const data = (address: string, port: number) =>
    new NeptunedataClient({ region: REGION, endpoint: `http://${address}:${port}`, credentials, maxAttempts: 1 });
  return { clock, emulator, running, range, neptune, data };
}

export type World = Awaited<ReturnType<typeof dataPlaneWorld>>;

/** A cluster with a writer instance (and `readers` replicas); the endpoints as DescribeDBClusters/Instances say. */
export async function clusterWithInstances(
  neptune: NeptuneClient,
  id: string,
  readers = 0,
  settings: Partial<CreateDBClusterMessage> = {},
) {
  await neptune.send(new CreateDBClusterCommand({ ...settings, DBClusterIdentifier: id, Engine: "neptune" }));
  for (let i = 0; i <= readers; i++) await addInstance(neptune, id, `${id}-${i}`);
  return endpointsOf(neptune, id);
}

/** A db.r5.large instance in the cluster (its first is the writer). */
export async function addInstance(neptune: NeptuneClient, cluster: string, instance: string) {
  await neptune.send(
    new CreateDBInstanceCommand({
      DBClusterIdentifier: cluster,
      DBInstanceIdentifier: instance,
      Engine: "neptune",
      DBInstanceClass: "db.r5.large",
    }),
  );
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

export interface SigningOptions {
  credentials: Credentials;
  service?: string;
  region?: string;
  body?: string;
  headers?: Record<string, string>;
  signingDate?: Date;
}

/**
 * The headers of a request to a data-plane endpoint signed with `@smithy/signature-v4` as gremlin-aws-sigv4 signs:
 * service neptune-db, the cluster's region, `host` with the port (for a WebSocket: `GET /gremlin`, no body).
 */
export async function sigV4Headers(
  endpoint: { address: string; port: number },
  method: string,
  path: string,
  options: SigningOptions,
): Promise<Record<string, string>> {
  const host = `${endpoint.address}:${endpoint.port}`;
  const [pathname, query] = path.split("?", 2) as [string, string?];
  const request = new HttpRequest({
    method,
    protocol: "http:",
    hostname: endpoint.address,
    port: endpoint.port,
    path: pathname,
    query: query ? Object.fromEntries(new URLSearchParams(query)) : {},
    headers: { host, ...(options.headers ?? {}) },
    body: options.body,
  });
  const signer = new SignatureV4({
    service: options.service ?? "neptune-db",
    region: options.region ?? REGION,
    credentials: options.credentials,
    sha256: Sha256,
  });
  const { headers } = await signer.sign(request, { signingDate: options.signingDate });
  return headers;
}

/** Temporary credentials of A's role `roleName`, assumed by A's admin for 15 minutes with a session `policy`. */
export async function assumedRole(world: World, roleName: string, policy: unknown): Promise<Required<Credentials>> {
  const sts = new STSClient({
    region: REGION,
    endpoint: world.running.endpoint,
    credentials: ADMIN[A]!,
    maxAttempts: 1,
  });
  const { Credentials: issued } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${A}:role/${roleName}`,
      RoleSessionName: "narrow",
      DurationSeconds: 900,
      Policy: JSON.stringify(policy),
    }),
  );
  return {
    accessKeyId: issued!.AccessKeyId!,
    secretAccessKey: issued!.SecretAccessKey!,
    sessionToken: issued!.SessionToken!,
  };
}
