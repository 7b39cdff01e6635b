import { GraphEngine } from "../src/graph/engine.js";
import { PropertyGraph } from "../src/graph/model/graph.js";
import { Properties } from "../src/graph/model/properties.js";
import type { Node, PropertyValue } from "../src/graph/model/values.js";
import { deserialize, serialize } from "../src/graph/storage/serialize.js";
import { seededRandom } from "../tests/helpers/random.js";
import { generatedGraph, type Scalar } from "./lib/graph-data.js";
import { percentile } from "./lib/load.js";
import { benchOptions } from "./lib/options.js";

/**
 * The graph engine in-process, on a generated graph (bench/lib/graph-data.ts: 4 labels, 5 relationship types,
 * properties of every type). Prints: load time through openCypher (batched `UNWIND $rows … CREATE`, parameters
 * as the JSON string a client sends) and through direct construction; RSS and heap against the 1 GiB target;
 * point lookups by id and by label+property, 1-hop and 2-hop expansions (queries/s, p50, p99: each query parsed
 * from cache, run in its own transaction and formatted as Neptune's JSON); the stored form's size and
 * serialize/deserialize times. Figures, never assertions.
 *
 * Usage: node --expose-gc [--max-old-space-size=4096] dist/bench/graph.js
 *          [--nodes 200000] [--rels 1000000] [--queries 20000] [--batch 10000]
 * (--expose-gc makes the heap figures exact; the default heap limit is enough for one graph, not always for the
 * two that exist while the stored form is read back.)
 */
const values = benchOptions({
  nodes: { type: "string", default: "200000" },
  rels: { type: "string", default: "1000000" },
  queries: { type: "string", default: "20000" },
  batch: { type: "string", default: "10000" },
});
const nodeCount = Number(values.nodes);
const relCount = Number(values.rels);
const queryCount = Number(values.queries);
const BATCH = Number(values.batch);
const TARGET_BYTES = 2 ** 30;

const MiB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const gc = (globalThis as { gc?: () => void }).gc;
function memory(label: string): void {
  gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  console.log(
    `${label}: RSS ${MiB(rss)} (${((rss / TARGET_BYTES) * 100).toFixed(0)}% of the 1 GiB target), ` +
      `heap used ${MiB(heapUsed)}${gc ? "" : " (no --expose-gc: heap includes garbage)"}`,
  );
}
/** Wall time, and the CPU time of this process's threads (on a shared machine it moves less than wall time). */
interface Timing {
  ms: number;
  cpuMs: number;
}
function time<T>(work: () => T): [T, Timing] {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = work();
  const cpu = process.cpuUsage(cpu0);
  return [result, { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 }];
}
const seconds = (t: Timing) => `${(t.ms / 1000).toFixed(2)} s (CPU ${(t.cpuMs / 1000).toFixed(2)} s)`;
const rate = (count: number, t: Timing) => `${Math.round(count / (t.ms / 1000))}/s`;

console.log(
  `graph bench: ${nodeCount} nodes, ${relCount} relationships, node ${process.version}, ` +
    `heap limit ${MiB((await import("node:v8")).getHeapStatistics().heap_size_limit)}`,
);
memory("RSS before loading");

// ── load through openCypher ──────────────────────────────────────────────────────────────────────────────

const data = generatedGraph(nodeCount, relCount);
let engine = new GraphEngine();
const jsonValue = (v: Scalar) => (v instanceof Date ? v.toISOString() : v);
const [, cypherNodesMs] = time(() => {
  for (const label of data.labels) {
    const { from, to } = data.nodeRange(label);
    const query =
      `UNWIND $rows AS r CREATE (:${label} {\`~id\`: r.id, uid: r.uid, name: r.name, rank: r.rank, ` +
      `score: r.score, active: r.active, created: datetime(r.created), tags: r.tags})`;
    for (let first = from; first < to; first += BATCH) {
      const rows = [];
      for (let i = first; i < Math.min(to, first + BATCH); i++) {
        const { id, properties } = data.node(i);
        rows.push({ id, ...Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, jsonValue(v)])) });
      }
      engine.execute(query, JSON.stringify({ rows }));
    }
  }
});
const [, cypherRelsMs] = time(() => {
  for (const batch of data.relationshipBatches(BATCH)) {
    const keys = Object.keys(batch[0]!.properties);
    const setters = keys.map((k) => (k === "at" ? `${k}: datetime(r.${k})` : `${k}: r.${k}`));
    const query =
      "UNWIND $rows AS r MATCH (a {`~id`: r.a}), (b {`~id`: r.b}) " +
      `CREATE (a)-[:${batch[0]!.type} {${setters.join(", ")}}]->(b)`;
    const rows = batch.map((rel) => ({
      a: `n${rel.start}`,
      b: `n${rel.end}`,
      ...Object.fromEntries(Object.entries(rel.properties).map(([k, v]) => [k, jsonValue(v)])),
    }));
    engine.execute(query, JSON.stringify({ rows }));
  }
});
console.log(
  `load through openCypher (UNWIND batches of ${BATCH}): ${engine.graph.nodes.size} nodes in ${seconds(cypherNodesMs)} ` +
    `(${rate(engine.graph.nodes.size, cypherNodesMs)}), ${engine.graph.relationships.size} relationships in ` +
    `${seconds(cypherRelsMs)} (${rate(engine.graph.relationships.size, cypherRelsMs)})`,
);
memory("after the openCypher load (one graph)");

