import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { DisableKeyCommand, EnableKeyCommand } from "@aws-sdk/client-kms";
import {
  AddTagsToResourceCommand,
  CreateDBClusterSnapshotCommand,
  DeleteDBClusterCommand,
  DeleteDBClusterSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  ListTagsForResourceCommand,
  paginateDescribeDBClusterSnapshots,
} from "@aws-sdk/client-neptune";
import { MANUAL_SNAPSHOT_QUOTA } from "../../src/domain/neptune/snapshots.js";
import { A, B, REGION } from "../helpers/harness.js";
import { clusterNotFound, invalidCombination, invalidIdentifier, invalidValue, snapshotNotFound } from "./faults.js";
import { assertFault, assertWire, rdsQuery } from "./refusals.js";
import { createCluster, instantExcept, MINUTE } from "./resources.js";
import {
  automatedSnapshot,
  createKey,
  createSnapshot,
  describeSnapshot,
  share,
  snapshotArn,
  world,
} from "./snapshots-fixtures.js";

describe("CreateDBClusterSnapshot", () => {
  test("creating/0 in the response, then available/100 on the clock, with the cluster's settings and key", async () => {
    const w = world({ delays: instantExcept({ snapshotMs: 4 * MINUTE }) });
    const key = await createKey(w.a);
    const cluster = await createCluster(w.a.neptune, "src", { StorageEncrypted: true, KmsKeyId: key.KeyId });
    w.clock.advance(5 * MINUTE); // past the first automated backup

    const created = await createSnapshot(w.a.neptune, "SRC", "Snap1");
    assert.equal(created.Status, "creating");
    assert.equal(created.PercentProgress, 0);
    assert.equal(created.DBClusterSnapshotIdentifier, "snap1");
    assert.equal(created.DBClusterIdentifier, "src");
    assert.equal(created.SnapshotType, "manual");
    assert.equal(created.DBClusterSnapshotArn, `arn:aws:rds:${REGION}:${A}:cluster-snapshot:snap1`);
    assert.equal(created.Engine, "neptune");
    assert.equal(created.EngineVersion, cluster.EngineVersion);
    assert.equal(created.Port, 8182);
    assert.equal(created.StorageEncrypted, true);
    assert.equal(created.KmsKeyId, key.Arn);
    assert.equal(created.SourceDBClusterSnapshotArn, undefined);
    assert.deepEqual(created.AvailabilityZones, cluster.AvailabilityZones);
    assert.equal(created.SnapshotCreateTime!.getTime(), w.clock.now().getTime());
    assert.equal(created.ClusterCreateTime!.getTime(), cluster.ClusterCreateTime!.getTime());
    assert.match(created.VpcId!, /^vpc-[0-9a-f]{17}$/);

    w.clock.advance(MINUTE);
    const quarter = await describeSnapshot(w.a.neptune, "snap1");
    assert.equal(quarter.Status, "creating");
    assert.equal(quarter.PercentProgress, 25);

    w.clock.advance(3 * MINUTE);
    const done = await describeSnapshot(w.a.neptune, "snap1");
    assert.equal(done.Status, "available");
    assert.equal(done.PercentProgress, 100);
  });

  test("with instant delays the response still says creating/0; the next read available/100", async () => {
    const w = world();
    await createCluster(w.a.neptune, "src");
    const created = await createSnapshot(w.a.neptune, "src", "snap1");
    assert.deepEqual([created.Status, created.PercentProgress], ["creating", 0]);
    const read = await describeSnapshot(w.a.neptune, "snap1");
    assert.deepEqual([read.Status, read.PercentProgress], ["available", 100]);
  });

  test("tags: the explicit Tags, else the cluster's when it has CopyTagsToSnapshot", async () => {
    const w = world();
    await createCluster(w.a.neptune, "copying", { CopyTagsToSnapshot: true, Tags: [{ Key: "team", Value: "graph" }] });
    await createCluster(w.a.neptune, "plain", { Tags: [{ Key: "team", Value: "graph" }] });
    const tagsOf = async (id: string) =>
      (await w.a.neptune.send(new ListTagsForResourceCommand({ ResourceName: snapshotArn(A, id) }))).TagList;

    await createSnapshot(w.a.neptune, "copying", "inherits");
    assert.deepEqual(await tagsOf("inherits"), [{ Key: "team", Value: "graph" }]);
    await w.a.neptune.send(
      new CreateDBClusterSnapshotCommand({
        DBClusterIdentifier: "copying",
        DBClusterSnapshotIdentifier: "explicit",
        Tags: [{ Key: "purpose", Value: "move" }],
      }),
    );
    assert.deepEqual(await tagsOf("explicit"), [{ Key: "purpose", Value: "move" }]);
    await createSnapshot(w.a.neptune, "plain", "untagged");
    assert.deepEqual(await tagsOf("untagged"), []);
  });

  test("refusals: unknown cluster (404), taken identifier, invalid identifier, cluster not available", async () => {
    const w = world({ delays: instantExcept({ clusterCreateMs: 10 * MINUTE }) });
    await assertFault(() => createSnapshot(w.a.neptune, "ghost", "s1"), clusterNotFound("ghost"));
    await createCluster(w.a.neptune, "src");
    await assertFault(() => createSnapshot(w.a.neptune, "src", "s1"), {
      name: "InvalidDBClusterStateFault",
      status: 400,
      message: "Cannot create a snapshot because the database instance is not currently in the available state.",
    });
    w.clock.advance(10 * MINUTE);
    await createSnapshot(w.a.neptune, "src", "s1");
    await assertFault(() => createSnapshot(w.a.neptune, "src", "S1"), {
      name: "DBClusterSnapshotAlreadyExistsFault",
      status: 400,
      message: "Cannot create the cluster snapshot because one with the identifier s1 already exists.",
    });
    await assertFault(
      () => createSnapshot(w.a.neptune, "src", "bad--name"),
      invalidValue(invalidIdentifier("DBClusterSnapshotIdentifier")),
    );
    // Another account's cluster is not found, even by ARN.
    await assertFault(
      () => createSnapshot(w.b.neptune, `arn:aws:rds:${REGION}:${A}:cluster:src`, "s2"),
      clusterNotFound(`arn:aws:rds:${REGION}:${A}:cluster:src`),
    );
  });

  test("a cluster whose key is disabled is not available: no snapshot until the key is enabled again", async () => {
    const w = world();
    const key = await createKey(w.a);
    await createCluster(w.a.neptune, "src", { StorageEncrypted: true, KmsKeyId: key.Arn });
    await w.a.kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    await assertFault(() => createSnapshot(w.a.neptune, "src", "s1"), {
      name: "InvalidDBClusterStateFault",
      status: 400,
      message: "Cannot create a snapshot because the database instance is not currently in the available state.",
    });
    await w.a.kms.send(new EnableKeyCommand({ KeyId: key.KeyId }));
    assert.equal((await createSnapshot(w.a.neptune, "src", "s1")).KmsKeyId, key.Arn);
  });

  test("the manual snapshot quota: SnapshotQuotaExceeded on the wire", async () => {
    const w = world();
    await createCluster(w.a.neptune, "src");
    for (let i = 0; i < MANUAL_SNAPSHOT_QUOTA; i++) await createSnapshot(w.a.neptune, "src", `s${i}`);
    const raw = await rdsQuery(w.raw, "CreateDBClusterSnapshot", {
      DBClusterIdentifier: "src",
      DBClusterSnapshotIdentifier: "one-too-many",
    });
    assertWire(raw, {
      code: "SnapshotQuotaExceeded",
      status: 400,
      message: "The request cannot be processed because it would exceed the maximum number of snapshots.",
    });
    await assertFault(() => createSnapshot(w.a.neptune, "src", "one-too-many"), {
      name: "SnapshotQuotaExceededFault",
      status: 400,
      message: /maximum number of snapshots/,
    });
  });
});

