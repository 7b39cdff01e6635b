import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { DisableKeyCommand, ListGrantsCommand } from "@aws-sdk/client-kms";
import {
  CreateDBSubnetGroupCommand,
  ListTagsForResourceCommand,
  RestoreDBClusterToPointInTimeCommand,
} from "@aws-sdk/client-neptune";
import { clusterSnapshotTable, clusterTable } from "../../src/domain/neptune/records.js";
import { A, ADMIN, B, REGION } from "../helpers/harness.js";
import { clusterNotFound, invalidCombination, invalidValue, snapshotNotFound } from "./faults.js";
import { assertFault, assertWire, rdsQuery } from "./refusals.js";
import {
  createCluster,
  createClusterParameterGroup,
  createInstance,
  defaultSubnetIds,
  describeCluster,
  describeInstance,
  instantExcept,
  MINUTE,
} from "./resources.js";
import {
  clusterDataKey,
  copyToLocal,
  createKey,
  createSnapshot,
  restoreFromSnapshot,
  seedSnapshot,
  share,
  snapshotArn,
  sourceKeyMessage,
  specifiedKeyMessage,
  world,
} from "./snapshots-fixtures.js";

const DAY = 24 * 60 * MINUTE;

describe("RestoreDBClusterFromSnapshot", () => {
  test("R11: from B's copy: creating → available, encrypted with the copy's key, no members; then an instance", async () => {
    const w = world({ delays: instantExcept({ clusterCreateMs: 8 * MINUTE, instanceCreateMs: 10 * MINUTE }) });
    const keyB = await createKey(w.b);
    const { arn } = await seedSnapshot(w);
    w.clock.advance(8 * MINUTE);
    await copyToLocal(w.b.neptune, arn, keyB.Arn);

    const restored = await restoreFromSnapshot(w.b.neptune, {
      DBClusterIdentifier: "restored",
      SnapshotIdentifier: "local",
    });
    assert.equal(restored.Status, "creating");
    assert.equal(restored.DBClusterIdentifier, "restored");
    assert.equal(restored.DBClusterArn, `arn:aws:rds:${REGION}:${B}:cluster:restored`);
    assert.deepEqual(restored.DBClusterMembers, []);
    assert.equal(restored.StorageEncrypted, true);
    assert.equal(restored.KmsKeyId, keyB.Arn);
    assert.equal(restored.DeletionProtection, false);

    // Not available yet: no instance.
    await assertFault(() => createInstance(w.b.neptune, "restored", "restored-1"), {
      name: "InvalidDBClusterStateFault",
      status: 400,
      message: /creating/,
    });
    w.clock.advance(8 * MINUTE);
    assert.equal((await describeCluster(w.b.neptune, "restored")).Status, "available");
    await createInstance(w.b.neptune, "restored", "restored-1");
    w.clock.advance(10 * MINUTE);
    const instance = await describeInstance(w.b.neptune, "restored-1");
    assert.equal(instance.DBInstanceStatus, "available");
    assert.equal(instance.StorageEncrypted, true);
    assert.equal(instance.KmsKeyId, keyB.Arn);
    // The storage really is A's data, under B's key: the same data key.
    assert.deepEqual(await clusterDataKey(w, B, "restored"), await clusterDataKey(w, A, "src"));
    // Neptune holds a grant on B's key for the new cluster.
    const grants = (await w.b.kms.send(new ListGrantsCommand({ KeyId: keyB.Arn }))).Grants!;
    assert.ok(
      grants.some(
        (g) => g.Name === restored.DbClusterResourceId && g.GranteePrincipal === `rds.${REGION}.amazonaws.com`,
      ),
    );
  });

  test("takes the request's subnet group, security groups, parameter group, tags and DeletionProtection; the snapshot's version, and its port unless taken", async () => {
    const w = world();
    await createCluster(w.a.neptune, "src", { EngineVersion: "1.3.4.0", Port: 8183 });
    await createSnapshot(w.a.neptune, "src", "snap1");
    const subnets = await defaultSubnetIds(w.a.neptune);
    await w.a.neptune.send(
      new CreateDBSubnetGroupCommand({
        DBSubnetGroupName: "graph-net",
        DBSubnetGroupDescription: "graph",
        SubnetIds: subnets.slice(0, 2),
      }),
    );
    await createClusterParameterGroup(w.a.neptune, "graph-params");
    const restored = await restoreFromSnapshot(w.a.neptune, {
      DBClusterIdentifier: "copy-of-src",
      SnapshotIdentifier: snapshotArn(A, "snap1"),
      DBSubnetGroupName: "graph-net",
      VpcSecurityGroupIds: ["sg-0123456789abcdef0"],
      DBClusterParameterGroupName: "graph-params",
      DeletionProtection: true,
      Tags: [{ Key: "restored-from", Value: "snap1" }],
    });
    assert.equal(restored.DBSubnetGroup, "graph-net");
    assert.deepEqual(restored.VpcSecurityGroups, [{ VpcSecurityGroupId: "sg-0123456789abcdef0", Status: "active" }]);
    assert.equal(restored.DBClusterParameterGroup, "graph-params");
    assert.equal(restored.DeletionProtection, true);
    assert.equal(restored.EngineVersion, "1.3.4.0");
    // The snapshot's port 8183 is still the source cluster's, so the restored cluster takes the first free port.
    assert.equal(restored.Port, 8182);
    assert.equal(restored.StorageEncrypted, false);
    const tags = await w.a.neptune.send(new ListTagsForResourceCommand({ ResourceName: restored.DBClusterArn }));
    assert.deepEqual(tags.TagList, [{ Key: "restored-from", Value: "snap1" }]);
  });

  test("an unencrypted snapshot restores encrypted when a KmsKeyId is given, checked like a create", async () => {
    const w = world();
    await createCluster(w.a.neptune, "src");
    await createSnapshot(w.a.neptune, "src", "plain");
    const key = await createKey(w.a);
    const restored = await restoreFromSnapshot(w.a.neptune, {
      DBClusterIdentifier: "now-encrypted",
      SnapshotIdentifier: "plain",
      KmsKeyId: key.KeyId,
    });
    assert.equal(restored.StorageEncrypted, true);
    assert.equal(restored.KmsKeyId, key.Arn);
    await assertFault(
      () =>
        restoreFromSnapshot(w.a.neptune, {
          DBClusterIdentifier: "other",
          SnapshotIdentifier: "plain",
          KmsKeyId: "alias/missing",
        }),
      {
        name: "KMSKeyNotAccessibleFault",
        status: 400,
        message: specifiedKeyMessage("alias/missing"),
      },
    );
  });

  test("an encrypted snapshot restored under another key re-wraps the data key; an unusable snapshot key is refused", async () => {
    const w = world();
    const first = await createKey(w.a);
    const second = await createKey(w.a);
    await createCluster(w.a.neptune, "src", { StorageEncrypted: true, KmsKeyId: first.Arn });
    await createSnapshot(w.a.neptune, "src", "snap1");
    const rekeyed = await restoreFromSnapshot(w.a.neptune, {
      DBClusterIdentifier: "rekeyed",
      SnapshotIdentifier: "snap1",
      KmsKeyId: second.Arn,
    });
    assert.equal(rekeyed.KmsKeyId, second.Arn);
    assert.deepEqual(await clusterDataKey(w, A, "rekeyed"), await clusterDataKey(w, A, "src"));
    await w.a.kms.send(new DisableKeyCommand({ KeyId: first.KeyId }));
    await assertFault(
      () => restoreFromSnapshot(w.a.neptune, { DBClusterIdentifier: "same-key", SnapshotIdentifier: "snap1" }),
      {
        name: "KMSKeyNotAccessibleFault",
        status: 400,
        message: sourceKeyMessage(first.Arn!),
      },
    );
    await assertFault(
      () =>
        restoreFromSnapshot(w.a.neptune, {
          DBClusterIdentifier: "same-key",
          SnapshotIdentifier: "snap1",
          KmsKeyId: second.Arn,
        }),
      {
        name: "KMSKeyNotAccessibleFault",
        status: 400,
        message: sourceKeyMessage(first.Arn!),
      },
    );
  });

  test("R6: an encrypted shared snapshot can't be restored directly; a shared unencrypted one can, by ARN", async () => {
    const w = world();
    const { arn } = await seedSnapshot(w);
    const raw = await rdsQuery(
      w.raw,
      "RestoreDBClusterFromSnapshot",
      { Engine: "neptune", DBClusterIdentifier: "restored", SnapshotIdentifier: arn },
      ADMIN[B],
    );
    assertWire(raw, {
      code: "InvalidParameterValue",
      status: 400,
      message:
        "An encrypted snapshot shared from another account can't be restored directly: copy it to your account with CopyDBClusterSnapshot and a KmsKeyId of your account, then restore the copy.",
    });
    await createCluster(w.a.neptune, "plain-src");
    await createSnapshot(w.a.neptune, "plain-src", "plain");
    await share(w.a.neptune, "plain", [B]);
    const restored = await restoreFromSnapshot(w.b.neptune, {
      DBClusterIdentifier: "from-a",
      SnapshotIdentifier: snapshotArn(A, "plain"),
    });
    assert.equal(restored.DBClusterArn, `arn:aws:rds:${REGION}:${B}:cluster:from-a`);
    assert.equal(restored.StorageEncrypted, false);
    // By name it is not B's.
    await assertFault(
      () => restoreFromSnapshot(w.b.neptune, { DBClusterIdentifier: "by-name", SnapshotIdentifier: "plain" }),
      snapshotNotFound("plain"),
    );
  });

  test("refusals: engine, taken cluster identifier, snapshot not available, unknown groups", async () => {
    const w = world({ delays: instantExcept({ snapshotMs: MINUTE }) });
    await createCluster(w.a.neptune, "src");
    w.clock.advance(MINUTE);
    await createSnapshot(w.a.neptune, "src", "snap1");
    await assertFault(
      () => restoreFromSnapshot(w.a.neptune, { DBClusterIdentifier: "r", SnapshotIdentifier: "snap1" }),
      {
        name: "InvalidDBClusterSnapshotStateFault",
        status: 400,
        message: "DbClusterSnapshot snap1 is in creating state but expected it to be one of available.",
      },
    );
    w.clock.advance(MINUTE);
    await assertFault(
      () =>
        restoreFromSnapshot(w.a.neptune, {
          DBClusterIdentifier: "r",
          SnapshotIdentifier: "snap1",
          Engine: "aurora-mysql",
        }),
      invalidValue("Unrecognized engine name: aurora-mysql"),
    );
    await assertFault(
      () => restoreFromSnapshot(w.a.neptune, { DBClusterIdentifier: "src", SnapshotIdentifier: "snap1" }),
      {
        name: "DBClusterAlreadyExistsFault",
        status: 400,
        message: "DB Cluster already exists",
      },
    );
    await assertFault(
      () =>
        restoreFromSnapshot(w.a.neptune, {
          DBClusterIdentifier: "r",
          SnapshotIdentifier: "snap1",
          DBSubnetGroupName: "nope",
        }),
      {
        name: "DBSubnetGroupNotFoundFault",
        status: 404,
        message: "DB subnet group 'nope' does not exist.",
      },
    );
    await assertFault(
      () => restoreFromSnapshot(w.a.neptune, { DBClusterIdentifier: "r", SnapshotIdentifier: "missing" }),
      snapshotNotFound("missing"),
    );
    // Nothing was created by the refusals.
    assert.equal(clusterTable(w.emulator.store, A, REGION).has("r"), false);
    assert.equal(clusterSnapshotTable(w.emulator.store, A, REGION).has("snap1"), true);
  });
});

