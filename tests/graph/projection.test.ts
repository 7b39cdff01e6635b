import assert from "node:assert/strict";
import { test } from "node:test";
import { column, fails, newEngine, results, scalar, socialGraph } from "./support.js";

test("RETURN names columns by alias or by the expression as written, in order", () => {
  const g = socialGraph();
  const body = g.run("MATCH (n:Person {name: 'Bob'}) RETURN n.name, n.age + 1 AS next, toUpper( n.name )");
  assert.equal(body, '{"results":[{"n.name":"Bob","next":28,"toUpper( n.name )":"BOB"}]}');
  fails(g, "RETURN 1 AS a, 2 AS a", "MalformedQueryException", "same name");
});

test("RETURN * and WITH * carry every variable in scope", () => {
  const g = socialGraph();
  const rows = results(g, "MATCH (a:Person {name: 'Alice'})-[r:KNOWS]->(b) WITH * RETURN *");
  assert.deepEqual(Object.keys(rows[0]), ["a", "r", "b"]);
  fails(g, "RETURN *", "MalformedQueryException", "no variables in scope");
});

test("DISTINCT removes duplicate rows (null equals null here); ORDER BY, SKIP and LIMIT page", () => {
  const g = newEngine();
  assert.deepEqual(column(g, "UNWIND [3, 1, null, 3, 2, null, 1.0] AS x RETURN DISTINCT x ORDER BY x", "x"), [
    1,
    2,
    3,
    null,
  ]);
  assert.deepEqual(column(g, "UNWIND range(1, 10) AS x RETURN x ORDER BY x DESC SKIP 2 LIMIT 3", "x"), [8, 7, 6]);
  assert.deepEqual(column(g, "UNWIND range(1, 10) AS x RETURN x SKIP $s LIMIT $l", "x", '{"s": 8, "l": 5}'), [9, 10]);
  fails(g, "UNWIND [1] AS x RETURN x LIMIT -1", "BadRequestException", "LIMIT must be a non-negative integer");
  fails(g, "UNWIND [1] AS x RETURN x SKIP 1.5", "BadRequestException", "SKIP must be a non-negative integer");
});

test("ORDER BY sorts mixed types in openCypher's order, null last ascending and first descending", () => {
  const g = socialGraph();
  const ascending = column(
    g,
    "MATCH (n:Person {name: 'Alice'}) UNWIND [1, 'b', null, true, 2.5, [1], {k: 1}, n, datetime('2020-01-01T00:00:00Z'), 'a', false, 0.0/0.0] AS v " +
      "RETURN v ORDER BY v",
    "v",
  );
  const kinds = ascending.map((v) =>
    v === null ? "null" : Array.isArray(v) ? "list" : typeof v === "object" ? ("~id" in v ? "node" : "map") : String(v),
  );
  assert.deepEqual(kinds, [
    "map",
    "node",
    "list",
    "2020-01-01T00:00:00.000Z",
    "a",
    "b",
    "false",
    "true",
    "1",
    "2.5",
    "NaN",
    "null",
  ]);
  assert.deepEqual(column(g, "UNWIND [2, null, 1] AS v RETURN v ORDER BY v DESC", "v"), [null, 2, 1]);
});

test("ORDER BY sees variables from before the projection, and aliases, and several keys", () => {
  const g = socialGraph();
  assert.deepEqual(column(g, "MATCH (n:Person) RETURN n.name AS name ORDER BY n.age DESC", "name"), [
    "Carol",
    "Alice",
    "Bob",
  ]);
  assert.deepEqual(column(g, "UNWIND [[1, 'b'], [0, 'z'], [1, 'a']] AS p RETURN p[1] AS s ORDER BY p[0], s", "s"), [
    "z",
    "a",
    "b",
  ]);
});

test("WITH projects, filters with WHERE, and hides what it does not carry", () => {
  const g = socialGraph();
  assert.deepEqual(
    column(g, "MATCH (n:Person) WITH n.name AS name, n.age AS age WHERE age > 30 RETURN name ORDER BY name", "name"),
    ["Alice", "Carol"],
  );
  fails(g, "MATCH (n:Person) WITH n.name AS name RETURN n", "MalformedQueryException", "Variable `n` not defined");
  assert.deepEqual(column(g, "MATCH (n:Person) WITH n ORDER BY n.age LIMIT 1 RETURN n.name", "n.name"), ["Bob"]);
});