// ── queries ──────────────────────────────────────────────────────────────────────────────────────────────

const random = seededRandom(7);
const persons = data.nodeRange("Person");
const somePerson = () => JSON.stringify({ uid: persons.from + random.int(persons.to - persons.from) });

function measure(label: string, query: string, parameters: () => string): void {
  if (queryCount === 0) return;
  const latencies: number[] = [];
  let withResults = 0;
  const [, total] = time(() => {
    for (let i = 0; i < queryCount; i++) {
      const params = parameters();
      const q0 = performance.now();
      const json = engine.run(query, params);
      latencies.push(performance.now() - q0);
      if (json !== '{"results":[]}') withResults++;
    }
  });
  latencies.sort((a, b) => a - b);
  console.log(
    `${label}: ${rate(queryCount, total).replace("/s", " queries/s")} (CPU ${Math.round(queryCount / (total.cpuMs / 1000))}/s), ` +
      `p50 ${percentile(latencies, 50).toFixed(3)} ms, ` +
      `p99 ${percentile(latencies, 99).toFixed(3)} ms (${queryCount} queries, ${withResults} with results)`,
  );
}

measure("point lookup by id", "MATCH (n) WHERE id(n) = $id RETURN n", () =>
  JSON.stringify({ id: `n${random.int(nodeCount)}` }),
);
measure("point lookup by label+property", "MATCH (n:Person {uid: $uid}) RETURN n", somePerson);
measure("1-hop expansion", "MATCH (n:Person {uid: $uid})-[:KNOWS]->(m) RETURN m.uid", somePerson);
measure(
  "2-hop expansion",
  "MATCH (n:Person {uid: $uid})-[:KNOWS]->()-[:KNOWS]->(m) RETURN count(m) AS friendsOfFriends",
  somePerson,
);

// ── a rolled-back delete ─────────────────────────────────────────────────────────────────────────────────

/**
 * A query that detach-deletes one node and then fails: the rollback shows the node and its relationships again
 * in the slots their id maps kept for them (model/element-map.ts), so the cost is the deleted elements', wherever
 * they are in the graph's order.
 */
function rolledBackDelete(label: string, id: string): void {
  const query = "MATCH (n) WHERE id(n) = $id DETACH DELETE n WITH count(*) AS c RETURN 1 / 0";
  const [failed, t] = time(() => {
    try {
      engine.run(query, JSON.stringify({ id }));
      return false;
    } catch {
      return true;
    }
  });
  console.log(`${label}: ${t.ms.toFixed(1)} ms (CPU ${t.cpuMs.toFixed(1)} ms)${failed ? "" : " (did not fail!)"}`);
}
rolledBackDelete("rolled-back DETACH DELETE of the first node", "n0");
rolledBackDelete("rolled-back DETACH DELETE of the last node", `n${nodeCount - 1}`);

// ── the stored form ──────────────────────────────────────────────────────────────────────────────────────

const [blob, serializeMs] = time(() => serialize(engine.graph));
console.log(`serialize: ${seconds(serializeMs)}, ${MiB(blob.length)} (${blob.length} bytes)`);
engine = new GraphEngine(); // the loaded graph is no longer referenced: what follows measures one graph again
memory("with the loaded graph released");
const [copy, deserializeMs] = time(() => deserialize(blob));
console.log(
  `deserialize: ${seconds(deserializeMs)} (${copy.nodes.size} nodes, ${copy.relationships.size} relationships, ` +
    `${rate(copy.nodes.size + copy.relationships.size, deserializeMs).replace("/s", " elements/s")})`,
);
memory("after deserialize (one graph)");

// ── direct construction ──────────────────────────────────────────────────────────────────────────────────

const propertyValue = (v: Scalar): PropertyValue => (typeof v === "number" && Number.isInteger(v) ? BigInt(v) : v);
const properties = (record: Record<string, Scalar>) =>
  new Properties(Object.entries(record).map(([k, v]) => [k, propertyValue(v)]));
const direct = new PropertyGraph();
const [, directMs] = time(() => {
  const nodes: Node[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const { id, label, properties: props } = data.node(i);
    nodes.push(direct.addNode(id, [label], properties(props)));
  }
  // The same seed: the same relationships as the openCypher load.
  for (const batch of generatedGraph(nodeCount, relCount).relationshipBatches(BATCH)) {
    for (const rel of batch) {
      direct.addRelationship(undefined, rel.type, nodes[rel.start]!, nodes[rel.end]!, properties(rel.properties));
    }
  }
});
console.log(
  `direct construction (PropertyGraph.addNode/addRelationship): ${seconds(directMs)} ` +
    `(${rate(direct.nodes.size + direct.relationships.size, directMs).replace("/s", " elements/s")})`,
);
memory("at the end (the deserialized and the directly built graph)");
