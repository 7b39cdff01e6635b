import { parseArgs } from "node:util";
import { GraphEngine } from "../src/graph/engine.js";
import { deserialize, serialize } from "../src/graph/storage/serialize.js";
import { percentile } from "./lib/load.js";

/**
 * The graph engine in-process: load a generated graph through openCypher (batched UNWIND … CREATE, as a bulk
 * client would), then point lookups by id and by label+property, 1-hop and 2-hop expansions (queries/s, p99,
 * each query parsed, run in its own transaction and formatted as Neptune's JSON), the stored form's size and
 * speed, and RSS. Usage: node dist/bench/graph.js [--nodes 200000] [--rels 1000000] [--queries 20000]
 */
const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "200000" },
    rels: { type: "string", default: "1000000" },
    queries: { type: "string", default: "20000" },
  },
});
const nodeCount = Number(values.nodes);
const relCount = Number(values.rels);
const queryCount = Number(values.queries);
const BATCH = 10_000;

// A fixed-seed xorshift32 generator (32-bit integer arithmetic throughout), so that two runs build the same graph.
let seed = 2463534242;
const random = (n: number) => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
};

const engine = new GraphEngine();
const time = <T>(work: () => T): [T, number] => {
  const t0 = performance.now();
  const result = work();
  return [result, performance.now() - t0];
};

const [, loadMs] = time(() => {
  for (let from = 0; from < nodeCount; from += BATCH) {
    const rows = [];
    for (let i = from; i < Math.min(nodeCount, from + BATCH); i++) {
      rows.push({ id: `n${i}`, uid: i, name: `person-${i}`, age: 18 + (i % 60), city: `city-${i % 500}` });
    }
    engine.execute(
      "UNWIND $rows AS r CREATE (:Person {`~id`: r.id, uid: r.uid, name: r.name, age: r.age, city: r.city})",
      JSON.stringify({ rows }),
    );
  }
  for (let from = 0; from < relCount; from += BATCH) {
    const rows = [];
    for (let i = from; i < Math.min(relCount, from + BATCH); i++) {
      rows.push({ a: `n${random(nodeCount)}`, b: `n${random(nodeCount)}`, since: 2000 + (i % 25) });
    }
    engine.execute(
      "UNWIND $rows AS r MATCH (a {`~id`: r.a}), (b {`~id`: r.b}) CREATE (a)-[:KNOWS {since: r.since}]->(b)",
      JSON.stringify({ rows }),
    );
  }
});
const { graph } = engine;
console.log(
  `load: ${graph.nodes.size} nodes, ${graph.relationships.size} relationships in ${(loadMs / 1000).toFixed(2)} s ` +
    `(${Math.round((graph.nodes.size + graph.relationships.size) / (loadMs / 1000))} elements/s, batches of ${BATCH})`,
);
console.log(`RSS after load: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);

function measure(label: string, query: string, parameters: () => string): void {
  const latencies: number[] = [];
  let rows = 0;
  const t0 = performance.now();
  for (let i = 0; i < queryCount; i++) {
    const params = parameters();
    const q0 = performance.now();
    const json = engine.run(query, params);
    latencies.push(performance.now() - q0);
    rows += json.length > 15 ? 1 : 0;
  }
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `${label}: ${Math.round(queryCount / seconds)} queries/s, p50 ${percentile(latencies, 50).toFixed(3)} ms, ` +
      `p99 ${percentile(latencies, 99).toFixed(3)} ms (${queryCount} queries, ${rows} with results)`,
  );
}

const someUid = () => JSON.stringify({ uid: random(nodeCount) });
measure("point lookup by id", "MATCH (n) WHERE id(n) = $id RETURN n", () =>
  JSON.stringify({ id: `n${random(nodeCount)}` }),
);
measure("point lookup by label+property", "MATCH (n:Person {uid: $uid}) RETURN n", someUid);
measure("1-hop expansion", "MATCH (n:Person {uid: $uid})-[:KNOWS]->(m) RETURN m.uid", someUid);
measure("2-hop expansion", "MATCH (n:Person {uid: $uid})-[:KNOWS]->()-[:KNOWS]->(m) RETURN count(m)", someUid);

const [blob, serializeMs] = time(() => serialize(graph));
console.log(`serialize: ${serializeMs.toFixed(0)} ms, ${(blob.length / 2 ** 20).toFixed(1)} MiB`);
const [copy, deserializeMs] = time(() => deserialize(blob));
console.log(
  `deserialize: ${deserializeMs.toFixed(0)} ms (${copy.nodes.size} nodes, ${copy.relationships.size} relationships)`,
);
console.log(`RSS at the end (two graphs in memory): ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
