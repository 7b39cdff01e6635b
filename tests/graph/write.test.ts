import assert from "node:assert/strict";
import { test } from "node:test";
import { column, fails, newEngine, results, scalar, socialGraph } from "./support.js";

const counts = (g: ReturnType<typeof newEngine>) => [g.graph.nodes.size, g.graph.relationships.size];

test("CREATE makes nodes and relationships with generated or given ids; a node without a label gets `vertex`", () => {
  const g = newEngine();
  const [row] = results(g, "CREATE (a:Person {name: 'A'})-[r:KNOWS {w: 1.5}]->(b {`~id`: 'b-1'}) RETURN a, r, b");
  assert.deepEqual(row.a, {
    "~id": "id-1",
    "~entityType": "node",
    "~labels": ["Person"],
    "~properties": { name: "A" },
  });
  assert.deepEqual(row.b, { "~id": "b-1", "~entityType": "node", "~labels": ["vertex"], "~properties": {} });
  assert.deepEqual(row.r, {
    "~id": "id-2",
    "~entityType": "relationship",
    "~start": "id-1",
    "~end": "b-1",
    "~type": "KNOWS",
    "~properties": { w: 1.5 },
  });
  assert.deepEqual(counts(g), [2, 1]);
  // A null property is simply not stored.
  assert.deepEqual(results(g, "CREATE (n:X {a: null, b: 1}) RETURN keys(n) AS k"), [{ k: ["b"] }]);
});

test("CREATE reuses bound nodes, runs once per row, and refuses what cannot be created", () => {
  const g = socialGraph();
  g.run("MATCH (a:Person), (c:City {name: 'Oslo'}) CREATE (a)-[:VISITED]->(c)");
  assert.equal(scalar(g, "MATCH (:Person)-[v:VISITED]->(:City {name: 'Oslo'}) RETURN count(v)"), 3);
  fails(g, "CREATE (a)-[:R]-(b)", "MalformedQueryException", "Only directed relationships");
  fails(g, "CREATE (a)-[]->(b)", "MalformedQueryException", "exactly one type");
  fails(g, "MATCH (a:City {name: 'Oslo'}) CREATE (a:Town)", "MalformedQueryException", "already declared");
  fails(g, "CREATE (n {m: {a: 1}})", "BadRequestException", "cannot hold a Map");
});

test("a duplicate ~id is ConstraintViolationException and the whole query is undone", () => {
  const g = socialGraph();
  const before = counts(g);
  fails(
    g,
    "CREATE (:Person {name: 'New'}) CREATE (:Person {`~id`: 'alice'})",
    "ConstraintViolationException",
    "'alice'",
  );
  assert.deepEqual(counts(g), before);
  assert.deepEqual(column(g, "MATCH (n:Person {name: 'New'}) RETURN n", "n"), []);
  fails(
    g,
    "MATCH (a {`~id`: 'alice'}), (b {`~id`: 'bob'}) CREATE (a)-[:X {`~id`: 'k1'}]->(b)",
    "ConstraintViolationException",
  );
});

test("parameters feed CREATE, including 64-bit integers beyond 2^53 exactly", () => {
  const g = newEngine();
  const body = g.run(
    "CREATE (n:N {big: $big, f: $f, s: $s, l: $l}) RETURN n.big, n.f, n.s, n.l",
    '{"big": 9007199254740993, "f": 2.5, "s": "x", "l": [1, 2]}',
  );
  assert.equal(body, '{"results":[{"n.big":9007199254740993,"n.f":2.5,"n.s":"x","n.l":[1,2]}]}');
  fails(g, "RETURN $missing", "BadRequestException", "Expected parameter(s): missing");
  fails(g, "RETURN 1", "InvalidParameterException", "JSON object", "[1, 2]");
  fails(g, "RETURN 1", "InvalidParameterException", "JSON object", "{not json");
});

test("MERGE matches the whole pattern or creates it, with ON MATCH / ON CREATE SET", () => {
  const g = socialGraph();
  const first = results(
    g,
    "MERGE (c:City {name: 'Rome'}) ON CREATE SET c.new = true ON MATCH SET c.seen = true RETURN c",
  );
  assert.deepEqual(first[0].c["~properties"], { name: "Rome", new: true });
  const second = results(
    g,
    "MERGE (c:City {name: 'Rome'}) ON CREATE SET c.new = true ON MATCH SET c.seen = true RETURN c",
  );
  assert.deepEqual(second[0].c["~properties"], { name: "Rome", new: true, seen: true });
  assert.equal(scalar(g, "MATCH (c:City) RETURN count(c)"), 3);
  // MERGE of a relationship between bound nodes: created once, then found.
  const merge =
    "MATCH (a:Person {name: 'Alice'}), (c:Person {name: 'Carol'}) MERGE (a)-[r:KNOWS]->(c) RETURN id(r) AS id";
  const made = scalar(g, merge);
  assert.equal(scalar(g, merge), made);
  assert.equal(scalar(g, "MATCH (:Person {name: 'Alice'})-[r:KNOWS]->() RETURN count(r)"), 2);
  // Each input row merges in turn, seeing what the rows before it created.
  g.run("UNWIND ['x', 'y', 'x'] AS t MERGE (:Tag {name: t})");
  assert.equal(scalar(g, "MATCH (t:Tag) RETURN count(t)"), 2);
  fails(g, "MERGE (n:Tag {name: null})", "BadRequestException", "null property value");
});

