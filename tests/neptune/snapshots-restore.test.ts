import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { DecryptCommand, DisableKeyCommand, ListGrantsCommand } from "@aws-sdk/client-kms";
import {
  CopyDBClusterSnapshotCommand,
  CreateDBClusterParameterGroupCommand,
  CreateDBInstanceCommand,
  CreateDBSubnetGroupCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSubnetGroupsCommand,
  ListTagsForResourceCommand,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBClusterToPointInTimeCommand,
  type NeptuneClient,
  type RestoreDBClusterFromSnapshotCommandInput,
} from "@aws-sdk/client-neptune";
import { clusterSnapshotTable, clusterTable } from "../../src/domain/neptune/records.js";
import { A, B, REGION } from "../helpers/harness.js";
import {
  assertFault,
  assertWire,
  createCluster,
  createKey,
  createSnapshot,
  seedSnapshot,
  share,
  snapshotArn,
  sourceKeyMessage,
  specifiedKeyMessage,
  VERSION,
  world,
  type World,
} from "./snapshots-fixtures.js";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

async function restore(
  neptune: NeptuneClient,
  input: Omit<RestoreDBClusterFromSnapshotCommandInput, "Engine"> & { Engine?: string },
) {
  return (await neptune.send(new RestoreDBClusterFromSnapshotCommand({ Engine: "neptune", ...input }))).DBCluster!;
}

async function clusterOf(neptune: NeptuneClient, id: string) {
  return (await neptune.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0]!;
}

/** The plaintext data key of a cluster's storage, unwrapped through the KMS API by its owner. */
async function clusterDataKey(w: World, account: string, id: string): Promise<Buffer> {
  const cluster = clusterTable(w.emulator.store, account, REGION).get(id)!;
  const clients = account === A ? w.a : w.b;
  return Buffer.from(
    (await clients.kms.send(new DecryptCommand({ CiphertextBlob: cluster.wrappedDataKey }))).Plaintext!,
  );
}