describe("DeleteDBClusterSnapshot", () => {
  test("deletes an available manual snapshot; the response shows it as it was; its tags go with it", async () => {
    const w = world();
    await createCluster(w.a.neptune, "src");
    await createSnapshot(w.a.neptune, "src", "snap1");
    await w.a.neptune.send(
      new AddTagsToResourceCommand({ ResourceName: snapshotArn(A, "snap1"), Tags: [{ Key: "k", Value: "v" }] }),
    );
    const deleted = (
      await w.a.neptune.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: "SNAP1" }))
    ).DBClusterSnapshot!;
    assert.equal(deleted.DBClusterSnapshotIdentifier, "snap1");
    assert.equal(deleted.Status, "available");
    const raw = await rdsQuery(w.raw, "DescribeDBClusterSnapshots", { DBClusterSnapshotIdentifier: "snap1" });
    assertWire(raw, {
      code: "DBClusterSnapshotNotFoundFault",
      status: 404,
      message: "DBClusterSnapshot not found: snap1",
    });
    // A new snapshot of the same name starts untagged.
    await createSnapshot(w.a.neptune, "src", "snap1");
    assert.deepEqual(
      (await w.a.neptune.send(new ListTagsForResourceCommand({ ResourceName: snapshotArn(A, "snap1") }))).TagList,
      [],
    );
  });

  test("refused while creating, for automated snapshots, and for what the caller does not own", async () => {
    const w = world({ delays: instantExcept({ snapshotMs: MINUTE }) });
    await createCluster(w.a.neptune, "src");
    w.clock.advance(MINUTE);
    await createSnapshot(w.a.neptune, "src", "snap1");
    await assertFault(
      () => w.a.neptune.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: "snap1" })),
      {
        name: "InvalidDBClusterSnapshotStateFault",
        status: 400,
        message: "DbClusterSnapshot snap1 is in creating state but expected it to be one of available, copying.",
      },
    );
    const automated = await automatedSnapshot(w.a.neptune);
    await assertFault(
      () =>
        w.a.neptune.send(
          new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: automated.DBClusterSnapshotIdentifier }),
        ),
      {
        name: "InvalidDBClusterSnapshotStateFault",
        status: 400,
        message: "Only manual snapshots may be deleted.",
      },
    );
    w.clock.advance(MINUTE);
    await share(w.a.neptune, "snap1", [B]);
    for (const given of [snapshotArn(A, "snap1"), "snap1"]) {
      await assertFault(
        () => w.b.neptune.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: given })),
        snapshotNotFound(given),
      );
    }
  });

  test("manual snapshots outlive their cluster; automated ones go with it", async () => {
    const w = world();
    await createCluster(w.a.neptune, "src");
    await createSnapshot(w.a.neptune, "src", "keep");
    await w.a.neptune.send(new DeleteDBClusterCommand({ DBClusterIdentifier: "src", SkipFinalSnapshot: true }));
    const left = (await w.a.neptune.send(new DescribeDBClusterSnapshotsCommand({}))).DBClusterSnapshots!;
    assert.deepEqual(
      left.map((s) => [s.DBClusterSnapshotIdentifier, s.SnapshotType]),
      [["keep", "manual"]],
    );
  });
});

