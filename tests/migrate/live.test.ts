import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { clusterGraph } from "../../src/cli/demo-data.js";
import { SeededWriter } from "../../src/cli/demo-writer.js";
import { runApply } from "../../src/migrate/apply.js";
import { EXIT, MigrateError } from "../../src/migrate/errors.js";
import { readJournal } from "../../src/migrate/journal.js";
import { readElements } from "../../src/migrate/live-compare.js";
import { runCutover, type CutoverOptions } from "../../src/migrate/live-cutover.js";
import type { LiveRunOptions } from "../../src/migrate/live-session.js";
import { compareEvents } from "../../src/migrate/stream-records.js";
import type { StepId } from "../../src/migrate/types.js";
import { dataWorld, migrateCli } from "./data-world.js";
import { enableStreams } from "../../src/cli/demo-live.js";

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

/** The seed's migration with --live, as library calls on the world's manual clock. */
function liveRun(world: Awaited<ReturnType<typeof dataWorld>>) {
  const wait = {
    sleep: async (ms: number) => world.clock.advance(ms),
    now: () => world.clock.now().getTime(),
  };
  const common = {
    inputs: { ...world.inputs, live: true, parameterGroup: "default.neptune1.4" },
    clients: world.clients,
    journalPath: world.journalPath,
  };
  return {
    apply: (live: LiveRunOptions = {}, stopAfter?: StepId) =>
      runApply({ ...common, wait, live, ...(stopAfter ? { stopAfter } : {}) }),
    cutover: (options: Partial<CutoverOptions>) => runCutover({ ...common, wait, write: () => {}, ...options }),
  };
}

describe("trident migrate apply --live and cutover", () => {
  test("a seeded writer runs throughout; a crash mid-replay resumes; after cutover both graphs are identical element by element", async () => {
    const world = await dataWorld();
    await enableStreams(world.clients.source.neptune, "orders-graph");
    const source = await clusterGraph(world.clients.source, world.inputs.source, "orders-graph", world.inputs.region);
    const target = () => clusterGraph(world.clients.target, world.inputs.target, "orders-graph", world.inputs.region);
    const writer = new SeededWriter(source.client, 1717);
    try {
      await writer.run({ maxWrites: 40 }); // in the snapshot
      const writing = writer.run({ maxWrites: 400 }); // throughout the migration
      const run = liveRun(world);

      // Killed after the target applied the replay's second batch, before the journal recorded it.
      let batches = 0;
      await assert.rejects(
        run.apply({
          pageSize: 10,
          afterBatch: () => {
            if (++batches === 2) throw new Error("killed after the second batch");
          },
        }),
        /killed after the second batch/,
      );
      const crashed = readJournal(world.journalPath)!;
      assert.ok(crashed.live?.snapshotPosition, "the snapshot's position is in the journal");
      assert.ok(
        crashed.events.some((event) => event.step === "replay" && event.event === "failed"),
        JSON.stringify(crashed.events.slice(-3)),
      );
      const firstBatchEnd = crashed.live!.applied!;

      // Resumed: the batch the journal does not have is applied again, and the replay catches up.
      const resumed = await run.apply({ pageSize: 10 });
      assert.equal(resumed.status, "done");
      const caughtUp = readJournal(world.journalPath)!.live!.applied!;
      assert.ok(compareEvents(caughtUp, firstBatchEnd) > 0);

      let stopAsked = false;
      const result = await run.cutover({
        compareElements: true,
        onStopWriters: async () => {
          stopAsked = true;
          writer.stop();
          await writing;
        },
      });
      assert.ok(stopAsked);
      assert.deepEqual(result.summaryDifferences, []);
      assert.deepEqual(result.elementDifferences, []);
      assert.equal(result.alreadyDone, false);
      assert.ok(result.pauseMs >= 0);

      // Element by element, read here: the same nodes (labels, properties) and relationships (type, ends, properties).
      const b = await target();
      try {
        const [inA, inB] = await Promise.all([readElements(source.client), readElements(b.client)]);
        assert.ok(
          inA.nodes.size > 20 && inA.relationships.size > 10,
          `${inA.nodes.size} nodes, ${inA.relationships.size} relationships`,
        );
        assert.deepEqual([...inB.nodes], [...inA.nodes]);
        assert.deepEqual([...inB.relationships], [...inA.relationships]);
      } finally {
        b.client.destroy();
      }
      const journal = readJournal(world.journalPath)!;
      assert.equal(journal.live?.cutover?.at, result.authoritativeAt);
      // A second cutover changes nothing and says so.
      const again = await run.cutover({});
      assert.equal(again.alreadyDone, true);
      assert.equal(again.authoritativeAt, result.authoritativeAt);
    } finally {
      writer.stop();
      source.client.destroy();
    }
  });

  test("an expired stream is reported with the fix (a new snapshot), never skipped", async () => {
    const world = await dataWorld();
    await enableStreams(world.clients.source.neptune, "orders-graph", { expiryDays: 1 });
    const source = await clusterGraph(world.clients.source, world.inputs.source, "orders-graph", world.inputs.region);
    const writer = new SeededWriter(source.client, 99);
    try {
      await writer.run({ maxWrites: 10 });
      const run = liveRun(world);
      const stopped = await run.apply({}, "verify");
      assert.equal(stopped.status, "stopped");
      await writer.run({ maxWrites: 20 }); // after the snapshot: to replay
      world.clock.advance(2 * 24 * 3600_000); // past neptune_streams_expiry_days
      await writer.run({ maxWrites: 21 });
      const before = readJournal(world.journalPath)!.live!;
      await assert.rejects(run.apply(), (error: unknown) => {
        assert.ok(error instanceof MigrateError, String(error));
        assert.match(
          error.message,
          /the source's stream no longer holds the changes after \d+\/\d+, the last one the target has/,
        );
        assert.match(error.fix, /take a new snapshot/);
        assert.match(error.fix, /neptune_streams_expiry_days/);
        return true;
      });
      // Nothing skipped: the journal's position did not move.
      assert.deepEqual(readJournal(world.journalPath)!.live!.applied, before.applied);
    } finally {
      source.client.destroy();
    }
  });
});