test("aggregations group by the other columns", () => {
  const g = socialGraph();
  const rows = results(
    g,
    "MATCH (p:Person)-[:LIVES_IN]->(c:City) RETURN c.name AS city, count(*) AS n, collect(p.name) AS people, " +
      "sum(p.age) AS total, avg(p.age) AS mean, min(p.age) AS young, max(p.name) AS last ORDER BY city",
  );
  assert.deepEqual(rows, [
    { city: "Oslo", n: 1, people: ["Carol"], total: 41, mean: 41.0, young: 41, last: "Carol" },
    { city: "Paris", n: 2, people: ["Alice", "Bob"], total: 61, mean: 30.5, young: 27, last: "Bob" },
  ]);
  // The raw text keeps the float's fraction: avg is a float even when whole.
  assert.match(g.run("MATCH (p:Person {name: 'Carol'}) RETURN avg(p.age) AS a"), /"a":41\.0/);
});

test("aggregates skip nulls; count(DISTINCT), collect(DISTINCT); an empty input still gives one row", () => {
  const g = newEngine();
  const [row] = results(
    g,
    "UNWIND [1, 2, 2, null, 3] AS x RETURN count(x) AS c, count(*) AS all, count(DISTINCT x) AS d, " +
      "collect(DISTINCT x) AS l, sum(x) AS s, avg(x) AS a",
  );
  assert.deepEqual(row, { c: 4, all: 5, d: 3, l: [1, 2, 3], s: 8, a: 2.0 });
  const [empty] = results(
    g,
    "MATCH (n:None) RETURN count(n) AS c, sum(n.x) AS s, avg(n.x) AS a, collect(n) AS l, max(n.x) AS m",
  );
  assert.deepEqual(empty, { c: 0, s: 0, a: null, l: [], m: null });
  assert.deepEqual(results(g, "MATCH (n:None) RETURN n.k AS k, count(*) AS c"), []);
  assert.equal(scalar(g, "UNWIND [1, 2.5] AS x RETURN sum(x)"), 3.5);
});

test("aggregates inside expressions, ORDER BY an aggregate, and percentiles and deviations", () => {
  const g = newEngine();
  assert.deepEqual(
    results(g, "UNWIND ['b', 'a', 'a'] AS k RETURN k, count(*) AS n, count(*) * 10 AS t ORDER BY count(*) DESC"),
    [
      { k: "a", n: 2, t: 20 },
      { k: "b", n: 1, t: 10 },
    ],
  );
  const [row] = results(
    g,
    "UNWIND [1, 2, 3, 4] AS x RETURN percentileDisc(x, 0.5) AS d, percentileCont(x, 0.5) AS c, stDevP(x) AS p",
  );
  assert.deepEqual(row, { d: 2.0, c: 2.5, p: Math.sqrt(1.25) });
  fails(g, "UNWIND [1, 2] AS x WITH x WHERE count(*) > 1 RETURN x", "MalformedQueryException", "Aggregation");
});

test("UNWIND makes a row per element; null and an empty list make none", () => {
  const g = newEngine();
  assert.deepEqual(column(g, "UNWIND [1, [2, 3]] AS x RETURN x", "x"), [1, [2, 3]]);
  assert.deepEqual(column(g, "UNWIND null AS x RETURN x", "x"), []);
  assert.deepEqual(column(g, "UNWIND [] AS x RETURN x", "x"), []);
  assert.deepEqual(column(g, "UNWIND [1, 2] AS x UNWIND ['a', 'b'] AS y RETURN x + y AS p", "p"), [
    "1a",
    "1b",
    "2a",
    "2b",
  ]);
  assert.deepEqual(column(g, "UNWIND $xs AS x RETURN x * 2 AS d", "d", '{"xs": [1, 2]}'), [2, 4]);
});

test("UNION removes duplicates, UNION ALL keeps them; their columns must agree; they must not write", () => {
  const g = newEngine();
  assert.deepEqual(column(g, "UNWIND [1, 2] AS x RETURN x UNION UNWIND [2, 3] AS x RETURN x", "x"), [1, 2, 3]);
  assert.deepEqual(column(g, "RETURN 1 AS x UNION ALL RETURN 1 AS x", "x"), [1, 1]);
  fails(g, "RETURN 1 AS x UNION RETURN 1 AS y", "MalformedQueryException", "same column names");
  fails(g, "CREATE (n) RETURN 1 AS x UNION RETURN 2 AS x", "UnsupportedOperationException", "UNION");
  assert.equal(g.graph.nodes.size, 0);
});