describe("RestoreDBClusterFromSnapshot", () => {
  test("R11: from B's copy: creating → available, encrypted with the copy's key, no members; then an instance", async () => {
    const w = world({
      delays: {
        clusterCreateMs: 8 * MINUTE,
        instanceCreateMs: 10 * MINUTE,
        clusterModifyMs: 0,
        deleteMs: 0,
        snapshotMs: 0,
      },
    });
    const keyB = await createKey(w.b);
    const { arn } = await seedSnapshot(w);
    w.clock.advance(8 * MINUTE);
    await w.b.neptune.send(
      new CopyDBClusterSnapshotCommand({
        SourceDBClusterSnapshotIdentifier: arn,
        TargetDBClusterSnapshotIdentifier: "local",
        KmsKeyId: keyB.Arn,
      }),
    );

    const restored = await restore(w.b.neptune, { DBClusterIdentifier: "restored", SnapshotIdentifier: "local" });
    assert.equal(restored.Status, "creating");
    assert.equal(restored.DBClusterIdentifier, "restored");
    assert.equal(restored.DBClusterArn, `arn:aws:rds:${REGION}:${B}:cluster:restored`);
    assert.deepEqual(restored.DBClusterMembers, []);
    assert.equal(restored.StorageEncrypted, true);
    assert.equal(restored.KmsKeyId, keyB.Arn);
    assert.equal(restored.DeletionProtection, false);

    // Not available yet: no instance.
    await assertFault(
      () =>
        w.b.neptune.send(
          new CreateDBInstanceCommand({
            DBInstanceIdentifier: "restored-1",
            DBClusterIdentifier: "restored",
            Engine: "neptune",
            DBInstanceClass: "db.r5.large",
          }),
        ),
      { name: "InvalidDBClusterStateFault", status: 400, message: /creating/ },
    );
    w.clock.advance(8 * MINUTE);
    assert.equal((await clusterOf(w.b.neptune, "restored")).Status, "available");
    await w.b.neptune.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: "restored-1",
        DBClusterIdentifier: "restored",
        Engine: "neptune",
        DBInstanceClass: "db.r5.large",
      }),
    );
    w.clock.advance(10 * MINUTE);
    const instance = (await w.b.neptune.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "restored-1" })))
      .DBInstances![0]!;
    assert.equal(instance.DBInstanceStatus, "available");
    assert.equal(instance.StorageEncrypted, true);
    assert.equal(instance.KmsKeyId, keyB.Arn);
    // The storage really is A's data, under B's key: the same data key.
    const sourceRecord = clusterTable(w.emulator.store, A, REGION).get("src")!;
    const sourceKey = Buffer.from(
      (await w.a.kms.send(new DecryptCommand({ CiphertextBlob: sourceRecord.wrappedDataKey }))).Plaintext!,
    );
    assert.deepEqual(await clusterDataKey(w, B, "restored"), sourceKey);
    // Neptune holds a grant on B's key for the new cluster.
    const grants = (await w.b.kms.send(new ListGrantsCommand({ KeyId: keyB.Arn }))).Grants!;
    assert.ok(
      grants.some(
        (g) => g.Name === restored.DbClusterResourceId && g.GranteePrincipal === `rds.${REGION}.amazonaws.com`,
      ),
    );
  });

  test("takes the request's subnet group, security groups, parameter group, tags and DeletionProtection; the snapshot's version and port", async () => {
    const w = world();
    await createCluster(w.a.neptune, "src", { EngineVersion: "1.3.4.0", Port: 8183 });
    await createSnapshot(w.a.neptune, "src", "snap1");
    const subnets = (await w.a.neptune.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: "default" })))
      .DBSubnetGroups![0]!.Subnets!;
    await w.a.neptune.send(
      new CreateDBSubnetGroupCommand({
        DBSubnetGroupName: "graph-net",
        DBSubnetGroupDescription: "graph",
        SubnetIds: subnets.slice(0, 2).map((s) => s.SubnetIdentifier!),
      }),
    );
    await w.a.neptune.send(
      new CreateDBClusterParameterGroupCommand({
        DBClusterParameterGroupName: "graph-params",
        DBParameterGroupFamily: "neptune1.3",
        Description: "graph",
      }),
    );
    const restored = await restore(w.a.neptune, {
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
    assert.equal(restored.Port, 8183);
    assert.equal(restored.StorageEncrypted, false);
    const tags = await w.a.neptune.send(new ListTagsForResourceCommand({ ResourceName: restored.DBClusterArn }));
    assert.deepEqual(tags.TagList, [{ Key: "restored-from", Value: "snap1" }]);
  });

  test("an unencrypted snapshot restores encrypted when a KmsKeyId is given, checked like a create", async () => {
    const w = world();
    await createCluster(w.a.neptune, "src");
    await createSnapshot(w.a.neptune, "src", "plain");
    const key = await createKey(w.a);
    const restored = await restore(w.a.neptune, {
      DBClusterIdentifier: "now-encrypted",
      SnapshotIdentifier: "plain",
      KmsKeyId: key.KeyId,
    });
    assert.equal(restored.StorageEncrypted, true);
    assert.equal(restored.KmsKeyId, key.Arn);
    await assertFault(
      () =>
        restore(w.a.neptune, { DBClusterIdentifier: "other", SnapshotIdentifier: "plain", KmsKeyId: "alias/missing" }),
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
    const rekeyed = await restore(w.a.neptune, {
      DBClusterIdentifier: "rekeyed",
      SnapshotIdentifier: "snap1",
      KmsKeyId: second.Arn,
    });
    assert.equal(rekeyed.KmsKeyId, second.Arn);
    assert.deepEqual(await clusterDataKey(w, A, "rekeyed"), await clusterDataKey(w, A, "src"));
    await w.a.kms.send(new DisableKeyCommand({ KeyId: first.KeyId }));
    await assertFault(() => restore(w.a.neptune, { DBClusterIdentifier: "same-key", SnapshotIdentifier: "snap1" }), {
      name: "KMSKeyNotAccessibleFault",
      status: 400,
      message: sourceKeyMessage(first.Arn!),
    });
    await assertFault(
      () =>
        restore(w.a.neptune, { DBClusterIdentifier: "same-key", SnapshotIdentifier: "snap1", KmsKeyId: second.Arn }),
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
    const raw = await w.raw({
      service: "rds",
      credentials: { accessKeyId: "AKIA2222222222ADMIN2", secretAccessKey: "trident-demo-secret-222222222222-admin" },
      params: {
        Action: "RestoreDBClusterFromSnapshot",
        Version: VERSION,
        Engine: "neptune",
        DBClusterIdentifier: "restored",
        SnapshotIdentifier: arn,
      },
    });
    assertWire(raw, {
      code: "InvalidParameterValue",
      status: 400,
      message:
        "An encrypted snapshot shared from another account can't be restored directly: copy it to your account with CopyDBClusterSnapshot and a KmsKeyId of your account, then restore the copy.",
    });
    await createCluster(w.a.neptune, "plain-src");
    await createSnapshot(w.a.neptune, "plain-src", "plain");
    await share(w.a.neptune, "plain", [B]);
    const restored = await restore(w.b.neptune, {
      DBClusterIdentifier: "from-a",
      SnapshotIdentifier: snapshotArn(A, "plain"),
    });
    assert.equal(restored.DBClusterArn, `arn:aws:rds:${REGION}:${B}:cluster:from-a`);
    assert.equal(restored.StorageEncrypted, false);
    // By name it is not B's.
    await assertFault(() => restore(w.b.neptune, { DBClusterIdentifier: "by-name", SnapshotIdentifier: "plain" }), {
      name: "DBClusterSnapshotNotFoundFault",
      status: 404,
      message: "DBClusterSnapshot not found: plain",
    });
  });

  test("refusals: engine, taken cluster identifier, snapshot not available, unknown groups", async () => {
    const w = world({
      delays: { clusterCreateMs: 0, instanceCreateMs: 0, clusterModifyMs: 0, deleteMs: 0, snapshotMs: MINUTE },
    });
    await createCluster(w.a.neptune, "src");
    w.clock.advance(MINUTE);
    await createSnapshot(w.a.neptune, "src", "snap1");
    await assertFault(() => restore(w.a.neptune, { DBClusterIdentifier: "r", SnapshotIdentifier: "snap1" }), {
      name: "InvalidDBClusterSnapshotStateFault",
      status: 400,
      message: "DbClusterSnapshot snap1 is in creating state but expected it to be one of available.",
    });
    w.clock.advance(MINUTE);
    await assertFault(
      () => restore(w.a.neptune, { DBClusterIdentifier: "r", SnapshotIdentifier: "snap1", Engine: "aurora-mysql" }),
      {
        name: "InvalidParameterValue",
        status: 400,
        message: "Unrecognized engine name: aurora-mysql",
      },
    );
    await assertFault(() => restore(w.a.neptune, { DBClusterIdentifier: "src", SnapshotIdentifier: "snap1" }), {
      name: "DBClusterAlreadyExistsFault",
      status: 400,
      message: "DB Cluster already exists",
    });
    await assertFault(
      () => restore(w.a.neptune, { DBClusterIdentifier: "r", SnapshotIdentifier: "snap1", DBSubnetGroupName: "nope" }),
      {
        name: "DBSubnetGroupNotFoundFault",
        status: 404,
        message: "DB subnet group 'nope' does not exist.",
      },
    );
    await assertFault(() => restore(w.a.neptune, { DBClusterIdentifier: "r", SnapshotIdentifier: "missing" }), {
      name: "DBClusterSnapshotNotFoundFault",
      status: 404,
      message: "DBClusterSnapshot not found: missing",
    });
    // Nothing was created by the refusals.
    assert.equal(clusterTable(w.emulator.store, A, REGION).has("r"), false);
    assert.equal(clusterSnapshotTable(w.emulator.store, A, REGION).has("snap1"), true);
  });
});

