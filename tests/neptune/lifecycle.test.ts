import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { CreateKeyCommand, DisableKeyCommand, EnableKeyCommand } from "@aws-sdk/client-kms";
import {
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeEventsCommand,
  StartDBClusterCommand,
  StopDBClusterCommand,
  type NeptuneClient,
} from "@aws-sdk/client-neptune";
import type { Delays } from "../../src/state/delays.js";
import { inProcess, rejection } from "../helpers/harness.js";
import { assertFault } from "./refusals.js";
import { createCluster, createInstance, describeCluster, describeInstance, modifyCluster } from "./resources.js";

/** Distinct durations, so that each transition can be observed on its own. */
const delays: Delays = {
  clusterCreateMs: 10_000,
  instanceCreateMs: 20_000,
  clusterModifyMs: 5_000,
  deleteMs: 3_000,
  snapshotMs: 0,
};

const clusterStatus = async (neptune: NeptuneClient, id: string) => (await describeCluster(neptune, id)).Status;
const instanceStatus = async (neptune: NeptuneClient, id: string) =>
  (await describeInstance(neptune, id)).DBInstanceStatus;

describe("Lifecycle on the clock", () => {
  test("creating → available, for the cluster and then for its instance", async () => {
    const { a, clock } = inProcess({ delays });
    await createCluster(a.neptune, "slow");
    assert.equal(await clusterStatus(a.neptune, "slow"), "creating");
    await assertFault(() => createInstance(a.neptune, "slow", "slow-1"), {
      name: "InvalidDBClusterStateFault",
      status: 400,
      message: "DbCluster slow is in creating state but expected it to be one of available.",
    });
    clock.advance(9_999);
    assert.equal(await clusterStatus(a.neptune, "slow"), "creating");
    clock.advance(1);
    assert.equal(await clusterStatus(a.neptune, "slow"), "available");
    await createInstance(a.neptune, "slow", "slow-1");
    clock.advance(19_999);
    assert.equal(await instanceStatus(a.neptune, "slow-1"), "creating");
    clock.advance(1);
    assert.equal(await instanceStatus(a.neptune, "slow-1"), "available");
  });

  test("backing-up while the first automated backup is taken; the cluster takes instances meanwhile", async () => {
    const { a, clock } = inProcess({ delays: { ...delays, snapshotMs: 4_000 } });
    await createCluster(a.neptune, "fresh");
    clock.advance(10_000);
    assert.equal(await clusterStatus(a.neptune, "fresh"), "backing-up");
    await createInstance(a.neptune, "fresh", "fresh-1");
    clock.advance(4_000);
    assert.equal(await clusterStatus(a.neptune, "fresh"), "available");
  });

  test("modifying → available", async () => {
    const { a, clock } = inProcess({ delays });
    await createCluster(a.neptune, "mod");
    clock.advance(10_000);
    const modified = await modifyCluster(a.neptune, "mod", { Port: 9000 });
    assert.equal(modified.Status, "modifying");
    assert.equal(await clusterStatus(a.neptune, "mod"), "modifying");
    clock.advance(5_000);
    assert.equal(await clusterStatus(a.neptune, "mod"), "available");
  });

  test("stopping → stopped → starting → available; members follow the cluster", async () => {
    const { a, clock } = inProcess({ delays });
    await createCluster(a.neptune, "nap");
    clock.advance(10_000);
    await createInstance(a.neptune, "nap", "nap-1");
    clock.advance(20_000);
    await a.neptune.send(new StopDBClusterCommand({ DBClusterIdentifier: "nap" }));
    assert.equal(await clusterStatus(a.neptune, "nap"), "stopping");
    assert.equal(await instanceStatus(a.neptune, "nap-1"), "stopping");
    clock.advance(5_000);
    assert.equal(await clusterStatus(a.neptune, "nap"), "stopped");
    assert.equal(await instanceStatus(a.neptune, "nap-1"), "stopped");
    await a.neptune.send(new StartDBClusterCommand({ DBClusterIdentifier: "nap" }));
    assert.equal(await clusterStatus(a.neptune, "nap"), "starting");
    assert.equal(await instanceStatus(a.neptune, "nap-1"), "starting");
    clock.advance(5_000);
    assert.equal(await clusterStatus(a.neptune, "nap"), "available");
    assert.equal(await instanceStatus(a.neptune, "nap-1"), "available");
  });

  test("a cluster stopped for seven days starts by itself", async () => {
    const { a, clock } = inProcess({ delays });
    await createCluster(a.neptune, "nap");
    clock.advance(10_000);
    const stoppedAt = clock.now().getTime();
    await a.neptune.send(new StopDBClusterCommand({ DBClusterIdentifier: "nap" }));
    clock.advance(7 * 24 * 3_600_000 - 1);
    assert.equal(await clusterStatus(a.neptune, "nap"), "stopped");
    clock.advance(1);
    assert.equal(await clusterStatus(a.neptune, "nap"), "starting");
    clock.advance(5_000);
    assert.equal(await clusterStatus(a.neptune, "nap"), "available");
    const events = await a.neptune.send(
      new DescribeEventsCommand({ SourceType: "db-cluster", SourceIdentifier: "nap", Duration: 60 }),
    );
    const started = events.Events!.find(
      (e) => e.Message === "DB cluster is being started due to it exceeding the maximum allowed time being stopped.",
    )!;
    assert.equal(started.Date!.getTime(), stoppedAt + 7 * 24 * 3_600_000);
  });

  test("deleting → gone, for instances and then their cluster", async () => {
    const { a, clock } = inProcess({ delays });
    await createCluster(a.neptune, "bye");
    clock.advance(10_000);
    await createInstance(a.neptune, "bye", "bye-1");
    clock.advance(20_000);
    await a.neptune.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "bye-1" }));
    assert.equal(await instanceStatus(a.neptune, "bye-1"), "deleting");
    // Every member is being deleted: the cluster may go too.
    const deleted = (
      await a.neptune.send(new DeleteDBClusterCommand({ DBClusterIdentifier: "bye", SkipFinalSnapshot: true }))
    ).DBCluster!;
    assert.equal(deleted.Status, "available", "the response shows the cluster as it was");
    assert.equal(await clusterStatus(a.neptune, "bye"), "deleting");
    clock.advance(2_999);
    assert.equal(await instanceStatus(a.neptune, "bye-1"), "deleting");
    clock.advance(1);
    const instanceGone = await rejection(() => instanceStatus(a.neptune, "bye-1"));
    assert.equal(instanceGone.name, "DBInstanceNotFoundFault");
    const clusterGone = await rejection(() => clusterStatus(a.neptune, "bye"));
    assert.equal(clusterGone.name, "DBClusterNotFoundFault");
    // The name is free again.
    assert.equal((await createCluster(a.neptune, "bye")).Status, "creating");
  });

  test("a cluster whose key is disabled is inaccessible-encryption-credentials until the key is back", async () => {
    const { a, clock } = inProcess({ delays });
    const key = (await a.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await createCluster(a.neptune, "locked", { StorageEncrypted: true, KmsKeyId: key.Arn });
    clock.advance(10_000);
    await createInstance(a.neptune, "locked", "locked-1");
    clock.advance(20_000);
    await a.kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    assert.equal(await clusterStatus(a.neptune, "locked"), "inaccessible-encryption-credentials");
    assert.equal(await instanceStatus(a.neptune, "locked-1"), "inaccessible-encryption-credentials");
    const refused = await rejection(() => a.neptune.send(new StopDBClusterCommand({ DBClusterIdentifier: "locked" })));
    assert.equal(
      refused.message,
      "DbCluster locked is in inaccessible-encryption-credentials state but expected it to be one of available.",
    );
    await a.kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
    assert.equal(await clusterStatus(a.neptune, "locked"), "available");
  });

  test("lifecycle events with their source type and time", async () => {
    const { a, clock } = inProcess({ delays });
    const start = clock.now().getTime();
    const created = await createCluster(a.neptune, "ev");
    clock.advance(10_000);
    await createInstance(a.neptune, "ev", "ev-1");
    clock.advance(20_000);
    await a.neptune.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "ev-1" }));
    await a.neptune.send(new DeleteDBClusterCommand({ DBClusterIdentifier: "ev", SkipFinalSnapshot: true }));
    clock.advance(3_000);
    const events = (await a.neptune.send(new DescribeEventsCommand({ StartTime: new Date(start) }))).Events!;
    const seen = events.map((e) => [
      e.SourceType,
      e.SourceIdentifier,
      e.Message,
      e.EventCategories,
      e.Date!.getTime() - start,
    ]);
    assert.deepEqual(seen, [
      ["db-cluster", "ev", "DB cluster created", ["creation"], 10_000],
      ["db-cluster-snapshot", seen[1]![1], "Creating automated cluster snapshot", ["backup"], 10_000],
      ["db-cluster-snapshot", seen[1]![1], "Automated cluster snapshot created", ["backup"], 10_000],
      ["db-instance", "ev-1", "DB instance created", ["creation"], 30_000],
      ["db-instance", "ev-1", "DB instance deleted", ["deletion"], 33_000],
      ["db-cluster", "ev", "DB cluster deleted", ["deletion"], 33_000],
    ]);
    assert.match(String(seen[1]![1]), /^rds:ev-\d{4}-\d\d-\d\d-\d\d-\d\d$/);
    assert.equal(events[0]!.SourceArn, created.DBClusterArn);
  });
});