describe("RestoreDBClusterToPointInTime", () => {
  test("within the retention window, with the source's key; the latest restorable time; outside it InvalidRestoreFault", async () => {
    const w = world({ delays: instantExcept({ clusterCreateMs: MINUTE }) });
    const key = await createKey(w.a);
    await createCluster(w.a.neptune, "src", { StorageEncrypted: true, KmsKeyId: key.Arn, BackupRetentionPeriod: 2 });
    w.clock.advance(3 * DAY);
    const source = await describeCluster(w.a.neptune, "src");
    const earliest = source.EarliestRestorableTime!;
    assert.equal(earliest.getTime(), w.clock.now().getTime() - 2 * DAY);

    const pitr = (
      await w.a.neptune.send(
        new RestoreDBClusterToPointInTimeCommand({
          DBClusterIdentifier: "yesterday",
          SourceDBClusterIdentifier: "src",
          RestoreToTime: new Date(w.clock.now().getTime() - DAY),
        }),
      )
    ).DBCluster!;
    assert.equal(pitr.Status, "creating");
    assert.equal(pitr.KmsKeyId, key.Arn);
    assert.equal(pitr.BackupRetentionPeriod, 2);
    assert.deepEqual(pitr.DBClusterMembers, []);
    assert.deepEqual(await clusterDataKey(w, A, "yesterday"), await clusterDataKey(w, A, "src"));

    const latest = (
      await w.a.neptune.send(
        new RestoreDBClusterToPointInTimeCommand({
          DBClusterIdentifier: "latest",
          SourceDBClusterIdentifier: "src",
          UseLatestRestorableTime: true,
        }),
      )
    ).DBCluster!;
    assert.equal(latest.StorageEncrypted, true);

    const tooOld = new Date(earliest.getTime() - MINUTE);
    await assertFault(
      () =>
        w.a.neptune.send(
          new RestoreDBClusterToPointInTimeCommand({
            DBClusterIdentifier: "old",
            SourceDBClusterIdentifier: "src",
            RestoreToTime: tooOld,
          }),
        ),
      {
        name: "InvalidRestoreFault",
        status: 400,
        message: `The restore time ${tooOld.toISOString()} is outside the restorable window of DB cluster src: ${earliest.toISOString()} to ${w.clock.now().toISOString()}.`,
      },
    );
  });

  test("refusals: both or neither time, RestoreToTime with copy-on-write, unknown source, KmsKeyId for an unencrypted source", async () => {
    const w = world();
    await createCluster(w.a.neptune, "src");
    w.clock.advance(DAY);
    const pitr = (input: Record<string, unknown>) =>
      w.a.neptune.send(
        new RestoreDBClusterToPointInTimeCommand({
          DBClusterIdentifier: "r",
          SourceDBClusterIdentifier: "src",
          ...input,
        }),
      );
    const now = w.clock.now();
    await assertFault(
      () => pitr({ RestoreToTime: now, UseLatestRestorableTime: true }),
      invalidCombination("Cannot specify both RestoreToTime and UseLatestRestorableTime."),
    );
    await assertFault(
      () => pitr({}),
      invalidCombination("Either RestoreToTime or UseLatestRestorableTime must be specified."),
    );
    await assertFault(
      () => pitr({ RestoreToTime: now, RestoreType: "copy-on-write" }),
      invalidCombination("RestoreToTime can't be specified when RestoreType is copy-on-write."),
    );
    await assertFault(
      () => pitr({ UseLatestRestorableTime: true, SourceDBClusterIdentifier: "ghost" }),
      clusterNotFound("ghost"),
    );
    const key = await createKey(w.a);
    await assertFault(
      () => pitr({ UseLatestRestorableTime: true, KmsKeyId: key.Arn }),
      invalidCombination("A KmsKeyId can't be specified: DB cluster src is not encrypted."),
    );
    // Another account's cluster is never a source.
    await assertFault(
      () =>
        w.b.neptune.send(
          new RestoreDBClusterToPointInTimeCommand({
            DBClusterIdentifier: "r",
            SourceDBClusterIdentifier: `arn:aws:rds:${REGION}:${A}:cluster:src`,
            UseLatestRestorableTime: true,
          }),
        ),
      clusterNotFound(`arn:aws:rds:${REGION}:${A}:cluster:src`),
    );
    const copyOnWrite = (await pitr({ UseLatestRestorableTime: true, RestoreType: "copy-on-write" })) as {
      DBCluster?: { DBClusterIdentifier?: string };
    };
    assert.equal(copyOnWrite.DBCluster!.DBClusterIdentifier, "r");
  });
});
