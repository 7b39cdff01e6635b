import { parseArgs } from "node:util";
import { servingBenchCluster } from "./lib/clusters.js";
import gremlin from "gremlin";
import { percentile, startChildServer } from "./lib/load.js";

/**
 * Gremlin over WebSocket with the official client (its default serializer, GraphBinary): 1-hop and 2-hop
 * traversals (`g.V(id).out().count()`, `g.V(id).out().out().count()`) on a generated graph of `--nodes` vertices
 * with `--degree` out-edges each, loaded through openCypher; as bytecode, as string scripts (`Client.submit`, op
 * eval), and as scripts over HTTP (`POST /gremlin`). Prints traversals/s, p50, p99. Figures only.
 * Usage: node dist/bench/gremlin.js [--nodes 20000] [--degree 5] [--traversals 5000] [--connections 4]
 * (it starts its own `trident serve`, with data-plane ports 30200-30209).
 */
const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "20000" },
    degree: { type: "string", default: "5" },
    traversals: { type: "string", default: "5000" },
    connections: { type: "string", default: "4" },
  },
});
const NODES = Number(values.nodes);
const DEGREE = Number(values.degree);
const TRAVERSALS = Number(values.traversals);
const CONNECTIONS = Number(values.connections);

const own = await startChildServer("trident", ["--delays", "instant", "--data-plane-ports", "30200-30209"]);
const connections: { close(): Promise<unknown> }[] = [];
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
  const sources = Array.from({ length: CONNECTIONS }, () => {
    const connection = new gremlin.driver.DriverRemoteConnection(`ws://${cluster.Endpoint}:${cluster.Port}/gremlin`);
    connections.push(connection);
    return traversal().withRemote(connection);
  });
  const clients = Array.from({ length: CONNECTIONS }, () => {
    const client = new gremlin.driver.Client(`ws://${cluster.Endpoint}:${cluster.Port}/gremlin`, {
      traversalSource: "g",
    });
    connections.push(client);
    return client;
  });
  const http = async (script: string) => {
    const response = await fetch(`http://${cluster.Endpoint}:${cluster.Port}/gremlin`, {
      method: "POST",
      body: JSON.stringify({ gremlin: script }),
    });
    if (response.status !== 200) throw new Error(`${script}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  /** `run` gets the index of a connection (of `sources` and `clients`) and a vertex id. */
  const measure = async (label: string, run: (connection: number, id: string) => Promise<unknown>) => {
    const latencies: number[] = [];
    let next = 0;
    const start = performance.now();
    await Promise.all(
      sources.map(async (_, connection) => {
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
  await measure("1-hop g.V(id).out().count()", (c, id) => sources[c]!.V(id).out().count().next());
  await measure("2-hop g.V(id).out().out().count()", (c, id) => sources[c]!.V(id).out().out().count().next());
  await measure("1-hop script (op eval)", (c, id) => clients[c]!.submit(`g.V('${id}').out().count()`));
  await measure("2-hop script (op eval)", (c, id) => clients[c]!.submit(`g.V('${id}').out().out().count()`));
  await measure("1-hop script over HTTP", (_, id) => http(`g.V('${id}').out().count()`));
  await measure("2-hop script over HTTP", (_, id) => http(`g.V('${id}').out().out().count()`));
} finally {
  for (const connection of connections) await connection.close();
  own.child.kill();
}
