import assert from "node:assert/strict";
import { GraphEngine } from "../../src/graph/engine.js";
import { GraphError } from "../../src/graph/errors.js";
import { PropertyGraph } from "../../src/graph/model/graph.js";
import { ManualClock } from "../../src/state/clock.js";

/** An engine over an empty graph, on a ManualClock, with ids counted rather than random (readable failures). */
export function newEngine(clock = new ManualClock("2026-03-04T05:06:07.089Z")): GraphEngine {
  let next = 0;
  return new GraphEngine(new PropertyGraph(() => `id-${++next}`), clock);
}

/** The `results` array of Neptune's JSON answer, parsed as a client would. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function results(engine: GraphEngine, query: string, parameters?: string): any[] {
  const body = JSON.parse(engine.run(query, parameters)) as { results: unknown[] };
  assert.deepEqual(Object.keys(body), ["results"]);
  return body.results;
}

/** The values of one column, in row order. */
export function column(engine: GraphEngine, query: string, name: string, parameters?: string): unknown[] {
  return results(engine, query, parameters).map((row) => row[name]);
}

/** One value: the first column of the single row. */
export function scalar(engine: GraphEngine, query: string, parameters?: string): unknown {
  const rows = results(engine, query, parameters);
  assert.equal(rows.length, 1, `one row expected from ${query}`);
  return Object.values(rows[0])[0];
}

/** Asserts that running the query fails with Neptune's code, and a message containing `message`. */
export function fails(
  engine: GraphEngine,
  query: string,
  code: string,
  message?: string | RegExp,
  parameters?: string,
) {
  assert.throws(
    () => engine.run(query, parameters),
    (error: unknown) => {
      assert.ok(error instanceof GraphError, `a GraphError, got ${String(error)}`);
      assert.equal(error.code, code, error.message);
      assert.equal(error.status, code.endsWith("LimitExceededException") ? 500 : 400);
      if (typeof message === "string") assert.ok(error.message.includes(message), error.message);
      else if (message) assert.match(error.message, message);
      return true;
    },
  );
}

/** A small social graph: three people, two cities, KNOWS and LIVES_IN. */
export function socialGraph(): GraphEngine {
  const engine = newEngine();
  engine.run(`
    CREATE (alice:Person {\`~id\`: 'alice', name: 'Alice', age: 34, email: 'alice@example.com'}),
           (bob:Person {\`~id\`: 'bob', name: 'Bob', age: 27}),
           (carol:Person:Admin {\`~id\`: 'carol', name: 'Carol', age: 41}),
           (paris:City {\`~id\`: 'paris', name: 'Paris'}),
           (oslo:City {\`~id\`: 'oslo', name: 'Oslo'}),
           (alice)-[:KNOWS {\`~id\`: 'k1', since: 2015}]->(bob),
           (bob)-[:KNOWS {\`~id\`: 'k2', since: 2019}]->(carol),
           (alice)-[:LIVES_IN {\`~id\`: 'l1'}]->(paris),
           (bob)-[:LIVES_IN {\`~id\`: 'l2'}]->(paris),
           (carol)-[:LIVES_IN {\`~id\`: 'l3'}]->(oslo)`);
  return engine;
}
