import { parseArgs } from "node:util";
import { ModifyDBClusterCommand, NeptuneClient } from "@aws-sdk/client-neptune";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import gremlin from "gremlin";
import { Sha256 } from "../src/auth/sha256.js";
import { ADMIN_CREDENTIALS, servingBenchCluster } from "./lib/clusters.js";
import { percentile, startChildServer } from "./lib/load.js";

/**
 * Gremlin over WebSocket with the official client (its default serializer, GraphBinary): 1-hop and 2-hop
 * traversals (`g.V(id).out().count()`, `g.V(id).out().out().count()`) on a generated graph of `--nodes` vertices
 * with `--degree` out-edges each, loaded through openCypher; as bytecode, as string scripts (`Client.submit`, op
 * eval), and as scripts over HTTP (`POST /gremlin`). Prints traversals/s, p50, p99. Figures only.
 * With `--iam`, then again with IAM database authentication turned on: connections SigV4-signed at the handshake
 * and each traversal authorized by the admin's policies (what IAM costs a traversal).
 * Usage: node dist/bench/gremlin.js [--nodes 20000] [--degree 5] [--traversals 5000] [--connections 4] [--iam]
 * (it starts its own `trident serve`, with data-plane ports 30200-30209).
 */
const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "20000" },
    degree: { type: "string", default: "5" },
    traversals: { type: "string", default: "5000" },
    connections: { type: "string", default: "4" },
    iam: { type: "boolean", default: false },
  },
});
const NODES = Number(values.nodes);
const DEGREE = Number(values.degree);
const TRAVERSALS = Number(values.traversals);
const CONNECTIONS = Number(values.connections);

const own = await startChildServer("trident", ["--delays", "instant", "--data-plane-ports", "30200-30209"]);
const connections: { close(): Promise<void> }[] = [];
try {
  const cluster = await servingBenchCluster(own.endpoint);
  const t0 = performance.now();
  const openCypher = async (query: string, parameters: object) => {
    const body = new URLSearchParams({ query, parameters: JSON.stringify(parameters) });
    const response = await fetch(`http://${cluster.Endpoint}:${cluster.Port}/openCypher`, { method: "POST", body });
    if (response.status !== 200) throw new Error(`load failed: ${response.status} ${await response.text()}`);
  };
  await openCypher("UNWIND range(0, $n - 1) AS i CREATE (:V {`~id`: 'v' + toString(i), k: i})", { n: NODES });
  await openCypher(
    "UNWIND range(0, $n - 1) AS i UNWIND range(1, $d) AS j MATCH (a {`~id`: 'v' + toString(i)}), " +
      "(b {`~id`: 'v' + toString((i * 31 + j * 7919) % $n)}) CREATE (a)-[:E]->(b)",
    { n: NODES, d: DEGREE },
  );
  console.log(
    `loaded ${NODES} vertices and ${NODES * DEGREE} edges through openCypher in ` +
      `${((performance.now() - t0) / 1000).toFixed(2)} s`,
  );
  const { traversal } = gremlin.process.AnonymousTraversalSource;
  const url = `ws://${cluster.Endpoint}:${cluster.Port}/gremlin`;
  /** The handshake headers gremlin-aws-sigv4 sends: GET /gremlin signed for neptune-db. */
  const signedHeaders = async () => {
    const request = new HttpRequest({
      method: "GET",
      protocol: "http:",
      hostname: cluster.Endpoint!,
      port: cluster.Port!,
      path: "/gremlin",
      headers: { host: `${cluster.Endpoint}:${cluster.Port}` },
    });
    const signer = new SignatureV4({
      service: "neptune-db",
      region: "us-east-1",
      credentials: ADMIN_CREDENTIALS,
      sha256: Sha256,
    });
    return (await signer.sign(request)).headers;
  };
  /** `CONNECTIONS` connections, each a bytecode source and a script client (signed at the handshake if asked). */
  const open = async (signed: boolean) =>
    Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        const options = signed ? { headers: await signedHeaders() } : {};
        const connection = new gremlin.driver.DriverRemoteConnection(url, options);
        const client = new gremlin.driver.Client(url, { traversalSource: "g", ...options });
        connections.push(connection, client);
        return { g: traversal().withRemote(connection), client };
      }),
    );
  type Connection = Awaited<ReturnType<typeof open>>[number];
  const http = async (script: string) => {
    const response = await fetch(`http://${cluster.Endpoint}:${cluster.Port}/gremlin`, {
      method: "POST",
      body: JSON.stringify({ gremlin: script }),
    });
    if (response.status !== 200) throw new Error(`${script}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  const measure = async (label: string, pool: Connection[], run: (c: Connection, id: string) => Promise<unknown>) => {
    const latencies: number[] = [];
    let next = 0;
    const start = performance.now();
    await Promise.all(
      pool.map(async (connection) => {
        while (next < TRAVERSALS) {
          const i = next++;
          const t = performance.now();
          await run(connection, `v${(i * 7919) % NODES}`);
          latencies.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(
      `${label}: ${TRAVERSALS} traversals in ${seconds.toFixed(2)} s over ${CONNECTIONS} connections = ` +
        `${Math.round(TRAVERSALS / seconds)} traversals/s; p50 ${percentile(latencies, 50).toFixed(2)} ms, ` +
        `p99 ${percentile(latencies, 99).toFixed(2)} ms`,
    );
  };
  const hops = async (pool: Connection[], suffix: string) => {
    await measure(`1-hop g.V(id).out().count()${suffix}`, pool, ({ g }, id) => g.V(id).out().count().next());
    await measure(`2-hop g.V(id).out().out().count()${suffix}`, pool, ({ g }, id) =>
      g.V(id).out().out().count().next(),
    );
    await measure(`1-hop script (op eval)${suffix}`, pool, ({ client }, id) =>
      client.submit(`g.V('${id}').out().count()`),
    );
    await measure(`2-hop script (op eval)${suffix}`, pool, ({ client }, id) =>
      client.submit(`g.V('${id}').out().out().count()`),
    );
  };
  const plain = await open(false);
  await hops(plain, "");
  await measure("1-hop script over HTTP", plain, (_, id) => http(`g.V('${id}').out().count()`));
  await measure("2-hop script over HTTP", plain, (_, id) => http(`g.V('${id}').out().out().count()`));
  if (values.iam) {
    const neptune = new NeptuneClient({ region: "us-east-1", endpoint: own.endpoint, credentials: ADMIN_CREDENTIALS });
    await neptune.send(
      new ModifyDBClusterCommand({
        DBClusterIdentifier: "bench",
        EnableIAMDatabaseAuthentication: true,
        ApplyImmediately: true,
      }),
    );
    await hops(await open(true), ", IAM auth");
  }
} finally {
  for (const connection of connections) await connection.close();
  own.child.kill();
}
