import assert from "node:assert/strict";
import { test } from "node:test";
import { GraphEngine } from "../../src/graph/engine.js";
import { PropertyGraph } from "../../src/graph/model/graph.js";
import type { Node, PropertyValue } from "../../src/graph/model/values.js";
import { column, fails, results, socialGraph } from "./support.js";

test("MATCH by label and property map; a node with two labels matches either", () => {
  const g = socialGraph();
  assert.deepEqual(column(g, "MATCH (p:Person) RETURN p.name ORDER BY p.name", "p.name"), ["Alice", "Bob", "Carol"]);
  assert.deepEqual(column(g, "MATCH (p:Admin) RETURN p.name", "p.name"), ["Carol"]);
  assert.deepEqual(column(g, "MATCH (p:Person:Admin {name: 'Carol'}) RETURN p.age", "p.age"), [41]);
  assert.deepEqual(column(g, "MATCH (p:Person {name: 'Nobody'}) RETURN p", "p"), []);
  assert.deepEqual(column(g, "MATCH (p:Person {age: 34.0}) RETURN p.name", "p.name"), ["Alice"], "1 = 1.0");
});

test("MATCH follows directions: out, in and either", () => {
  const g = socialGraph();
  assert.deepEqual(column(g, "MATCH (:Person {name: 'Bob'})-[:KNOWS]->(x) RETURN x.name", "x.name"), ["Carol"]);
  assert.deepEqual(column(g, "MATCH (:Person {name: 'Bob'})<-[:KNOWS]-(x) RETURN x.name", "x.name"), ["Alice"]);
  assert.deepEqual(column(g, "MATCH (:Person {name: 'Bob'})-[:KNOWS]-(x) RETURN x.name ORDER BY x.name", "x.name"), [
    "Alice",
    "Carol",
  ]);
  assert.deepEqual(column(g, "MATCH (a)-[r]->(b:City) RETURN type(r) + ':' + a.name AS t ORDER BY t", "t"), [
    "LIVES_IN:Alice",
    "LIVES_IN:Bob",
    "LIVES_IN:Carol",
  ]);
  assert.deepEqual(column(g, "MATCH (a)-[:KNOWS|LIVES_IN]->(:City {name: 'Oslo'}) RETURN a.name", "a.name"), ["Carol"]);
});

test("variable-length patterns bind the list of relationships and respect their bounds", () => {
  const g = socialGraph();
  assert.deepEqual(
    column(g, "MATCH (:Person {name: 'Alice'})-[:KNOWS*1..2]->(x) RETURN x.name ORDER BY x.name", "x.name"),
    ["Bob", "Carol"],
  );
  assert.deepEqual(column(g, "MATCH (:Person {name: 'Alice'})-[:KNOWS*2]->(x) RETURN x.name", "x.name"), ["Carol"]);
  assert.deepEqual(
    column(g, "MATCH (:Person {name: 'Alice'})-[r:KNOWS*]->(x) RETURN size(r) AS hops ORDER BY hops", "hops"),
    [1, 2],
  );
  assert.deepEqual(
    column(g, "MATCH (a:Person {name: 'Alice'})-[:KNOWS*0..1]->(x) RETURN x.name ORDER BY x.name", "x.name"),
    ["Alice", "Bob"],
  );
  const [row] = results(g, "MATCH (:Person {name: 'Alice'})-[r:KNOWS*2]->() RETURN [x IN r | x.since] AS years");
  assert.deepEqual(row.years, [2015, 2019]);
});

