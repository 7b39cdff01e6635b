import { servingBenchCluster } from "./lib/clusters.js";
import { formatResult, parseBenchArgs, runLoad, startChildServer } from "./lib/load.js";

/**
 * openCypher over HTTP on a cluster's endpoint (`POST /openCypher`, form body): the data-plane face's cost (the
 * listener, the unit of work, the session, binding and the JSON answer) around the engine, with a graph of
 * `--clusters`×100 nodes (default 10,000), for a point lookup by id and by label+property.
 * Usage: node dist/bench/dataplane.js [--concurrency 32] [--seconds 10] [--requests N] [--clusters 100]
 * (it always starts its own `trident serve`, with data-plane ports 30100-30109).
 */
const args = parseBenchArgs();
const NODES = args.clustersPerAccount * 100;
const own = await startChildServer("trident", ["--delays", "instant", "--data-plane-ports", "30100-30109"]);
try {
  const cluster = await servingBenchCluster(own.endpoint);
  const endpoint = `http://${cluster.Endpoint}:${cluster.Port}`;
  const form = (query: string, parameters: object) => ({
    path: "/openCypher",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ query, parameters: JSON.stringify(parameters) }).toString(),
  });
  const t0 = performance.now();
  const load = await fetch(`${endpoint}/openCypher`, {
    method: "POST",
    ...form("UNWIND range(0, $n - 1) AS i CREATE (:Person {`~id`: 'p' + toString(i), k: i, name: 'n' + toString(i)})", {
      n: NODES,
    }),
  });
  if (load.status !== 200) throw new Error(`load failed: ${load.status} ${await load.text()}`);
  console.log(`loaded ${NODES} nodes in one request in ${((performance.now() - t0) / 1000).toFixed(2)}s`);
  const options = { endpoint, concurrency: args.concurrency, requests: args.requests, durationMs: args.durationMs };
  const byId = await runLoad(options, (i) => form("MATCH (n {`~id`: $id}) RETURN n", { id: `p${(i * 7919) % NODES}` }));
  console.log(formatResult(`openCypher point lookup by id (${NODES} nodes) @ ${endpoint}`, byId, args.concurrency));
  const byProperty = await runLoad(options, (i) =>
    form("MATCH (n:Person {k: $k}) RETURN n.name AS name", { k: (i * 7919) % NODES }),
  );
  console.log(
    formatResult(`openCypher lookup by label+property (${NODES} nodes) @ ${endpoint}`, byProperty, args.concurrency),
  );
} finally {
  own.child.kill();
}
