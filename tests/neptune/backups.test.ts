import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  DeleteDBClusterCommand,
  DescribeDBClustersCommand,
  ListTagsForResourceCommand,
  StartDBClusterCommand,
  StopDBClusterCommand,
  type CreateDBClusterCommandInput,
  type NeptuneClient,
} from "@aws-sdk/client-neptune";
import { clusterSnapshotTable, clusterTable } from "../../src/domain/neptune/records.js";
import type { Emulator } from "../../src/emulator.js";
import { A, inProcess, REGION } from "../helpers/harness.js";
import { createCluster as createAnyCluster, modifyCluster } from "./resources.js";

/** A cluster whose daily backup window starts at 03:00 (and whose maintenance window is out of its way). */
const createCluster = (neptune: NeptuneClient, id: string, extra: Partial<CreateDBClusterCommandInput> = {}) =>
  createAnyCluster(neptune, id, {
    PreferredBackupWindow: "03:00-03:30",
    PreferredMaintenanceWindow: "sun:06:00-sun:06:30",
    ...extra,
  });

/** The automated snapshot ids of account A, after a request has brought the state up to the clock. */
async function automated(emulator: Emulator, neptune: NeptuneClient): Promise<string[]> {
  await neptune.send(new DescribeDBClustersCommand({}));
  return clusterSnapshotTable(emulator.store, A, REGION)
    .values()
    .filter((s) => s.SnapshotType === "automated")
    .map((s) => s.DBClusterSnapshotIdentifier)
    .sort();
}

