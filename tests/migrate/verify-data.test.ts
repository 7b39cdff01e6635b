import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { DeleteDBInstanceCommand, StopDBClusterCommand } from "@aws-sdk/client-neptune";
import { EXIT } from "../../src/migrate/errors.js";
import type { JournalData } from "../../src/migrate/journal.js";
import { dataWorld, migrateCli } from "./data-world.js";

/** A small graph with every property type: strings, integers, doubles, booleans, datetimes. */
const GRAPH =
  "CREATE (ana:Person {`~id`: 'p-1', name: 'Ana', age: 41, score: 2.5, active: true})" +
  "-[:KNOWS {since: datetime('2020-01-02T03:04:05Z'), weight: 0.75}]->" +
  "(bruno:Person:Employee {`~id`: 'p-2', name: 'Bruno', age: 37}), " +
  "(ana)-[:WORKS_AT]->(:Company {`~id`: 'c-1', name: 'Acme', founded: datetime('1999-09-09T00:00:00Z')})";

const cli = migrateCli;

const journalOf = (path: string) => JSON.parse(readFileSync(path, "utf8")) as JournalData;

describe("trident migrate apply --verify-data", () => {
  test("passes on the same graph; after a write to the target, a re-run fails with exit 4 naming each difference", async () => {
    const world = await dataWorld();
    await world.query("source", "orders-graph", GRAPH);

    const plan = await cli(world, ["plan", "--source-cluster", "orders-graph", "--verify-data"]);
    assert.equal(plan.code, EXIT.ok, plan.stderr);
    assert.match(
      plan.stdout,
      /\[todo\] target 222222222222: compare the graph of orders-graph in 222222222222 with orders-graph's in 111111111111 {2}\[R11\]\n {7}GetPropertygraphSummary mode=detailed on both clusters' endpoints \(neptune-db:GetGraphSummary\)\n {7}source http:\/\/127\.0\.0\.1:\d+, target \(the restored cluster's endpoint\)/,
    );
    // Without the flag, no such step (off by default).
    assert.doesNotMatch(
      (await cli(world, ["plan", "--source-cluster", "orders-graph"])).stdout,
      /compare the graph|verify-data/,
    );

    // Stopped (as if killed) once the instances exist, then resumed: the resumed run compares the graphs.
    const stopped = await cli(world, [
      "apply",
      "--source-cluster",
      "orders-graph",
      "--yes",
      "--verify-data",
      "--stop-after",
      "instances",
    ]);
    assert.equal(stopped.code, EXIT.ok, stopped.stderr);
    assert.match(stopped.stdout, /stopped after instances/);
    assert.doesNotMatch(stopped.stdout, /the graphs match/);
    const applied = await cli(world, ["apply", "--source-cluster", "orders-graph", "--yes", "--verify-data"]);
    assert.equal(applied.code, EXIT.ok, `${applied.stdout}\n${applied.stderr}`);
    assert.match(applied.stdout, /create 1 instance in orders-graph: already done/);
    assert.match(
      applied.stdout,
      /source orders-graph \(http:\/\/127\.0\.0\.1:\d+\): 3 nodes \(3 labels\), 2 relationships \(2 types\)\n {4}target orders-graph \(http:\/\/127\.0\.0\.1:\d+\): 3 nodes \(3 labels\), 2 relationships \(2 types\)\n {4}verified: the graphs match: 3 nodes \(3 labels\), 2 relationships \(2 types\)\n/,
    );
    assert.doesNotMatch(applied.stdout, /FAIL/);
    const journal = journalOf(world.journalPath);
    assert.ok(journal.completed.includes("verify-data"), journal.completed.join(" "));
    assert.ok(journal.events.some((event) => event.step === "verify-data" && event.event === "done"));

    // The target's graph gains a node and a property the source does not have.
    await world.query(
      "target",
      "orders-graph",
      "MATCH (c:Company) SET c.city = 'Porto' CREATE (:Intruder {name: 'x'})",
    );
    const again = await cli(world, ["apply", "--source-cluster", "orders-graph", "--yes", "--verify-data"]);
    assert.equal(again.code, EXIT.verifyFailed, `${again.stdout}\n${again.stderr}`);
    for (const line of [
      "FAIL nodes: 3 in the source, 4 in the target",
      "FAIL node label Intruder: absent in the source, present in the target",
      "FAIL nodes with property city: 0 in the source, 1 in the target",
      "FAIL nodes with property name: 3 in the source, 4 in the target",
      "FAIL node property values: 8 in the source, 10 in the target",
      "FAIL nodes shaped {city, founded, name} (no outgoing relationship): 0 in the source, 1 in the target",
      "FAIL nodes shaped {founded, name} (no outgoing relationship): 1 in the source, 0 in the target",
      "FAIL nodes shaped {name} (no outgoing relationship): 0 in the source, 1 in the target",
    ])
      assert.ok(again.stdout.includes(`    ${line}\n`), `missing "${line}" in:\n${again.stdout}`);
    assert.match(
      again.stderr,
      /^trident migrate: the target's graph differs from the source's in 8 ways: nodes: 3 in the source, 4 in the target; node label Intruder: absent in the source, present in the target; nodes with property city: 0 in the source, 1 in the target; …\n {2}fix: the target holds the graph as of the source's snapshot/,
    );
    assert.ok(
      journalOf(world.journalPath).events.some(
        (event) => event.step === "verify-data" && event.event === "failed" && /differs/.test(event.detail ?? ""),
      ),
    );

    // The same, for automation: every difference in the JSON document.
    const json = await cli(world, [
      "apply",
      "--source-cluster",
      "orders-graph",
      "--yes",
      "--verify-data",
      "--output",
      "json",
    ]);
    assert.equal(json.code, EXIT.verifyFailed);
    const document = JSON.parse(json.stdout) as { status: string; error: { message: string } };
    assert.equal(document.status, "error");
    assert.match(document.error.message, /differs from the source's in 8 ways/);
  });

  test("a source that can't be read is a blocker of the plan, before anything changes", async () => {
    const world = await dataWorld();
    // From a snapshot, there is no source cluster to compare with.
    const fromSnapshot = await cli(world, [
      "plan",
      "--source-snapshot",
      "some-snapshot",
      "--target-cluster",
      "x",
      "--verify-data",
    ]);
    assert.equal(fromSnapshot.code, EXIT.blocked);
    assert.match(
      fromSnapshot.stdout,
      /✗ --verify-data compares the source cluster's graph with the target's, and the source is a snapshot\n {4}fix: give --source-cluster instead of --source-snapshot, or leave out --verify-data/,
    );
    // A source cluster without an instance answers no query (R11).
    await world.clients.source.neptune.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "orders-graph-1" }));
    const noInstance = await cli(world, ["apply", "--source-cluster", "orders-graph", "--yes", "--verify-data"]);
    assert.equal(noInstance.code, EXIT.blocked, noInstance.stderr);
    assert.match(
      noInstance.stdout,
      /✗ \[R11\] the source cluster orders-graph has no instance, so its graph can't be read for --verify-data\n {4}fix: create an instance in orders-graph, or leave out --verify-data/,
    );
    assert.match(noInstance.stderr, /the plan has 1 blocker/);
  });

  test("a cluster that does not answer is one clear error naming the side and the fix, not a stack", async () => {
    const world = await dataWorld();
    await world.query("source", "orders-graph", GRAPH);
    const applied = await cli(world, ["apply", "--source-cluster", "orders-graph", "--yes", "--verify-data"]);
    assert.equal(applied.code, EXIT.ok, applied.stderr);
    // Once migrated, the source may be stopped; its graph then answers nothing.
    await world.clients.source.neptune.send(new StopDBClusterCommand({ DBClusterIdentifier: "orders-graph" }));
    const again = await cli(world, ["apply", "--source-cluster", "orders-graph", "--yes", "--verify-data"]);
    assert.equal(again.code, EXIT.blocked, again.stdout);
    assert.equal(
      again.stderr,
      "trident migrate: the source cluster orders-graph does not answer queries: DB cluster 'orders-graph' is stopped: " +
        "start it with StartDBCluster.\n  fix: a cluster answers once it and one of its instances are available " +
        "(a restored cluster has none, R11): create or start one, then run apply again\n",
    );
  });
});
