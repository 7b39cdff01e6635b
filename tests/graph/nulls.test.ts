import assert from "node:assert/strict";
import { test } from "node:test";
import { column, newEngine, results, scalar, socialGraph } from "./support.js";

/** null in openCypher: it propagates through expressions, is skipped by aggregates, and is never equal to null. */

test("every function of the issue's list answers null for a null argument (exists: false)", () => {
  const g = newEngine();
  const calls = [
    "id(null)",
    "labels(null)",
    "type(null)",
    "properties(null)",
    "keys(null)",
    "size(null)",
    "length(null)",
    "coalesce(null)",
    "coalesce(null, null)",
    "toString(null)",
    "toInteger(null)",
    "toFloat(null)",
    "toUpper(null)",
    "toLower(null)",
    "trim(null)",
    "split(null, ',')",
    "split('a,b', null)",
    "substring(null, 1)",
    "replace(null, 'a', 'b')",
    "replace('abc', null, 'x')",
    "replace('abc', 'a', null)",
    "head(null)",
    "last(null)",
    "nodes(null)",
    "relationships(null)",
    "startNode(null)",
    "endNode(null)",
    "datetime(null)",
  ];
  const [row] = results(g, `RETURN ${calls.map((call, i) => `${call} AS c${i}`).join(", ")}`);
  calls.forEach((call, i) => assert.equal(row[`c${i}`], null, call));
  assert.equal(scalar(g, "RETURN exists(null) AS e"), false);
  assert.equal(scalar(g, "RETURN range(null, 3) AS r"), null);
});

test("null propagates through property access, indexes, slices, arithmetic, strings and comprehensions", () => {
  const g = newEngine();
  const [row] = results(
    g,
    "WITH null AS n RETURN n.x AS a, null[0] AS b, [1, 2][null] AS c, 1 + null AS d, null * 2 AS e, -null AS f, " +
      "'a' + null AS g, null % 2 AS h, null[1..2] AS i, [1, 2, 3][null..2] AS j, [x IN null | x] AS k, " +
      "{a: null}.a AS l, null STARTS WITH 'a' AS m, 'a' CONTAINS null AS o, [1, null, 2][1] AS p, head([null, 1]) AS q",
  );
  for (const [key, value] of Object.entries(row)) assert.equal(value, null, key);
});

test("null is unknown, not a value: = null is never true, CASE null WHEN null does not match, quantifiers", () => {
  const g = socialGraph();
  const [row] = results(
    g,
    "RETURN CASE null WHEN null THEN 1 ELSE 2 END AS a, CASE WHEN null THEN 1 ELSE 2 END AS b, " +
      "[1, null] = [1, null] AS c, {a: null} = {a: null} AS d, null = [] AS e, [null] IN [[null]] AS f, " +
      "all(x IN null WHERE x) AS g, any(x IN [null] WHERE x) AS h, none(x IN [null, false] WHERE x) AS i, " +
      "single(x IN [true, null] WHERE x) AS j, all(x IN [] WHERE x) AS k, any(x IN [null, true] WHERE x) AS l",
  );
  assert.deepEqual(row, {
    a: 2,
    b: 2,
    c: null,
    d: null,
    e: null,
    f: null,
    g: null,
    h: null,
    i: null,
    j: null,
    k: true,
    l: true,
  });
  // WHERE keeps only true: `= null` and `<> 1` on a missing property keep nothing.
  assert.deepEqual(column(g, "MATCH (n:Person) WHERE n.email = null RETURN n", "n"), []);
  assert.deepEqual(column(g, "MATCH (n:Person) WHERE n.email <> 'x' RETURN n.name AS n", "n"), ["Alice"]);
});

test("aggregates skip nulls: count(x) vs count(*), sum of nothing is 0, avg/min/max of nothing are null", () => {
  const g = newEngine();
  assert.deepEqual(
    results(
      g,
      "UNWIND [null, null, 1, 2.5] AS x RETURN count(x) AS a, count(*) AS b, sum(x) AS c, avg(x) AS d, " +
        "min(x) AS e, max(x) AS f, collect(x) AS g",
    ),
    [{ a: 2, b: 4, c: 3.5, d: 1.75, e: 1, f: 2.5, g: [1, 2.5] }],
  );
  assert.deepEqual(
    results(
      g,
      "UNWIND [null, null] AS x RETURN count(x) AS a, sum(x) AS c, avg(x) AS d, min(x) AS e, max(x) AS f, collect(x) AS g",
    ),
    [{ a: 0, c: 0, d: null, e: null, f: null, g: [] }],
  );
  // Grouping and DISTINCT treat null as one key (the one place null equals null).
  assert.deepEqual(results(g, "UNWIND [null, 1, null, 1] AS x RETURN x, count(*) AS c"), [
    { x: null, c: 2 },
    { x: 1, c: 2 },
  ]);
  assert.deepEqual(column(g, "UNWIND [null, 1, null, 1] AS x RETURN DISTINCT x", "x"), [null, 1]);
  // min and max over mixed types follow the order of ORDER BY (strings below numbers, lists below strings).
  assert.deepEqual(results(g, "UNWIND [1, 'a', null, 0.2, 'b', '1', '99'] AS x RETURN min(x) AS lo, max(x) AS hi"), [
    { lo: "1", hi: 1 },
  ]);
});

test("OPTIONAL MATCH: a null node yields null properties and labels, and a later MATCH from it finds nothing", () => {
  const g = socialGraph();
  assert.deepEqual(results(g, "OPTIONAL MATCH (a:None) RETURN a.x AS x, labels(a) AS l, a IS NULL AS n"), [
    { x: null, l: null, n: true },
  ]);
  assert.deepEqual(results(g, "OPTIONAL MATCH (a:None) WITH a MATCH (a)-->(b) RETURN b"), []);
  assert.deepEqual(results(g, "OPTIONAL MATCH (a:None) OPTIONAL MATCH (a)-->(b) RETURN a, b"), [{ a: null, b: null }]);
  assert.deepEqual(
    results(g, "MATCH (p:Person) OPTIONAL MATCH (p)-[:KNOWS]->(f) RETURN p.name AS p, f.name AS f ORDER BY p"),
    [
      { p: "Alice", f: "Bob" },
      { p: "Bob", f: "Carol" },
      { p: "Carol", f: null },
    ],
  );
});

test("writing null: SET to null removes, CREATE skips null properties, null sorts last ascending", () => {
  const g = socialGraph();
  assert.deepEqual(results(g, "MATCH (n {`~id`: 'alice'}) SET n.email = null RETURN keys(n) AS k"), [
    { k: ["name", "age"] },
  ]);
  assert.deepEqual(results(g, "CREATE (n:C {a: null, b: 1}) RETURN properties(n) AS p"), [{ p: { b: 1 } }]);
  assert.deepEqual(column(g, "UNWIND [3, null, 1] AS x RETURN x ORDER BY x", "x"), [1, 3, null]);
  assert.deepEqual(column(g, "UNWIND [3, null, 1] AS x RETURN x ORDER BY x DESC", "x"), [null, 3, 1]);
});
