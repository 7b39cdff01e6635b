import assert from "node:assert/strict";
import { test } from "node:test";
import { GraphError } from "../../src/graph/errors.js";
import { serialize } from "../../src/graph/storage/serialize.js";
import { column, socialGraph } from "./support.js";

/**
 * Each query commits whole or not at all. The check is the stored form, byte for byte: every node, relationship,
 * label, property (and the order of each), and the order of the graph's elements, as before the failing query.
 */

const failing: [what: string, query: string, code: string][] = [
  [
    "creates, then a type error on a later row",
    "UNWIND [1, 2, 'three'] AS x CREATE (:Made {x: x}) RETURN x * 2",
    "BadRequestException",
  ],
  [
    "sets, adds and removes properties and labels, then a duplicate id",
    "MATCH (n:Person) SET n.age = n.age + 1, n.nick = 'x', n:Changed, n += {email: null, extra: [1, 2]} " +
      "REMOVE n.name, n:Admin WITH count(*) AS c CREATE (:X {`~id`: 'paris'})",
    "ConstraintViolationException",
  ],
  [
    "replaces every property with = and changes one relationship, then divides by zero",
    "MATCH (a {`~id`: 'alice'})-[k:KNOWS]->() SET a = {only: 1}, k.since = 0 RETURN 1 / 0",
    "BadRequestException",
  ],
  [
    "deletes a relationship from the middle of the graph, then fails",
    "MATCH ()-[r {`~id`: 'k1'}]->() DELETE r WITH count(*) AS c RETURN toInteger([1])",
    "BadRequestException",
  ],
  [
    "detach-deletes nodes created before others, then leaves a node with relationships",
    "MATCH (c:City) DETACH DELETE c WITH count(*) AS n MATCH (p {`~id`: 'alice'}) DELETE p",
    "BadRequestException",
  ],
  [
    "deletes the first node and one it made itself, then fails",
    "CREATE (x:Temp) WITH x MATCH (a {`~id`: 'alice'}) DETACH DELETE a, x WITH count(*) AS c RETURN 1 / 0",
    "BadRequestException",
  ],
  [
    "deletes a node, makes another with its id, then fails",
    "MATCH (c {`~id`: 'paris'}) DETACH DELETE c WITH count(*) AS n CREATE (:City {`~id`: 'paris'}) RETURN 1 / 0",
    "BadRequestException",
  ],
  [
    "merges (one created, one matched and updated), then fails in ON CREATE",
    "MERGE (p:Person {name: 'Bob'}) ON MATCH SET p.seen = true MERGE (t:Tag {name: 'new'}) ON CREATE SET t.bad = 1 / 0",
    "BadRequestException",
  ],
  [
    "creates relationships between existing nodes and a path, then a missing property type error",
    "MATCH (a {`~id`: 'alice'}), (c {`~id`: 'carol'}) CREATE (a)-[:LIKES]->(c), p = (:N)-[:T]->(:N) " +
      "RETURN size(p) AS s",
    "BadRequestException",
  ],
];

const everything = "MATCH (n) OPTIONAL MATCH (n)-[r]->(m) RETURN n, r, m ORDER BY id(n), id(r)";

/** Runs the failing query on the social graph: the graph before, and the engine after. */
function fail(query: string, code: string) {
  const g = socialGraph();
  // The indexes the lookups below use exist before the failing query: they must be rolled back too.
  assert.deepEqual(column(g, "MATCH (n:Person {name: 'Bob'}) RETURN n.age", "n.age"), [27]);
  const before = { bytes: serialize(g.graph), content: g.run(everything) };
  assert.throws(
    () => g.run(query),
    (error: unknown) => error instanceof GraphError && error.code === code,
  );
  return { g, before };
}

for (const [what, query, code] of failing) {
  test(`a query that ${what} leaves every element, label and property as it was`, () => {
    const { g, before } = fail(query, code);
    assert.equal(g.run(everything), before.content, query);
    assert.deepEqual(column(g, "MATCH (n:Person {name: 'Bob'}) RETURN n.age", "n.age"), [27]);
    assert.deepEqual(column(g, "MATCH (n:Person {age: 28}) RETURN n.name", "n.name"), []);
    assert.deepEqual(column(g, "MATCH (n:Changed) RETURN n", "n"), []);
    assert.deepEqual(column(g, "MATCH (n:Person) RETURN n.name AS n ORDER BY n", "n"), ["Alice", "Bob", "Carol"]);
  });
  test(`a query that ${what} leaves the stored form byte for byte as it was`, () => {
    const { g, before } = fail(query, code);
    assert.deepEqual(serialize(g.graph), before.bytes, query);
    assert.deepEqual(column(g, "MATCH (n) RETURN id(n) AS id", "id"), ["alice", "bob", "carol", "paris", "oslo"]);
    assert.deepEqual(column(g, "MATCH ()-[r]->() RETURN id(r) AS id", "id"), ["k1", "l1", "k2", "l2", "l3"]);
  });
}

test("after a failed query the next one sees and changes the graph as if the failure never happened", () => {
  const g = socialGraph();
  assert.throws(() => g.run("CREATE (:Temp {`~id`: 'temp'}) WITH 1 AS x CREATE (:Temp {`~id`: 'temp'})"));
  // The id is free again, and the label has no node left behind.
  g.run("CREATE (:Temp {`~id`: 'temp', n: 1})");
  assert.deepEqual(column(g, "MATCH (t:Temp) RETURN t.n", "t.n"), [1]);
  assert.throws(() => g.run("MATCH (n {`~id`: 'bob'}) DETACH DELETE n WITH 1 AS x RETURN 1 / 0"));
  assert.deepEqual(column(g, "MATCH (n {`~id`: 'bob'})-[r]-() RETURN id(r) AS id ORDER BY id", "id"), [
    "k1",
    "k2",
    "l2",
  ]);
});

test("within a query, what it deleted is gone from every later look-up; once committed, an id made again is the newest", () => {
  const g = socialGraph();
  assert.deepEqual(column(g, "MATCH (n) DETACH DELETE n WITH count(*) AS c MATCH (m) RETURN count(m) AS m", "m"), [0]);
  const h = socialGraph();
  h.run("MATCH (c {`~id`: 'paris'}) DETACH DELETE c WITH count(*) AS n CREATE (:City {`~id`: 'paris'})");
  assert.deepEqual(column(h, "MATCH (n) RETURN id(n) AS id", "id"), ["alice", "bob", "carol", "oslo", "paris"]);
  assert.deepEqual(column(h, "MATCH (n {`~id`: 'paris'}) RETURN count(n) AS c", "c"), [1]);
});