test("several patterns in one MATCH join on shared variables; relationships are not reused within a MATCH", () => {
  const g = socialGraph();
  assert.deepEqual(
    column(
      g,
      "MATCH (a:Person)-[:LIVES_IN]->(c:City), (b:Person)-[:LIVES_IN]->(c) WHERE a.name < b.name RETURN a.name + '&' + b.name AS pair",
      "pair",
    ),
    ["Alice&Bob"],
  );
  // (a)-[r1]-(b)-[r2]-(c): r1 and r2 must differ, so Bob-Alice-Bob over k1 twice is not a match.
  assert.deepEqual(column(g, "MATCH (a {name: 'Bob'})-[:KNOWS]-(b)-[:KNOWS]-(c) RETURN c.name", "c.name"), []);
  assert.deepEqual(column(g, "MATCH (x:City), (y:City) WHERE x <> y RETURN x.name ORDER BY x.name", "x.name"), [
    "Oslo",
    "Paris",
  ]);
});

test("a variable bound earlier anchors the next MATCH; a variable repeated in a pattern must be the same node", () => {
  const g = socialGraph();
  assert.deepEqual(
    column(g, "MATCH (c:City {name: 'Paris'}) MATCH (p)-[:LIVES_IN]->(c) RETURN p.name ORDER BY p.name", "p.name"),
    ["Alice", "Bob"],
  );
  g.run("MATCH (c:Person {name: 'Carol'}), (a:Person {name: 'Alice'}) CREATE (c)-[:KNOWS]->(a)");
  assert.deepEqual(column(g, "MATCH (a {name: 'Alice'})-[:KNOWS*3]->(a) RETURN a.name", "a.name"), ["Alice"]);
});

test("OPTIONAL MATCH keeps the row with nulls when nothing matches", () => {
  const g = socialGraph();
  const rows = results(
    g,
    "MATCH (p:Person) OPTIONAL MATCH (p)-[:KNOWS]->(f) RETURN p.name AS name, f.name AS friend ORDER BY name",
  );
  assert.deepEqual(rows, [
    { name: "Alice", friend: "Bob" },
    { name: "Bob", friend: "Carol" },
    { name: "Carol", friend: null },
  ]);
  assert.deepEqual(results(g, "OPTIONAL MATCH (x:Nothing) RETURN x"), [{ x: null }]);
  assert.deepEqual(
    results(g, "MATCH (p:Person {name: 'Carol'}) OPTIONAL MATCH (p)-[:KNOWS]->(f) WHERE f.age > 100 RETURN f"),
    [{ f: null }],
  );
});

test("pattern predicates in WHERE: a pattern is true when it has a match", () => {
  const g = socialGraph();
  assert.deepEqual(column(g, "MATCH (p:Person) WHERE (p)-[:KNOWS]->(:Admin) RETURN p.name", "p.name"), ["Bob"]);
  assert.deepEqual(column(g, "MATCH (p:Person) WHERE NOT (p)<-[:KNOWS]-() RETURN p.name", "p.name"), ["Alice"]);
  assert.deepEqual(
    column(g, "MATCH (p:Person) WHERE exists((p)-[:LIVES_IN]->(:City {name: 'Oslo'})) RETURN p.name", "p.name"),
    ["Carol"],
  );
  assert.deepEqual(
    column(g, "MATCH (p:Person {name: 'Alice'}) RETURN [(p)-[:KNOWS*1..2]->(f) | f.name] AS names", "names"),
    [["Bob", "Carol"]],
  );
});

test("named paths come back as arrays node, relationship, node; nodes() and relationships() take them apart", () => {
  const g = socialGraph();
  const [row] = results(g, "MATCH p = (:Person {name: 'Alice'})-[:KNOWS]->()-[:KNOWS]->() RETURN p, length(p) AS n");
  assert.equal(row.n, 2);
  assert.deepEqual(
    row.p.map((e: { "~id": string; "~entityType": string }) => `${e["~entityType"]}:${e["~id"]}`),
    ["node:alice", "relationship:k1", "node:bob", "relationship:k2", "node:carol"],
  );
  assert.deepEqual(
    column(g, "MATCH p = (:City {name: 'Oslo'})<-[:LIVES_IN]-(x) RETURN [n IN nodes(p) | n.name] AS names", "names"),
    [["Oslo", "Carol"]],
  );
});