describe("DescribeDBClusterSnapshots", () => {
  test("without SnapshotType: the caller's automated and manual snapshots; each type alone; ARNs and rds: names", async () => {
    const w = world();
    await createCluster(w.a.neptune, "src");
    await createSnapshot(w.a.neptune, "src", "manual1");
    const all = (await w.a.neptune.send(new DescribeDBClusterSnapshotsCommand({}))).DBClusterSnapshots!;
    assert.equal(all.length, 2);
    const automated = all.find((s) => s.SnapshotType === "automated")!;
    assert.match(automated.DBClusterSnapshotIdentifier!, /^rds:src-\d{4}-\d\d-\d\d-\d\d-\d\d$/);
    assert.equal(
      automated.DBClusterSnapshotArn,
      `arn:aws:rds:${REGION}:${A}:cluster-snapshot:${automated.DBClusterSnapshotIdentifier}`,
    );
    const types = async (SnapshotType: string) =>
      (await w.a.neptune.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType }))).DBClusterSnapshots!.map(
        (s) => s.DBClusterSnapshotIdentifier,
      );
    assert.deepEqual(await types("manual"), ["manual1"]);
    assert.deepEqual(await types("automated"), [automated.DBClusterSnapshotIdentifier]);
    assert.deepEqual(await types("shared"), []);
    assert.deepEqual(await types("public"), []);
    // By identifier (any case), by ARN, and the automated one by its rds: name with SnapshotType automated.
    assert.equal((await describeSnapshot(w.a.neptune, "MANUAL1")).DBClusterSnapshotIdentifier, "manual1");
    assert.equal(
      (await describeSnapshot(w.a.neptune, snapshotArn(A, "manual1"))).DBClusterSnapshotIdentifier,
      "manual1",
    );
    assert.equal(
      (await describeSnapshot(w.a.neptune, automated.DBClusterSnapshotIdentifier!, { SnapshotType: "automated" }))
        .SnapshotType,
      "automated",
    );
    assert.equal((await describeSnapshot(w.a.neptune, automated.DBClusterSnapshotArn!)).SnapshotType, "automated");
  });

  test("DBClusterIdentifier lists one cluster's snapshots, even after the cluster is gone; it excludes DBClusterSnapshotIdentifier", async () => {
    const w = world();
    await createCluster(w.a.neptune, "one");
    await createCluster(w.a.neptune, "two");
    await createSnapshot(w.a.neptune, "one", "one-a");
    await createSnapshot(w.a.neptune, "two", "two-a");
    const ofCluster = async (DBClusterIdentifier: string, SnapshotType?: string) =>
      (
        await w.a.neptune.send(new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier, SnapshotType }))
      ).DBClusterSnapshots!.map((s) => s.DBClusterSnapshotIdentifier);
    await w.a.neptune.send(new DeleteDBClusterCommand({ DBClusterIdentifier: "two", SkipFinalSnapshot: true }));
    assert.deepEqual(await ofCluster("TWO", "manual"), ["two-a"]);
    assert.deepEqual(await ofCluster(`arn:aws:rds:${REGION}:${A}:cluster:one`, "manual"), ["one-a"]);
    assert.deepEqual(await ofCluster("nothing"), []);
    await assertFault(
      () =>
        w.a.neptune.send(
          new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: "one", DBClusterSnapshotIdentifier: "one-a" }),
        ),
      invalidCombination("DBClusterIdentifier and DBClusterSnapshotIdentifier cannot be used together."),
    );
    await assertFault(
      () => w.a.neptune.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: "mine" })),
      invalidValue("Invalid value mine for SnapshotType. Must be one of: automated, manual, shared, public"),
    );
  });

  test("filters: db-cluster-id, db-cluster-snapshot-id, snapshot-type, engine; an unknown filter is refused", async () => {
    const w = world();
    await createCluster(w.a.neptune, "one");
    await createCluster(w.a.neptune, "two");
    await createSnapshot(w.a.neptune, "one", "one-a");
    await createSnapshot(w.a.neptune, "two", "two-a");
    const filtered = async (Name: string, Values: string[]) =>
      (
        await w.a.neptune.send(new DescribeDBClusterSnapshotsCommand({ Filters: [{ Name, Values }] }))
      ).DBClusterSnapshots!.map((s) => s.DBClusterSnapshotIdentifier);
    assert.deepEqual((await filtered("db-cluster-id", ["one"])).length, 2); // its manual and its automated snapshot
    assert.deepEqual(await filtered("db-cluster-snapshot-id", ["two-a", snapshotArn(A, "one-a")]), ["one-a", "two-a"]);
    assert.deepEqual(await filtered("snapshot-type", ["manual"]), ["one-a", "two-a"]);
    assert.equal((await filtered("engine", ["neptune"])).length, 4);
    assert.deepEqual(await filtered("engine", ["aurora-mysql"]), []);
    await assertFault(
      () =>
        w.a.neptune.send(
          new DescribeDBClusterSnapshotsCommand({ Filters: [{ Name: "status", Values: ["available"] }] }),
        ),
      invalidValue("Unrecognized filter name: status."),
    );
  });

  test("pagination: MaxRecords 20–100 and Marker, with the SDK's paginator", async () => {
    const w = world();
    await createCluster(w.a.neptune, "src");
    for (let i = 0; i < 45; i++) {
      await createSnapshot(w.a.neptune, "src", `s${String(i).padStart(2, "0")}`);
      w.clock.advance(1000);
    }
    const first = await w.a.neptune.send(
      new DescribeDBClusterSnapshotsCommand({ SnapshotType: "manual", MaxRecords: 20 }),
    );
    assert.equal(first.DBClusterSnapshots!.length, 20);
    assert.ok(first.Marker);
    const seen: string[] = [];
    for await (const page of paginateDescribeDBClusterSnapshots(
      { client: w.a.neptune, pageSize: 20 },
      { SnapshotType: "manual" },
    )) {
      seen.push(...page.DBClusterSnapshots!.map((s) => s.DBClusterSnapshotIdentifier!));
    }
    assert.equal(seen.length, 45);
    assert.deepEqual(seen, [...seen].sort(), "oldest first");
    await assertFault(
      () => w.a.neptune.send(new DescribeDBClusterSnapshotsCommand({ MaxRecords: 5 })),
      invalidValue("Invalid value 5 for MaxRecords. Must be between 20 and 100"),
    );
  });

  test("an unknown snapshot is DBClusterSnapshotNotFoundFault (404) echoing the name or ARN as given", async () => {
    const w = world();
    const byName = await rdsQuery(w.raw, "DescribeDBClusterSnapshots", { DBClusterSnapshotIdentifier: "Ghost" });
    assertWire(byName, {
      code: "DBClusterSnapshotNotFoundFault",
      status: 404,
      message: "DBClusterSnapshot not found: Ghost",
    });
    const arn = snapshotArn(B, "ghost");
    await assertFault(
      () => w.a.neptune.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: arn })),
      snapshotNotFound(arn),
    );
  });
});