describe("RestoreDBClusterToPointInTime", () => {
  test("within the retention window, with the source's key; the latest restorable time; outside it InvalidRestoreFault", async () => {
    const w = world({
      delays: { clusterCreateMs: MINUTE, instanceCreateMs: 0, clusterModifyMs: 0, deleteMs: 0, snapshotMs: 0 },
    });
    const key = await createKey(w.a);
    await createCluster(w.a.neptune, "src", { StorageEncrypted: true, KmsKeyId: key.Arn, BackupRetentionPeriod: 2 });
    w.clock.advance(3 * DAY);
    const source = await clusterOf(w.a.neptune, "src");
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
    await assertFault(() => pitr({ RestoreToTime: now, UseLatestRestorableTime: true }), {
      name: "InvalidParameterCombination",
      status: 400,
      message: "Cannot specify both RestoreToTime and UseLatestRestorableTime.",
    });
    await assertFault(() => pitr({}), {
      name: "InvalidParameterCombination",
      status: 400,
      message: "Either RestoreToTime or UseLatestRestorableTime must be specified.",
    });
    await assertFault(() => pitr({ RestoreToTime: now, RestoreType: "copy-on-write" }), {
      name: "InvalidParameterCombination",
      status: 400,
      message: "RestoreToTime can't be specified when RestoreType is copy-on-write.",
    });
    await assertFault(() => pitr({ UseLatestRestorableTime: true, SourceDBClusterIdentifier: "ghost" }), {
      name: "DBClusterNotFoundFault",
      status: 404,
      message: "DBCluster ghost not found.",
    });
    const key = await createKey(w.a);
    await assertFault(() => pitr({ UseLatestRestorableTime: true, KmsKeyId: key.Arn }), {
      name: "InvalidParameterCombination",
      status: 400,
      message: "A KmsKeyId can't be specified: DB cluster src is not encrypted.",
    });
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
      {
        name: "DBClusterNotFoundFault",
        status: 404,
        message: `DBCluster arn:aws:rds:${REGION}:${A}:cluster:src not found.`,
      },
    );
    const copyOnWrite = (await pitr({ UseLatestRestorableTime: true, RestoreType: "copy-on-write" })) as {
      DBCluster?: { DBClusterIdentifier?: string };
    };
    assert.equal(copyOnWrite.DBCluster!.DBClusterIdentifier, "r");
  });
});
