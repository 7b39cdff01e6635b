import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { runDemo } from "../../src/cli/demo.js";
import { DELAY_PROFILES } from "../../src/state/delays.js";
import { portRange } from "../dataplane/fixture.js";

describe("trident demo", () => {
  test("runs the seed scenario to the end: graph, plan, apply, the walls, the graph in B as in A, cleanup, final state", async () => {
    const lines: string[] = [];
    const result = await runDemo({
      write: (line) => lines.push(line),
      delays: DELAY_PROFILES.instant,
      pollMs: 5,
      cleanup: true,
      dataPlane: await portRange(),
    });
    const text = lines.join("\n");
    assert.equal(result.ok, true, text);
    assert.deepEqual(result.walls, [
      { rule: "R6", code: "InvalidParameterValue" },
      { rule: "R8", code: "InvalidParameterValue" },
      { rule: "R11", code: "PreconditionsFailedException" },
    ]);
    assert.deepEqual(result.data, { nodes: 710, relationships: 1787, sameAnswers: 7, differentAnswers: [] });
    assert.match(text, /wall R6: 222222222222 restores the shared snapshot directly/);
    assert.match(
      text,
      /refused as expected: InvalidParameterValue \(HTTP 400\): Cannot copy tags for shared or public snapshots\./,
    );
    // Each step of the timeline names its rules with their text.
    assert.match(text, / {6}R10 the source key's policy must let the target account use it/);
    assert.match(text, / {6}R11 a restored cluster has no instances/);
    // Verify checks the end state: the cluster available (past its first automated backup), not `backing-up`.
    assert.match(text, / {4}ok {3}cluster status: available\n/);
    assert.doesNotMatch(text, /cluster status: backing-up/);
    assert.match(text, / {4}changed: nothing/);
    assert.match(
      text,
      /account 222222222222 \(target\)\n {4}cluster orders-graph: available, engine [0-9.]+, encrypted true with arn:aws:kms:us-east-1:222222222222:key\//,
    );
    assert.match(text, /instance orders-graph-instance-1: available, db\.r5\.large, in orders-graph/);
    // After cleanup A's key policy is back to its one statement and nothing is shared.
    assert.match(text, /key policy: Enable IAM User Permissions\n/);
    assert.doesNotMatch(text, /shared with 222222222222/);
    assert.match(
      text,
      /Walls met: R6 \(InvalidParameterValue\), R8 \(InvalidParameterValue\), R11 \(PreconditionsFailedException\)\. The graph: the same in both accounts\./,
    );
  });

  test("loads the graph into A, shows B refusing queries until its instance exists, then the same graph in B as in A", async () => {
    const lines: string[] = [];
    const result = await runDemo({
      write: (line) => lines.push(line),
      delays: DELAY_PROFILES.instant,
      pollMs: 5,
      dataPlane: await portRange(),
    });
    const text = lines.join("\n");
    assert.equal(result.ok, true, text);
    // The graph goes in through A's cluster endpoint, in parameterized UNWIND batches.
    assert.match(
      text,
      /Data: 111111111111 loads a graph into orders-graph through its endpoint http:\/\/127\.0\.0\.1:\d+\n {4}ExecuteOpenCypherQuery × 31 \(parameterized UNWIND batches, seed 20261129\): 710 nodes \(Category, City, Supplier, Product, Customer, Order\) and 1,787 relationships/,
    );
    // R11 on the data plane: the restored cluster's endpoint refuses until the instance exists.
    assert.match(
      text,
      /wall R11: 222222222222 queries orders-graph before it has an instance: ExecuteOpenCypherQuery on http:\/\/127\.0\.0\.1:\d+\n {6}R11 a restored cluster has no instances: create them once it is available\n {4}refused as expected: PreconditionsFailedException \(HTTP 400\): DB cluster 'orders-graph' has no available DB instance to answer queries: create one with CreateDBInstance \(a restored cluster starts without instances, rule R11\)\.\n.*create 1 instance in orders-graph/,
    );
    // apply --verify-data compares the two summaries, on the first run and on the second.
    assert.match(text, /trident migrate apply --yes --verify-data\n/);
    assert.equal(
      text.match(/verified: the graphs match: 710 nodes \(6 labels\), 1,787 relationships \(5 types\)/g)?.length,
      2,
    );
    // Side by side, row for row: the counts per label and type, then the application's queries.
    assert.match(
      text,
      / {4}nodes per label\n {6}111111111111 http:\/\/127\.0\.0\.1:\d+ +222222222222 http:\/\/127\.0\.0\.1:\d+\n {6}Category · 8 +Category · 8\n {6}City · 12 +City · 12\n {6}Customer · 150 +Customer · 150\n {6}Order · 400 +Order · 400\n {6}Product · 120 +Product · 120\n {6}Supplier · 20 +Supplier · 20\n/,
    );
    assert.match(text, / {6}CONTAINS · 997 +CONTAINS · 997\n/);
    assert.match(text, / {6}customer-133 · Lea Esposito · 8 · 7700\.84 +customer-133 · Lea Esposito · 8 · 7700\.84\n/);
    assert.match(text, / {6}Books · 374 · 31422\.31 +Books · 374 · 31422\.31\n/);
    for (const title of [
      "top customers by spend",
      "bought together with SKU-01000 (2 hops)",
      "units and revenue per category",
      "VIP customers waiting for orders placed since June",
      "suppliers behind orders from Lisbon (4 hops)",
    ])
      assert.ok(text.includes(`\n    ${title}\n`), title);
    assert.doesNotMatch(text, /≠/);
    assert.match(
      text,
      /Verdict: the same graph\. 222222222222 answers all 7 queries exactly as 111111111111 does \(710 nodes, 1,787 relationships\)\./,
    );
  });

  test("refuses to read a graph from a port another process holds, saying how to choose other ports", async () => {
    const range = await portRange();
    const other = createServer((_req, res) => res.end("{}"));
    await new Promise<void>((resolve) => other.listen(range.firstPort, "127.0.0.1", resolve));
    try {
      await assert.rejects(runDemo({ write: () => {}, delays: DELAY_PROFILES.instant, pollMs: 5, dataPlane: range }), {
        name: "MigrateError",
        message: `the cluster's endpoint http://127.0.0.1:${range.firstPort} is held by another process (another trident serve?)`,
        fix: "stop it, or give the demo other ports with --data-plane-ports FIRST-LAST",
      });
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });
});