test("~id in a pattern and id() in WHERE find a node by its id", () => {
  const g = socialGraph();
  assert.deepEqual(column(g, "MATCH (n {`~id`: 'bob'}) RETURN n.name", "n.name"), ["Bob"]);
  assert.deepEqual(column(g, "MATCH (n) WHERE id(n) = $id RETURN n.name", "n.name", '{"id": "carol"}'), ["Carol"]);
  assert.deepEqual(column(g, "MATCH ()-[r]->() WHERE id(r) = 'k2' RETURN r.since", "r.since"), [2019]);
});

/** A graph that counts how the executor reached its nodes. */
class CountingGraph extends PropertyGraph {
  labelScans = 0;
  propertyLookups = 0;
  override nodesWithLabel(label: string): Iterable<Node> {
    this.labelScans++;
    return super.nodesWithLabel(label);
  }
  override nodesWithProperty(label: string, key: string, value: PropertyValue): Iterable<Node> {
    this.propertyLookups++;
    return super.nodesWithProperty(label, key, value);
  }
}

test("a label+property equality, inline or in WHERE, uses the index rather than scanning the label", () => {
  const graph = new CountingGraph();
  const g = new GraphEngine(graph);
  g.run("UNWIND range(1, 100) AS i CREATE (:Item {n: i, even: i % 2 = 0})");
  const reset = () => {
    graph.labelScans = 0;
    graph.propertyLookups = 0;
  };
  reset();
  assert.deepEqual(column(g, "MATCH (i:Item {n: 42}) RETURN i.n", "i.n"), [42]);
  assert.deepEqual([graph.propertyLookups, graph.labelScans], [1, 0]);
  reset();
  assert.deepEqual(column(g, "MATCH (i:Item) WHERE i.n = $n AND i.even RETURN i.n", "i.n", '{"n": 8}'), [8]);
  assert.deepEqual([graph.propertyLookups, graph.labelScans], [1, 0]);
  reset();
  assert.equal(column(g, "MATCH (i:Item) WHERE i.n > 98 RETURN i.n", "i.n").length, 2);
  assert.deepEqual([graph.propertyLookups, graph.labelScans], [0, 1]);
  // The index follows writes: a changed value is found under its new key only.
  g.run("MATCH (i:Item {n: 42}) SET i.n = 4200");
  assert.deepEqual(column(g, "MATCH (i:Item {n: 42}) RETURN i.n", "i.n"), []);
  assert.deepEqual(column(g, "MATCH (i:Item {n: 4200}) RETURN i.n", "i.n"), [4200]);
});

