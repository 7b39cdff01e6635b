import assert from "node:assert/strict";
import { test } from "node:test";
import { GraphEngine } from "../../src/graph/engine.js";
import { GraphError } from "../../src/graph/errors.js";
import { CorruptGraphError } from "../../src/graph/storage/bytes.js";
import { applyChanges, decodeChanges, encodeChanges, type Change } from "../../src/graph/storage/changes.js";
import { deserialize, serialize } from "../../src/graph/storage/serialize.js";
import { newEngine } from "./support.js";

const everything = "MATCH (n) OPTIONAL MATCH (n)-[r]->(m) RETURN n, r, m ORDER BY id(n), id(r)";

/** An engine whose graph hands each committed transaction's changes to `log`. */
function capturing(): { engine: GraphEngine; log: Change[][] } {
  const engine = newEngine();
  const log: Change[][] = [];
  engine.graph.onCommit = (changes) => log.push(changes);
  return { engine, log };
}

test("a write query yields its redo records, in order, and a read query none", () => {
  const { engine, log } = capturing();
  engine.run(
    "CREATE (a:Person:Admin {`~id`: 'a', name: 'Ann', big: 9223372036854775807})-[:KNOWS {since: 2020}]->(:Person {`~id`: 'b'})",
  );
  engine.run("MATCH (n {`~id`: 'a'}) SET n.name = 'Anna', n:Owner REMOVE n.big, n:Admin");
  engine.run("MATCH (n) RETURN count(n)");
  engine.run("MATCH (b {`~id`: 'b'}) DETACH DELETE b");
  assert.equal(log.length, 3);
  assert.deepEqual(log[0], [
    {
      op: "addNode",
      id: "a",
      labels: ["Person", "Admin"],
      properties: [
        ["name", "Ann"],
        ["big", 9223372036854775807n],
      ],
    },
    { op: "addNode", id: "b", labels: ["Person"], properties: [] },
    { op: "addRelationship", id: "id-1", type: "KNOWS", start: "a", end: "b", properties: [["since", 2020n]] },
  ]);
  // What a change removed or replaced rides along (`was`), for Neptune Streams' REMOVE records.
  assert.deepEqual(log[1], [
    { op: "setProperty", on: "node", id: "a", key: "name", value: "Anna", was: "Ann" },
    { op: "addLabel", id: "a", label: "Owner" },
    { op: "removeProperty", on: "node", id: "a", key: "big", was: 9223372036854775807n },
    { op: "removeLabel", id: "a", label: "Admin" },
  ]);
  assert.deepEqual(log[2], [
    {
      op: "removeRelationship",
      id: "id-1",
      was: { type: "KNOWS", start: "a", end: "b", properties: [["since", 2020n]] },
    },
    { op: "removeNode", id: "b", was: { labels: ["Person"], properties: [] } },
  ]);
});

test("the log stores no `was`: decoded changes replay without it", () => {
  const { engine, log } = capturing();
  engine.run("CREATE (:N {`~id`: 'x', k: 1})");
  engine.run("MATCH (n {`~id`: 'x'}) SET n.k = 2");
  engine.run("MATCH (n {`~id`: 'x'}) DELETE n");
  const decoded = log.map((changes) => decodeChanges(encodeChanges(changes)));
  assert.deepEqual(decoded[1], [{ op: "setProperty", on: "node", id: "x", key: "k", value: 2n }]);
  assert.deepEqual(decoded[2], [{ op: "removeNode", id: "x" }]);
});

test("a failing query yields nothing and leaves the graph as it was", () => {
  const { engine, log } = capturing();
  engine.run("CREATE (:N {`~id`: 'x'})");
  assert.throws(() => engine.run("CREATE (:N {`~id`: 'y'}) CREATE (:N {`~id`: 'x'})"), GraphError);
  assert.equal(log.length, 1);
  assert.equal(engine.graph.nodes.size, 1);
});

test("a listener that throws rolls the transaction back", () => {
  const engine = newEngine();
  engine.graph.onCommit = () => {
    throw new Error("the log can't be written");
  };
  assert.throws(() => engine.run("CREATE (:N {`~id`: 'x'})"), /the log can't be written/);
  assert.equal(engine.graph.nodes.size, 0);
});

test("encode → decode keeps every record exactly (64-bit integers, floats, datetimes, lists)", () => {
  const changes: Change[] = [
    {
      op: "addNode",
      id: "n",
      labels: ["A", "B"],
      properties: [
        ["max", 9223372036854775807n],
        ["min", -9223372036854775808n],
        ["f", 1.5],
        ["nan", NaN],
        ["at", new Date("2024-02-29T12:34:56.789Z")],
        ["list", [1n, "two", [true]]],
        ["s", "héllo ✓ 𝄞"],
      ],
    },
    { op: "addRelationship", id: "r", type: "T", start: "n", end: "n", properties: [["w", 0.25]] },
    { op: "setProperty", on: "relationship", id: "r", key: "w", value: false },
    { op: "removeProperty", on: "node", id: "n", key: "f" },
    { op: "addLabel", id: "n", label: "C" },
    { op: "removeLabel", id: "n", label: "A" },
    { op: "removeRelationship", id: "r" },
    { op: "removeNode", id: "n" },
  ];
  assert.deepEqual(decodeChanges(encodeChanges(changes)), changes);
  assert.throws(() => decodeChanges(Buffer.from("nope")), CorruptGraphError);
  const truncated = encodeChanges(changes).subarray(0, 40);
  assert.throws(() => decodeChanges(truncated));
});

test("replaying the log on the graph as it was before gives the same graph, indexes included", () => {
  const { engine, log } = capturing();
  engine.run("CREATE (:Person {`~id`: 'seed', name: 'Seed'})");
  const before = serialize(engine.graph);
  log.length = 0;
  engine.run("UNWIND range(1, 50) AS i CREATE (:Person {`~id`: 'p' + toString(i), name: 'P' + toString(i), i: i})");
  engine.run("MATCH (a:Person), (b:Person) WHERE a.i = b.i - 1 CREATE (a)-[:NEXT {d: b.i * 1.5}]->(b)");
  engine.run("MATCH (p:Person) WHERE p.i % 5 = 0 SET p:Fifth, p.name = toUpper(p.name)");
  engine.run("MATCH (p:Person) WHERE p.i % 7 = 0 DETACH DELETE p");
  engine.run("MATCH (p:Fifth) REMOVE p.i");
  const replayed = new GraphEngine(deserialize(before));
  for (const changes of log) applyChanges(replayed.graph, decodeChanges(encodeChanges(changes)));
  assert.equal(replayed.run(everything), engine.run(everything));
  const lookup = "MATCH (p:Fifth {name: 'P10'}) RETURN id(p) AS id";
  assert.equal(replayed.run(lookup), '{"results":[{"id":"p10"}]}');
  assert.equal(replayed.run("MATCH (p:Person {i: 7}) RETURN p"), '{"results":[]}');
});

test("a change that names a missing element is refused as corrupt", () => {
  const { graph } = newEngine();
  assert.throws(() => applyChanges(graph, [{ op: "removeNode", id: "ghost" }]), CorruptGraphError);
});
