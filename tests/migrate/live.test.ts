import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { EXIT } from "../../src/migrate/errors.js";
import { dataWorld, migrateCli } from "./data-world.js";
import { enableStreams } from "./live-helpers.js";

const cli = migrateCli;

describe("trident migrate plan --live", () => {
  test("streams off at the source is a blocker that says how to turn them on; once on, the plan reads the position before the snapshot and replays after the instances", async () => {
    const world = await dataWorld();
    const off = await cli(world, ["plan", "--source-cluster", "orders-graph", "--live"]);
    assert.equal(off.code, EXIT.blocked, off.stderr);
    assert.match(
      off.stdout,
      /Neptune Streams are off at the source cluster orders-graph \(neptune_streams is 0 in its cluster parameter group default\.neptune1\.4\)/,
    );
    assert.match(off.stdout, /a default parameter group can't be changed: create a custom one/);
    assert.match(
      off.stdout,
      /aws neptune modify-db-cluster-parameter-group --db-cluster-parameter-group-name orders-graph-streams --parameters ParameterName=neptune_streams,ParameterValue=1,ApplyMethod=pending-reboot/,
    );
    assert.match(
      off.stdout,
      /aws neptune modify-db-cluster --db-cluster-identifier orders-graph --db-cluster-parameter-group-name orders-graph-streams/,
    );
    assert.match(off.stdout, /aws neptune reboot-db-instance --db-instance-identifier orders-graph-1/);
    // Without --live, streams don't matter.
    assert.equal((await cli(world, ["plan", "--source-cluster", "orders-graph"])).code, EXIT.ok);

    await enableStreams(world.clients.source.neptune, "orders-graph");
    // The target's cluster takes a group of its own account (the source's custom one is not there).
    const on = await cli(world, [
      "plan",
      "--source-cluster",
      "orders-graph",
      "--live",
      "--parameter-group",
      "default.neptune1.4",
    ]);
    assert.equal(on.code, EXIT.ok, on.stdout);
    const titles = [...on.stdout.matchAll(/\[todo\] (?:source|target) \d+: ([^\n]+)/g)].map((match) => match[1]);
    assert.match(titles[0]!, /^read the stream position of orders-graph before its snapshot/);
    assert.match(titles[1]!, /^snapshot cluster orders-graph/);
    assert.match(
      titles.at(-1)!,
      /^replay the changes made to orders-graph in 111111111111 since the snapshot onto orders-graph/,
    );
    assert.match(on.stdout, /neptune-db:ReadDataViaQuery, WriteDataViaQuery, DeleteDataViaQuery/);
  });

  test("--live refuses a given snapshot and --verify-data; --follow needs apply --live", async () => {
    const world = await dataWorld();
    await enableStreams(world.clients.source.neptune, "orders-graph");
    const both = await cli(world, ["plan", "--source-cluster", "orders-graph", "--live", "--verify-data"]);
    assert.equal(both.code, EXIT.blocked);
    assert.match(
      both.stdout,
      /leave out --verify-data: trident migrate cutover compares the graphs once the writers have stopped/,
    );
    const snapshot = await cli(world, [
      "plan",
      "--source-snapshot",
      "some-snapshot",
      "--target-cluster",
      "x",
      "--live",
    ]);
    assert.equal(snapshot.code, EXIT.blocked);
    assert.match(snapshot.stdout, /give --source-cluster instead of --source-snapshot/);
    const follow = await cli(world, ["apply", "--source-cluster", "orders-graph", "--follow"]);
    assert.equal(follow.code, EXIT.usage);
    assert.match(follow.stderr, /--follow goes with apply --live/);
  });
});
