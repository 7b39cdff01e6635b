import assert from "node:assert/strict";
import { test } from "node:test";
import { column, fails, newEngine, results, socialGraph } from "./support.js";

test("three-valued logic: AND, OR, XOR and NOT with null follow openCypher's truth tables", () => {
  const g = newEngine();
  const [row] = results(
    g,
    "RETURN null AND false AS a, null AND true AS b, null OR true AS c, null OR false AS d, " +
      "null XOR true AS e, NOT null AS f, true XOR true AS g, false OR false AS h",
  );
  assert.deepEqual(row, { a: false, b: null, c: true, d: null, e: null, f: null, g: false, h: false });
});

test("comparisons with null are null, and WHERE keeps only true rows", () => {
  const g = socialGraph();
  const [row] = results(
    g,
    "RETURN null = null AS a, null <> 1 AS b, 1 < null AS c, null IS NULL AS d, 1 IS NOT NULL AS e",
  );
  assert.deepEqual(row, { a: null, b: null, c: null, d: true, e: true });
  // Only Alice has an email: for the others n.email = 'x' is null, which WHERE drops as it drops false.
  assert.deepEqual(column(g, "MATCH (n:Person) WHERE NOT n.email = 'x' RETURN n.name", "n.name"), ["Alice"]);
  assert.deepEqual(column(g, "MATCH (n:Person) WHERE n.email IS NULL RETURN n.name ORDER BY n.name", "n.name"), [
    "Bob",
    "Carol",
  ]);
});

test("equality across numeric types and inside lists; comparisons across kinds are null", () => {
  const g = newEngine();
  const [row] = results(
    g,
    "RETURN 1 = 1.0 AS a, [1, 2] = [1.0, 2] AS b, [1, null] = [1, 2] AS c, [1, null] = [2, null] AS d, " +
      "'1' = 1 AS e, 1 < 'a' AS f, 'a' < 'b' AS g, false < true AS h, 2 > 1.5 AS i, {a: 1} = {a: 1.0} AS j",
  );
  assert.deepEqual(row, { a: true, b: true, c: null, d: false, e: false, f: null, g: true, h: true, i: true, j: true });
});

test("chained comparisons and NaN: every comparison with NaN is false", () => {
  const g = newEngine();
  const [row] = results(g, "WITH 0.0 / 0.0 AS nan RETURN 1 < 2 < 3 AS a, 1 < 3 < 2 AS b, nan = nan AS c, nan > 1 AS d");
  assert.deepEqual(row, { a: true, b: false, c: false, d: false });
});

test("IN with null elements is null unless the item is found", () => {
  const g = newEngine();
  const [row] = results(
    g,
    "RETURN 2 IN [1, 2] AS a, 3 IN [1, 2] AS b, 3 IN [1, null] AS c, 1 IN [1, null] AS d, null IN [] AS e, " +
      "null IN [1] AS f, [1] IN [[1], [2]] AS g, 1 IN null AS h",
  );
  assert.deepEqual(row, { a: true, b: false, c: null, d: true, e: false, f: null, g: true, h: null });
  fails(g, "RETURN 1 IN 1", "BadRequestException", "Expected a List");
});

test("STARTS WITH, ENDS WITH and CONTAINS on strings; null for anything else", () => {
  const g = socialGraph();
  assert.deepEqual(column(g, "MATCH (n:Person) WHERE n.name STARTS WITH 'Ca' RETURN n.name", "n.name"), ["Carol"]);
  assert.deepEqual(column(g, "MATCH (n:Person) WHERE n.name ENDS WITH 'ob' RETURN n.name", "n.name"), ["Bob"]);
  assert.deepEqual(column(g, "MATCH (n:Person) WHERE n.name CONTAINS 'o' RETURN n.name ORDER BY n.name", "n.name"), [
    "Bob",
    "Carol",
  ]);
  const [row] = results(g, "RETURN 'abc' STARTS WITH null AS a, 123 CONTAINS '2' AS b, '' ENDS WITH '' AS c");
  assert.deepEqual(row, { a: null, b: null, c: true });
});

test("a non-boolean WHERE is an error, not a silent filter", () => {
  const g = socialGraph();
  fails(g, "MATCH (n:Person) WHERE n.name RETURN n", "BadRequestException", "Expected a Boolean, got String");
});

test("label predicates in expressions", () => {
  const g = socialGraph();
  assert.deepEqual(column(g, "MATCH (n:Person) WHERE n:Admin RETURN n.name", "n.name"), ["Carol"]);
  assert.deepEqual(column(g, "MATCH (n:Person) RETURN n:Admin AS admin ORDER BY n.name", "admin"), [
    false,
    false,
    true,
  ]);
});

test("arithmetic: integer stays integer, float is contagious, overflow and integer division by zero fail", () => {
  const g = newEngine();
  const [row] = results(
    g,
    "RETURN 7 / 2 AS a, 7 / 2.0 AS b, -7 % 3 AS c, 2 * 3 + 1 AS d, 'a' + 1 AS e, [1] + 2 AS f, 1 + null AS g, 1.0 / 0 AS h",
  );
  assert.deepEqual(row, { a: 3, b: 3.5, c: -1, d: 7, e: "a1", f: [1, 2], g: null, h: "Infinity" });
  fails(g, "RETURN 9223372036854775807 + 1", "BadRequestException", "long overflow");
  fails(g, "RETURN 1 / 0", "BadRequestException", "/ by zero");
  fails(g, "RETURN true + 1", "BadRequestException", "Cannot apply + to Boolean and Integer");
  assert.equal(g.run("RETURN -(-9223372036854775807) AS x"), '{"results":[{"x":9223372036854775807}]}');
});