describe("Automated backups", () => {
  test("the first when the cluster becomes available, named rds:<cluster>-YYYY-MM-DD-HH-MM", async () => {
    const { a, clock, emulator } = inProcess();
    clock.set("2026-03-02T10:17:42.500Z");
    const cluster = await createCluster(a.neptune, "daily", { EngineVersion: "1.3.2.1", Port: 8190 });
    assert.deepEqual(await automated(emulator, a.neptune), ["rds:daily-2026-03-02-10-17"]);
    const snapshot = clusterSnapshotTable(emulator.store, A, REGION).get("rds:daily-2026-03-02-10-17")!;
    assert.equal(snapshot.SnapshotType, "automated");
    assert.equal(snapshot.DBClusterIdentifier, "daily");
    assert.equal(
      snapshot.DBClusterSnapshotArn,
      `arn:aws:rds:${REGION}:${A}:cluster-snapshot:rds:daily-2026-03-02-10-17`,
    );
    assert.equal(snapshot.SnapshotCreateTime, Date.parse("2026-03-02T10:17:42.500Z"));
    assert.equal(snapshot.ClusterCreateTime, cluster.ClusterCreateTime!.getTime());
    assert.equal(snapshot.Engine, "neptune");
    assert.equal(snapshot.EngineVersion, "1.3.2.1");
    assert.equal(snapshot.Port, 8190);
    assert.equal(snapshot.StorageEncrypted, false);
    assert.equal(snapshot.KmsKeyId, undefined);
    assert.deepEqual(snapshot.AvailabilityZones, cluster.AvailabilityZones);
    assert.equal(snapshot.sourceClusterResourceId, cluster.DbClusterResourceId);
  });

  test("one a day at the start of the backup window, kept BackupRetentionPeriod days", async () => {
    const { a, clock, emulator } = inProcess();
    clock.set("2026-03-02T10:17:00Z");
    await createCluster(a.neptune, "daily");
    clock.set("2026-03-03T02:59:59Z");
    assert.deepEqual(await automated(emulator, a.neptune), ["rds:daily-2026-03-02-10-17"]);
    clock.set("2026-03-03T03:00:00Z");
    assert.deepEqual(await automated(emulator, a.neptune), [
      "rds:daily-2026-03-02-10-17",
      "rds:daily-2026-03-03-03-00",
    ]);
    // Retention 1 day: the first one expires a day after it was taken.
    clock.set("2026-03-03T10:17:01Z");
    assert.deepEqual(await automated(emulator, a.neptune), ["rds:daily-2026-03-03-03-00"]);
    clock.set("2026-03-04T03:00:01Z");
    assert.deepEqual(await automated(emulator, a.neptune), ["rds:daily-2026-03-04-03-00"]);
  });

  test("a longer retention keeps more; a jump of the clock materializes only what is still retained", async () => {
    const { a, clock, emulator } = inProcess();
    clock.set("2026-03-02T12:00:00Z");
    await createCluster(a.neptune, "keep", { BackupRetentionPeriod: 3 });
    clock.set("2026-03-06T12:00:00Z");
    assert.deepEqual(await automated(emulator, a.neptune), [
      "rds:keep-2026-03-04-03-00",
      "rds:keep-2026-03-05-03-00",
      "rds:keep-2026-03-06-03-00",
    ]);
    clock.set("2026-06-10T12:00:00Z");
    assert.deepEqual(await automated(emulator, a.neptune), [
      "rds:keep-2026-06-08-03-00",
      "rds:keep-2026-06-09-03-00",
      "rds:keep-2026-06-10-03-00",
    ]);
    // A shorter retention prunes at the next request.
    await modifyCluster(a.neptune, "keep", { BackupRetentionPeriod: 1 });
    assert.deepEqual(await automated(emulator, a.neptune), ["rds:keep-2026-06-10-03-00"]);
  });

  test("no backups while the cluster is stopped", async () => {
    const { a, clock, emulator } = inProcess();
    clock.set("2026-03-02T12:00:00Z");
    await createCluster(a.neptune, "nap", { BackupRetentionPeriod: 7 });
    await a.neptune.send(new StopDBClusterCommand({ DBClusterIdentifier: "nap" }));
    clock.set("2026-03-04T12:00:00Z");
    await a.neptune.send(new StartDBClusterCommand({ DBClusterIdentifier: "nap" }));
    assert.deepEqual(await automated(emulator, a.neptune), ["rds:nap-2026-03-02-12-00"]);
    clock.set("2026-03-05T03:00:00Z");
    assert.deepEqual(await automated(emulator, a.neptune), ["rds:nap-2026-03-02-12-00", "rds:nap-2026-03-05-03-00"]);
  });

  test("an encrypted cluster's backups carry its key and wrapped data key", async () => {
    const { a, emulator } = inProcess();
    await createCluster(a.neptune, "secret", { StorageEncrypted: true });
    const [id] = await automated(emulator, a.neptune);
    const snapshot = clusterSnapshotTable(emulator.store, A, REGION).get(id!)!;
    const cluster = clusterTable(emulator.store, A, REGION).get("secret")!;
    assert.equal(snapshot.StorageEncrypted, true);
    assert.equal(snapshot.KmsKeyId, cluster.KmsKeyId);
    assert.ok(snapshot.wrappedDataKey!.equals(cluster.wrappedDataKey!));
  });

  test("CopyTagsToSnapshot copies the cluster's tags to its backups", async () => {
    const { a, emulator } = inProcess();
    await createCluster(a.neptune, "tagged", { CopyTagsToSnapshot: true, Tags: [{ Key: "env", Value: "prod" }] });
    await createCluster(a.neptune, "bare", { Tags: [{ Key: "env", Value: "dev" }] });
    await automated(emulator, a.neptune);
    const snapshots = clusterSnapshotTable(emulator.store, A, REGION).values();
    const tagsOf = async (cluster: string) => {
      const arn = snapshots.find((s) => s.DBClusterIdentifier === cluster)!.DBClusterSnapshotArn;
      return (await a.neptune.send(new ListTagsForResourceCommand({ ResourceName: arn }))).TagList;
    };
    assert.deepEqual(await tagsOf("tagged"), [{ Key: "env", Value: "prod" }]);
    assert.deepEqual(await tagsOf("bare"), []);
  });

  test("deleted with the cluster, even after a rename; other clusters' backups stay", async () => {
    const { a, clock, emulator } = inProcess();
    clock.set("2026-03-02T12:00:00Z");
    await createCluster(a.neptune, "first");
    await createCluster(a.neptune, "second");
    clock.set("2026-03-03T12:00:01Z");
    await modifyCluster(a.neptune, "first", { NewDBClusterIdentifier: "renamed", ApplyImmediately: true });
    await a.neptune.send(new DeleteDBClusterCommand({ DBClusterIdentifier: "renamed", SkipFinalSnapshot: true }));
    assert.deepEqual(await automated(emulator, a.neptune), ["rds:second-2026-03-03-03-00"]);
  });
});