test("SET a property, += a map, = a map, labels; REMOVE properties and labels", () => {
  const g = socialGraph();
  g.run("MATCH (n {name: 'Bob'}) SET n.age = n.age + 1, n.tags = ['a', 'b'], n:Staff");
  assert.deepEqual(results(g, "MATCH (n:Staff) RETURN n.age AS age, n.tags AS tags, labels(n) AS l"), [
    { age: 28, tags: ["a", "b"], l: ["Person", "Staff"] },
  ]);
  g.run("MATCH (n {name: 'Bob'}) SET n += {age: 30, city: 'Paris', tags: null}");
  assert.deepEqual(scalar(g, "MATCH (n {name: 'Bob'}) RETURN properties(n)"), { name: "Bob", age: 30, city: "Paris" });
  g.run("MATCH (n {name: 'Bob'}) SET n = {name: 'Robert'}");
  assert.deepEqual(scalar(g, "MATCH (n:Staff) RETURN properties(n)"), { name: "Robert" });
  g.run("MATCH (n:Staff) SET n.name = null REMOVE n:Staff");
  assert.deepEqual(column(g, "MATCH (n:Staff) RETURN n", "n"), []);
  assert.deepEqual(scalar(g, "MATCH (n {`~id`: 'bob'}) RETURN properties(n)"), {});
  g.run("MATCH ()-[r {`~id`: 'k1'}]->() SET r.weight = 2 REMOVE r.since");
  assert.deepEqual(scalar(g, "MATCH ()-[r]->() WHERE id(r) = 'k1' RETURN properties(r)"), { weight: 2 });
  fails(g, "MATCH (n {`~id`: 'alice'}) SET n.`~id` = 'x'", "BadRequestException", "~id cannot be changed");
});

test("removing a node's last label is refused (Neptune: every node has a label)", () => {
  const g = socialGraph();
  fails(g, "MATCH (n {`~id`: 'bob'}) REMOVE n:Person", "BadRequestException", "at least one label");
  assert.deepEqual(scalar(g, "MATCH (n {`~id`: 'bob'}) RETURN labels(n)"), ["Person"]);
});

test("DELETE of a node with relationships fails without DETACH, and changes nothing", () => {
  const g = socialGraph();
  const before = counts(g);
  fails(g, "MATCH (n:Person {name: 'Alice'}) DELETE n", "BadRequestException", "still has relationships");
  assert.deepEqual(counts(g), before);
  assert.equal(scalar(g, "MATCH (n:Person {name: 'Alice'})-[r]->() RETURN count(r)"), 2);
  // Deleting the relationships in the same query first (or after, in the same clause) is allowed.
  g.run("MATCH (n:Person {name: 'Alice'})-[r]-() DELETE n, r");
  assert.deepEqual(counts(g), [4, 3]);
  g.run("MATCH (c:City {name: 'Oslo'}) DETACH DELETE c");
  assert.deepEqual(counts(g), [3, 2]);
  assert.deepEqual(column(g, "MATCH (c:City) RETURN c.name", "c.name"), ["Paris"]);
  g.run("MATCH ()-[r:KNOWS]->() DELETE r");
  assert.deepEqual(counts(g), [3, 1]);
  fails(g, "WITH 1 AS x DELETE x", "BadRequestException", "DELETE expects");
});

test("failure atomicity: a query that fails halfway leaves the graph exactly as it was", () => {
  const g = socialGraph();
  const snapshot = () =>
    g.run("MATCH (n) OPTIONAL MATCH (n)-[r]->(m) RETURN n, labels(n) AS l, r, m ORDER BY id(n), id(r)");
  const before = snapshot();
  const failing = [
    // Writes, then a run-time type error on a later row.
    "UNWIND [1, 2, 'three'] AS x CREATE (:Made {x: x}) WITH x RETURN x * 2",
    // Sets, deletes and labels, then a duplicate id.
    "MATCH (n:Person) SET n.age = 0, n:Changed REMOVE n.name, n:Admin WITH count(*) AS c " +
      "MATCH ()-[r {`~id`: 'k2'}]->() DELETE r CREATE (:X {`~id`: 'paris'})",
    // Detach-deletes everything, then fails at the end-of-query check.
    "MATCH (c:City) DETACH DELETE c WITH count(*) AS n MATCH (p:Person {name: 'Alice'}) DELETE p",
    // MERGE creates, then a division by zero.
    "MERGE (t:Tag {name: 'new'}) SET t.bad = 1 / 0",
  ];
  for (const query of failing) {
    assert.throws(() => g.run(query));
    assert.equal(snapshot(), before, query);
  }
  assert.deepEqual(column(g, "MATCH (n:Person {name: 'Alice'}) RETURN n.age", "n.age"), [34]);
});
