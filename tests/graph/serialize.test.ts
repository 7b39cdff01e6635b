import assert from "node:assert/strict";
import { test } from "node:test";
import { GraphEngine } from "../../src/graph/engine.js";
import { CorruptGraphError } from "../../src/graph/storage/bytes.js";
import { deserialize, serialize } from "../../src/graph/storage/serialize.js";
import { socialGraph } from "./support.js";

const everything = "MATCH (n) OPTIONAL MATCH (n)-[r]->(m) RETURN n, r, m ORDER BY id(n), id(r)";

test("serialize → deserialize keeps every node, relationship, label, id and typed property value", () => {
  const g = socialGraph();
  g.run(
    "CREATE (:Typed:Second {`~id`: 'typed', big: 9223372036854775807, neg: -2147483649, small: -5, f: 1.5, whole: 2.0, " +
      "nan: 0.0 / 0.0, t: true, f2: false, s: 'héllo ✓ 𝄞', empty: '', at: datetime('2024-02-29T12:34:56.789Z'), " +
      "list: [1, 'two', 3.0, [true]]})",
  );
  g.run("MATCH (a {`~id`: 'alice'}) CREATE (a)-[:SELF {w: 0.5}]->(a)");
  const blob = serialize(g.graph);
  assert.equal(blob.subarray(0, 4).toString("latin1"), "TGRF");
  const copy = new GraphEngine(deserialize(blob));
  assert.equal(copy.run(everything), g.run(everything));
  assert.equal(copy.graph.nodes.size, 6);
  assert.equal(copy.graph.relationships.size, 6);
  // Types survive: the integer stays an integer, the whole float stays a float, NaN stays NaN.
  assert.equal(
    copy.run(
      "MATCH (n:Typed) RETURN n.big + 0 AS big, n.whole AS whole, n.nan <> n.nan AS nan, n.at < datetime() AS past",
    ),
    '{"results":[{"big":9223372036854775807,"whole":2.0,"nan":true,"past":true}]}',
  );
  // The copy's indexes work: a label+property lookup and an id lookup find what they should.
  assert.equal(copy.run("MATCH (n:Second {s: 'héllo ✓ 𝄞'}) RETURN id(n) AS id"), '{"results":[{"id":"typed"}]}');
  assert.equal(
    copy.run("MATCH (:Person {name: 'Bob'})-[:KNOWS]->(c) RETURN c.name AS n"),
    '{"results":[{"n":"Carol"}]}',
  );
});

test("the copy is independent: writes to either side do not reach the other", () => {
  const g = socialGraph();
  const copy = new GraphEngine(deserialize(serialize(g.graph)));
  copy.run("MATCH (n {`~id`: 'alice'}) SET n.name = 'Changed'");
  g.run("CREATE (:Only {`~id`: 'only-original'})");
  assert.equal(g.run("MATCH (n {`~id`: 'alice'}) RETURN n.name AS n"), '{"results":[{"n":"Alice"}]}');
  assert.equal(copy.run("MATCH (n:Only) RETURN n"), '{"results":[]}');
});

test("an empty graph round-trips; damaged bytes are refused rather than half-read", () => {
  const empty = new GraphEngine();
  assert.equal(deserialize(serialize(empty.graph)).nodes.size, 0);
  const blob = serialize(socialGraph().graph);
  assert.throws(() => deserialize(Buffer.from("XXXX")), CorruptGraphError);
  assert.throws(() => deserialize(blob.subarray(0, blob.length - 3)), CorruptGraphError);
  assert.throws(() => deserialize(Buffer.concat([blob, Buffer.from([0])])), CorruptGraphError);
  // Two relationships (or nodes) under one id: refused, not one silently dropped.
  const twins = new GraphEngine();
  twins.run("CREATE (:A {`~id`: 'dup-a'})-[:R {`~id`: 'dup-1'}]->(:A {`~id`: 'dup-b'})-[:R {`~id`: 'dup-2'}]->(:A)");
  for (const [from, to] of [
    ["dup-2", "dup-1"],
    ["dup-b", "dup-a"],
  ]) {
    const patched = Buffer.from(serialize(twins.graph).toString("latin1").replace(from!, to!), "latin1");
    assert.throws(() => deserialize(patched), /already exists/);
  }
  const wrongVersion = Buffer.from(blob);
  wrongVersion[4] = 99;
  assert.throws(() => deserialize(wrongVersion), /unknown stored graph version 99/);
});

test("adjacency read back in bulk keeps each node's order both ways, and takes later writes and deletes", () => {
  const g = socialGraph();
  // A hub with more relationships than a short list holds, both ways, and a self-loop.
  g.run(
    "MATCH (hub {`~id`: 'alice'}), (other {`~id`: 'bob'}) UNWIND range(1, 20) AS i " +
      "CREATE (hub)-[:OUT {i: i}]->(other), (other)-[:IN {i: i}]->(hub)",
  );
  g.run("MATCH (hub {`~id`: 'alice'}) CREATE (hub)-[:LOOP]->(hub)");
  const copy = new GraphEngine(deserialize(serialize(g.graph)));
  const order = "MATCH (hub {`~id`: 'alice'})-[r]-(x) RETURN type(r) AS t, r.i AS i, id(x) AS x";
  assert.equal(copy.run(order), g.run(order));
  for (const engine of [g, copy]) {
    engine.run("MATCH (hub {`~id`: 'alice'}), (c {`~id`: 'carol'}) CREATE (hub)-[:NEW]->(c), (c)-[:NEW]->(hub)");
    engine.run("MATCH ({`~id`: 'alice'})-[r:OUT|IN]-() WHERE r.i % 2 = 0 DELETE r");
  }
  assert.equal(copy.run(order), g.run(order));
  assert.equal(copy.run("MATCH ({`~id`: 'alice'})-[r]-() RETURN count(r) AS c"), '{"results":[{"c":25}]}');
});
