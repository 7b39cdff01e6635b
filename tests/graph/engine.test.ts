import assert from "node:assert/strict";
import { test } from "node:test";
import { getHeapStatistics } from "node:v8";
import { GraphEngine } from "../../src/graph/engine.js";
import { GraphError } from "../../src/graph/errors.js";
import { PropertyGraph } from "../../src/graph/model/graph.js";
import { AwsError } from "../../src/protocol/errors.js";
import { ManualClock } from "../../src/state/clock.js";
import { fails, newEngine, results } from "./support.js";

test("isReadOnly tells reading queries from writing ones (the reader endpoint's ReadOnlyViolationException)", () => {
  const g = newEngine();
  assert.equal(g.isReadOnly("MATCH (n) RETURN n"), true);
  assert.equal(g.isReadOnly("UNWIND [1] AS x RETURN x UNION RETURN 2 AS x"), true);
  for (const query of [
    "CREATE (n)",
    "MATCH (n) SET n.x = 1",
    "MATCH (n) REMOVE n.x",
    "MATCH (n) DETACH DELETE n",
    "MERGE (n:A) RETURN n",
  ]) {
    assert.equal(g.isReadOnly(query), false, query);
  }
  assert.throws(() => g.isReadOnly("MATCH ("), GraphError);
});

test("engine errors are AwsErrors carrying Neptune's code and status for the data-plane face", () => {
  const g = newEngine();
  try {
    g.run("RETURN (");
    assert.fail("expected an error");
  } catch (error) {
    assert.ok(error instanceof AwsError);
    assert.equal(error.code, "MalformedQueryException");
    assert.equal(error.status, 400);
    assert.equal(error.sender, true);
  }
});

test("a cached parse gives the same answers with new parameters; parameters may be given as values", () => {
  const g = newEngine();
  const query = "UNWIND $xs AS x RETURN sum(x) AS s";
  assert.deepEqual(results(g, query, '{"xs": [1, 2]}'), [{ s: 3 }]);
  assert.deepEqual(results(g, query, '{"xs": [10, 20]}'), [{ s: 30 }]);
  assert.equal(g.run(query, new Map([["xs", [5n, 6n]]])), '{"results":[{"s":11}]}');
  fails(g, query, "BadRequestException", "Expected parameter(s): xs");
});

test("parameters: nested maps and lists, floats, booleans, null, unicode escapes; malformed JSON is refused", () => {
  const g = newEngine();
  const [row] = results(
    g,
    "RETURN $m.a.b AS b, $l[1] AS l, $f AS f, $t AS t, $n IS NULL AS n, $s AS s, $e AS e",
    '{"m": {"a": {"b": [1, {"c": -2}]}}, "l": [true, 1.5e2], "f": -0.25, "t": false, "n": null, "s": "\\u00e9\\"", "e": 1E2}',
  );
  assert.deepEqual(row, { b: [1, { c: -2 }], l: 150, f: -0.25, t: false, n: true, s: 'é"', e: 100 });
  for (const bad of ['{"a": }', '{"a": 1,}', "{'a': 1}", '{"a": 1} x', '"text"', "null", '{"a": tru}']) {
    fails(g, "RETURN 1", "InvalidParameterException", "JSON object", bad);
  }
});

test("a query past neptune_query_timeout fails with TimeLimitExceededException (500) and changes nothing", () => {
  let now = 0;
  // Each look at the timer is one "millisecond": the limit is reached after a known amount of work.
  const g = new GraphEngine(new PropertyGraph(), new ManualClock(), { queryTimeoutMs: 10, elapsed: () => now++ });
  assert.deepEqual(results(g, "UNWIND range(1, 1000) AS x RETURN count(*) AS n"), [{ n: 1000 }]);
  fails(
    g,
    "CREATE (:Before) WITH 1 AS one UNWIND range(1, 100000) AS x RETURN count(*)",
    "TimeLimitExceededException",
    "Operation terminated (deadline exceeded)",
  );
  assert.equal(g.graph.nodes.size, 0);
  // Expansion is bounded too: a variable-length walk over a dense graph stops at the deadline.
  g.run("UNWIND range(1, 12) AS i CREATE (:K {i: i})");
  g.run("MATCH (a:K), (b:K) WHERE a <> b CREATE (a)-[:E]->(b)");
  assert.throws(() => g.run("MATCH p = (:K {i: 1})-[*]->() RETURN count(p)"), /deadline exceeded/);
});

test("a query that fills the heap fails with MemoryLimitExceededException (500), its writes undone; the next runs", () => {
  const heapNow = getHeapStatistics().used_heap_size;
  // A limit just above today's heap: a query that grows it by a quarter of the limit is stopped.
  const g = new GraphEngine(new PropertyGraph(), new ManualClock(), { heapLimitBytes: heapNow + 1 });
  g.run("UNWIND range(1, 2000) AS i CREATE (:N {i: i})");
  fails(
    g,
    "CREATE (:Before) WITH 1 AS one MATCH (a:N), (b:N) RETURN collect([a, b]) AS pairs",
    "MemoryLimitExceededException",
    "Operation terminated (out of memory)",
  );
  assert.equal(g.graph.nodes.size, 2000);
  assert.deepEqual(results(g, "MATCH (n:N) RETURN count(n) AS n"), [{ n: 2000 }]);
});

test("a query nested deeper than the engine follows is QueryTooLargeException (400), not a crash", () => {
  const g = newEngine();
  for (const deep of [
    "RETURN " + "(".repeat(50_000) + "1" + ")".repeat(50_000),
    "RETURN " + "[".repeat(50_000) + "]".repeat(50_000),
    "RETURN " + "-".repeat(50_000) + "1",
  ]) {
    fails(g, deep, "QueryTooLargeException", "The query is nested too deeply to be evaluated");
  }
  assert.deepEqual(results(g, "RETURN ((1)) AS one"), [{ one: 1 }]);
});