test("the planner starts from the fewest index hits, takes IN lists and ids, and the WHERE still filters", () => {
  // The engine looks at its timer once per query and once per 1024 steps: a count of looks is a count of work.
  let looks = 0;
  const g = new GraphEngine(new PropertyGraph(), undefined, { elapsed: () => (looks++, 0) });
  g.run("UNWIND range(1, 5000) AS i CREATE (:Item {`~id`: 'item-' + toString(i), n: i, even: i % 2 = 0})");
  const run = (query: string) => {
    looks = 0;
    return { rows: column(g, query, "n"), looks };
  };
  // `even` is 2,500 nodes and `n` one: the planner starts from `n` whichever comes first.
  assert.deepEqual(run("MATCH (i:Item) WHERE i.even = true AND i.n = 42 RETURN i.n AS n"), { rows: [42], looks: 1 });
  assert.deepEqual(run("MATCH (i:Item {even: true, n: 44}) RETURN i.n AS n"), { rows: [44], looks: 1 });
  // IN: the union of the values' hits, each node once (4 and 4.0 are one value).
  assert.deepEqual(run("MATCH (i:Item {even: true}) WHERE i.n IN [2, 4, 4.0, 5] RETURN i.n AS n"), {
    rows: [2, 4],
    looks: 1,
  });
  assert.deepEqual(run("MATCH (i) WHERE id(i) IN ['item-7', 'item-9', 'item-7', 'none'] RETURN i.n AS n"), {
    rows: [7, 9],
    looks: 1,
  });
  assert.deepEqual(run("MATCH (i) WHERE id(i) IN ['item-7'] AND i.n = 8 RETURN i.n AS n"), { rows: [], looks: 1 });
  // A relationship's id starts the search at its end, whichever the direction, inline or in WHERE.
  g.run("MATCH (a:Item), (b:Item {n: a.n + 1}) CREATE (a)-[:NEXT {`~id`: 'next-' + toString(a.n), n: a.n}]->(b)");
  assert.deepEqual(run("MATCH (a)-[r]->(b) WHERE id(r) = 'next-7' RETURN [a.n, r.n, b.n] AS n"), {
    rows: [[7, 7, 8]],
    looks: 1,
  });
  assert.deepEqual(run("MATCH (b)<-[r {`~id`: 'next-9'}]-(a) RETURN [a.n, b.n] AS n"), { rows: [[9, 10]], looks: 1 });
  assert.deepEqual(run("MATCH (x)-[r]-() WHERE id(r) IN ['next-3', 'none'] RETURN x.n AS n ORDER BY n"), {
    rows: [3, 4],
    looks: 1,
  });
  assert.deepEqual(run("MATCH (x:Item {n: 1})-[r]->() WHERE id(r) = 'next-3' RETURN x.n AS n"), { rows: [], looks: 1 });
  // Without a usable lookup the label is scanned: the looks show the work.
  assert.ok(run("MATCH (i:Item) WHERE i.n > 4990 RETURN i.n AS n").looks > 1);
});

test("an index first built inside a query that fails is rolled back with the query's writes", () => {
  const g = new GraphEngine();
  g.run("UNWIND range(1, 50) AS i CREATE (:Item {n: i})");
  // The writes come first, then the first lookup by Item.n builds its index over the changed values, then the
  // query fails: the rollback must leave the index describing the graph as it was.
  fails(
    g,
    "MATCH (i:Item) SET i.n = i.n + 1000 WITH count(*) AS c MATCH (j:Item {n: 1042}) " +
      "CREATE (:Item {`~id`: 'dup'}), (:Item {`~id`: 'dup'})",
    "ConstraintViolationException",
  );
  assert.deepEqual(column(g, "MATCH (i:Item {n: 42}) RETURN i.n", "i.n"), [42]);
  assert.deepEqual(column(g, "MATCH (i:Item {n: 1042}) RETURN i.n", "i.n"), []);
  // Values equal under `=` share a key: an integral float finds the integer; text that looks like a number does not.
  assert.deepEqual(column(g, "MATCH (i:Item {n: 7.0}) RETURN i.n", "i.n"), [7]);
  assert.deepEqual(column(g, "MATCH (i:Item {n: '7'}) RETURN i.n", "i.n"), []);
  g.run("CREATE (:Item {n: '\\u0000s7'}), (:Item {n: datetime('2024-01-01T00:00:00Z')}), (:Item {n: [1, 2]})");
  assert.deepEqual(column(g, "MATCH (i:Item {n: [1.0, 2]}) RETURN i.n", "i.n"), [[1, 2]]);
  assert.deepEqual(column(g, "MATCH (i:Item {n: datetime('2024-01-01T00:00:00Z')}) RETURN i.n", "i.n"), [
    "2024-01-01T00:00:00.000Z",
  ]);
  assert.deepEqual(column(g, "MATCH (i:Item {n: '\\u0000s7'}) RETURN i.n", "i.n"), ["\u0000s7"]);
});

test("binding a non-node where a node is expected is an error", () => {
  const g = socialGraph();
  fails(g, "WITH 1 AS x MATCH (x)-->() RETURN x", "BadRequestException", "not a Node");
  fails(g, "MATCH (n) RETURN m", "MalformedQueryException", "Variable `m` not defined");
});
