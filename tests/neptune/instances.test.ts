import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ListTagsForResourceCommand,
  ModifyDBInstanceCommand,
  RebootDBInstanceCommand,
  type CreateDBInstanceCommandInput,
  type NeptuneClient,
} from "@aws-sdk/client-neptune";
import { A, inProcess, REGION, rejection } from "../helpers/harness.js";

const VERSION = "2014-10-31";

async function createCluster(neptune: NeptuneClient, id: string, extra: Record<string, unknown> = {}) {
  return (await neptune.send(new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: "neptune", ...extra })))
    .DBCluster!;
}

async function createInstance(
  neptune: NeptuneClient,
  cluster: string,
  id: string,
  extra: Partial<CreateDBInstanceCommandInput> = {},
) {
  return (
    await neptune.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: id,
        DBClusterIdentifier: cluster,
        Engine: "neptune",
        DBInstanceClass: "db.r5.large",
        ...extra,
      }),
    )
  ).DBInstance!;
}

async function describeInstance(neptune: NeptuneClient, id: string) {
  return (await neptune.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances![0]!;
}

async function assertFault(call: () => Promise<unknown>, expected: { name: string; status: number; message: string }) {
  const error = await rejection(call);
  assert.equal(error.name, expected.name);
  assert.equal(error.$metadata?.httpStatusCode, expected.status);
  assert.equal(error.message, expected.message);
}

describe("CreateDBInstance", () => {
  test("adds a member to an available cluster: `creating` in the response, then available with an endpoint", async () => {
    const { a } = inProcess();
    const cluster = await createCluster(a.neptune, "graph");
    const created = await createInstance(a.neptune, "GRAPH", "Graph-1");
    assert.equal(created.DBInstanceIdentifier, "graph-1");
    assert.equal(created.DBInstanceStatus, "creating");
    assert.equal(created.Endpoint, undefined);
    assert.equal(created.DBClusterIdentifier, "graph");
    assert.equal(created.Engine, "neptune");
    assert.equal(created.EngineVersion, cluster.EngineVersion);
    assert.equal(created.DBInstanceClass, "db.r5.large");
    assert.equal(created.DBInstanceArn, `arn:aws:rds:${REGION}:${A}:db:graph-1`);
    assert.match(created.DbiResourceId!, /^db-[A-Z2-7]{26}$/);
    assert.equal(created.PromotionTier, 1);
    assert.deepEqual(created.DBParameterGroups, [
      { DBParameterGroupName: "default.neptune1.4", ParameterApplyStatus: "in-sync" },
    ]);
    assert.equal(created.DBSubnetGroup!.DBSubnetGroupName, "default");
    assert.equal(created.PreferredMaintenanceWindow, cluster.PreferredMaintenanceWindow);
    assert.equal(created.BackupRetentionPeriod, 1);
    assert.equal(created.StorageEncrypted, false);

    const described = await describeInstance(a.neptune, "graph-1");
    assert.equal(described.DBInstanceStatus, "available");
    assert.match(described.Endpoint!.Address!, /^graph-1\.[a-z0-9]{12}\.us-east-1\.neptune\.amazonaws\.com$/);
    assert.equal(described.Endpoint!.Port, 8182);
    assert.ok(described.InstanceCreateTime instanceof Date);
  });

  test("the first member is the writer, the others readers spread over the cluster's zones", async () => {
    const { a } = inProcess();
    await createCluster(a.neptune, "graph", { StorageEncrypted: true });
    const first = await createInstance(a.neptune, "graph", "one");
    const second = await createInstance(a.neptune, "graph", "two", { PromotionTier: 0 });
    assert.notEqual(first.AvailabilityZone, second.AvailabilityZone);
    assert.equal(second.StorageEncrypted, true);
    const cluster = (await a.neptune.send(new DescribeDBClustersCommand({ DBClusterIdentifier: "graph" })))
      .DBClusters![0]!;
    assert.deepEqual(cluster.DBClusterMembers, [
      {
        DBInstanceIdentifier: "one",
        IsClusterWriter: true,
        DBClusterParameterGroupStatus: "in-sync",
        PromotionTier: 1,
      },
      {
        DBInstanceIdentifier: "two",
        IsClusterWriter: false,
        DBClusterParameterGroupStatus: "in-sync",
        PromotionTier: 0,
      },
    ]);
    assert.equal(cluster.MultiAZ, true);
    assert.equal(second.KmsKeyId, cluster.KmsKeyId);
  });

  test("the cluster must exist, in the caller's account", async () => {
    const { a, b } = inProcess();
    await createCluster(a.neptune, "graph");
    await assertFault(() => createInstance(a.neptune, "ghost", "i"), {
      name: "DBClusterNotFoundFault",
      status: 404,
      message: "DBCluster ghost not found.",
    });
    await assertFault(() => createInstance(b.neptune, "graph", "i"), {
      name: "DBClusterNotFoundFault",
      status: 404,
      message: "DBCluster graph not found.",
    });
    await assertFault(() => createInstance(b.neptune, `arn:aws:rds:${REGION}:${A}:cluster:graph`, "i"), {
      name: "DBClusterNotFoundFault",
      status: 404,
      message: `DBCluster arn:aws:rds:${REGION}:${A}:cluster:graph not found.`,
    });
  });

  test("the engine, the identifier, the class and cluster-managed settings are checked", async () => {
    const { a, raw } = inProcess();
    await createCluster(a.neptune, "graph");
    await createInstance(a.neptune, "graph", "taken");
    await assertFault(() => createInstance(a.neptune, "graph", "x", { Engine: "mysql" }), {
      name: "InvalidParameterValue",
      status: 400,
      message: "Unrecognized engine name: mysql",
    });
    await assertFault(() => createInstance(a.neptune, "graph", "bad_id"), {
      name: "InvalidParameterValue",
      status: 400,
      message:
        "The parameter DBInstanceIdentifier is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.",
    });
    await assertFault(() => createInstance(a.neptune, "graph", "Taken"), {
      name: "DBInstanceAlreadyExistsFault",
      status: 400,
      message: "DB instance already exists",
    });
    const wire = await raw({
      service: "rds",
      params: {
        Action: "CreateDBInstance",
        Version: VERSION,
        DBInstanceIdentifier: "taken",
        DBClusterIdentifier: "graph",
        Engine: "neptune",
        DBInstanceClass: "db.r5.large",
      },
    });
    assert.equal(wire.code, "DBInstanceAlreadyExists");
    await assertFault(() => createInstance(a.neptune, "graph", "x", { DBInstanceClass: "db.m1.tiny" }), {
      name: "InvalidParameterCombination",
      status: 400,
      message:
        "RDS does not support creating a DB instance with the following combination: DBInstanceClass=db.m1.tiny, Engine=neptune, EngineVersion=1.4.4.0, LicenseModel=amazon-license. For supported combinations of instance class and database engine version, see the documentation.",
    });
    await assertFault(() => createInstance(a.neptune, "graph", "x", { KmsKeyId: "alias/aws/rds" }), {
      name: "InvalidParameterCombination",
      status: 400,
      message:
        "The requested DB Instance will be a member of a DB Cluster and its storage encryption key should not be set directly.",
    });
    await assertFault(() => createInstance(a.neptune, "graph", "x", { EngineVersion: "1.3.2.1" }), {
      name: "InvalidParameterCombination",
      status: 400,
      message:
        "The engine version requested for your DB instance (1.3.2.1) doesn't match the engine version of your DB cluster (1.4.4.0).",
    });
    await assertFault(() => createInstance(a.neptune, "graph", "x", { DBParameterGroupName: "nope" }), {
      name: "DBParameterGroupNotFoundFault",
      status: 404,
      message: "DBParameterGroup not found: nope",
    });
    await assertFault(() => createInstance(a.neptune, "graph", "x", { PromotionTier: 16 }), {
      name: "InvalidParameterValue",
      status: 400,
      message: "Invalid value 16 for PromotionTier. Must be between 0 and 15",
    });
    await assertFault(() => createInstance(a.neptune, "graph", "x", { AvailabilityZone: "us-east-1f" }), {
      name: "InvalidParameterCombination",
      status: 400,
      message: "Requested Availability Zone us-east-1f is not one of the Availability Zones of DB cluster graph.",
    });
  });

  test("Tags are set on the new instance", async () => {
    const { a } = inProcess();
    await createCluster(a.neptune, "graph");
    const created = await createInstance(a.neptune, "graph", "tagged", { Tags: [{ Key: "tier", Value: "writer" }] });
    assert.deepEqual(
      (await a.neptune.send(new ListTagsForResourceCommand({ ResourceName: created.DBInstanceArn }))).TagList,
      [{ Key: "tier", Value: "writer" }],
    );
  });
});

describe("DescribeDBInstances", () => {
  test("an instance that does not exist is DBInstanceNotFoundFault, `DBInstanceNotFound` on the wire (what the CLI waiters match)", async () => {
    const { a, raw } = inProcess();
    await assertFault(() => describeInstance(a.neptune, "ghost"), {
      name: "DBInstanceNotFoundFault",
      status: 404,
      message: "DBInstance ghost not found.",
    });
    const wire = await raw({
      service: "rds",
      params: { Action: "DescribeDBInstances", Version: VERSION, DBInstanceIdentifier: "ghost" },
    });
    assert.equal(wire.status, 404);
    assert.equal(wire.code, "DBInstanceNotFound");
    assert.equal(wire.message, "DBInstance ghost not found.");
  });

  test("filters by cluster, pages by MaxRecords", async () => {
    const { a } = inProcess();
    await createCluster(a.neptune, "big");
    await createCluster(a.neptune, "small");
    for (let i = 0; i < 21; i++) await createInstance(a.neptune, "big", `big-${String(i).padStart(2, "0")}`);
    const small = await createInstance(a.neptune, "small", "small-1");
    const page = await a.neptune.send(
      new DescribeDBInstancesCommand({ MaxRecords: 20, Filters: [{ Name: "db-cluster-id", Values: ["big"] }] }),
    );
    assert.equal(page.DBInstances!.length, 20);
    const rest = await a.neptune.send(
      new DescribeDBInstancesCommand({
        MaxRecords: 20,
        Marker: page.Marker,
        Filters: [{ Name: "db-cluster-id", Values: ["big"] }],
      }),
    );
    assert.deepEqual(
      rest.DBInstances!.map((i) => i.DBInstanceIdentifier),
      ["big-20"],
    );
    const byArn = await a.neptune.send(
      new DescribeDBInstancesCommand({ Filters: [{ Name: "db-instance-id", Values: [small.DBInstanceArn!] }] }),
    );
    assert.deepEqual(
      byArn.DBInstances!.map((i) => i.DBInstanceIdentifier),
      ["small-1"],
    );
    assert.equal((await describeInstance(a.neptune, small.DBInstanceArn!)).DBInstanceIdentifier, "small-1");
  });
});

describe("ModifyDBInstance", () => {
  test("a class change with ApplyImmediately is `modifying`; without it, pending until the maintenance window", async () => {
    const { a, clock } = inProcess();
    clock.set("2026-03-02T00:00:00Z"); // a Monday
    await createCluster(a.neptune, "graph", {
      PreferredBackupWindow: "03:00-03:30",
      PreferredMaintenanceWindow: "thu:06:00-thu:06:30",
    });
    await createInstance(a.neptune, "graph", "node");
    const now = (
      await a.neptune.send(
        new ModifyDBInstanceCommand({
          DBInstanceIdentifier: "node",
          DBInstanceClass: "db.r5.xlarge",
          ApplyImmediately: true,
        }),
      )
    ).DBInstance!;
    assert.equal(now.DBInstanceStatus, "modifying");
    assert.equal(now.DBInstanceClass, "db.r5.xlarge");
    const later = (
      await a.neptune.send(
        new ModifyDBInstanceCommand({
          DBInstanceIdentifier: "node",
          DBInstanceClass: "db.r5.2xlarge",
          PromotionTier: 4,
        }),
      )
    ).DBInstance!;
    assert.equal(later.DBInstanceStatus, "available");
    assert.equal(later.DBInstanceClass, "db.r5.xlarge");
    assert.equal(later.PromotionTier, 4);
    assert.deepEqual(later.PendingModifiedValues, { DBInstanceClass: "db.r5.2xlarge" });
    clock.set("2026-03-05T06:00:00Z");
    const applied = await describeInstance(a.neptune, "node");
    assert.equal(applied.DBInstanceClass, "db.r5.2xlarge");
    assert.deepEqual(applied.PendingModifiedValues, {});
  });

  test("a rename with ApplyImmediately keeps the writer role and the tags", async () => {
    const { a } = inProcess();
    await createCluster(a.neptune, "graph");
    await createInstance(a.neptune, "graph", "before", { Tags: [{ Key: "k", Value: "v" }] });
    const renamed = (
      await a.neptune.send(
        new ModifyDBInstanceCommand({
          DBInstanceIdentifier: "before",
          NewDBInstanceIdentifier: "after",
          ApplyImmediately: true,
        }),
      )
    ).DBInstance!;
    assert.equal(renamed.DBInstanceIdentifier, "after");
    assert.equal(renamed.DBInstanceStatus, "renaming");
    const cluster = (await a.neptune.send(new DescribeDBClustersCommand({ DBClusterIdentifier: "graph" })))
      .DBClusters![0]!;
    assert.deepEqual(
      cluster.DBClusterMembers!.map((m) => [m.DBInstanceIdentifier, m.IsClusterWriter]),
      [["after", true]],
    );
    assert.deepEqual(
      (await a.neptune.send(new ListTagsForResourceCommand({ ResourceName: renamed.DBInstanceArn }))).TagList,
      [{ Key: "k", Value: "v" }],
    );
    await assertFault(() => describeInstance(a.neptune, "before"), {
      name: "DBInstanceNotFoundFault",
      status: 404,
      message: "DBInstance before not found.",
    });
  });

  test("settings the cluster manages are refused", async () => {
    const { a } = inProcess();
    await createCluster(a.neptune, "graph");
    await createInstance(a.neptune, "graph", "node");
    await assertFault(
      () => a.neptune.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: "node", BackupRetentionPeriod: 7 })),
      {
        name: "InvalidParameterCombination",
        status: 400,
        message:
          "The requested DB Instance is a member of a DB Cluster. Set backup retention period for the DB Cluster.",
      },
    );
    await assertFault(
      () => a.neptune.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: "node", EngineVersion: "1.3.2.1" })),
      {
        name: "InvalidParameterCombination",
        status: 400,
        message: "The engine version of a DB instance in a DB cluster can only be changed by modifying the DB cluster.",
      },
    );
  });
});

describe("RebootDBInstance", () => {
  test("an available instance reboots; a rebooting one can't", async () => {
    const { a, raw } = inProcess({
      delays: { clusterCreateMs: 0, instanceCreateMs: 0, clusterModifyMs: 60_000, deleteMs: 0, snapshotMs: 0 },
    });
    await createCluster(a.neptune, "graph");
    await createInstance(a.neptune, "graph", "node");
    assert.equal(
      (await a.neptune.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: "node" }))).DBInstance!
        .DBInstanceStatus,
      "rebooting",
    );
    await assertFault(() => a.neptune.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: "node" })), {
      name: "InvalidDBInstanceStateFault",
      status: 400,
      message: "Instance node is not in available state.",
    });
    const wire = await raw({
      service: "rds",
      params: { Action: "RebootDBInstance", Version: VERSION, DBInstanceIdentifier: "node" },
    });
    assert.equal(wire.code, "InvalidDBInstanceState");
  });
});

describe("DeleteDBInstance", () => {
  test("deleting the writer promotes the reader first in promotion order; the instance is then gone", async () => {
    const { a, raw } = inProcess();
    await createCluster(a.neptune, "graph");
    await createInstance(a.neptune, "graph", "w");
    await createInstance(a.neptune, "graph", "r5", { PromotionTier: 5 });
    await createInstance(a.neptune, "graph", "r3", { PromotionTier: 3 });
    const deleted = (await a.neptune.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "w" }))).DBInstance!;
    assert.equal(deleted.DBInstanceStatus, "deleting");
    const cluster = (await a.neptune.send(new DescribeDBClustersCommand({ DBClusterIdentifier: "graph" })))
      .DBClusters![0]!;
    assert.deepEqual(
      cluster.DBClusterMembers!.map((m) => [m.DBInstanceIdentifier, m.IsClusterWriter]),
      [
        ["r3", true],
        ["r5", false],
      ],
    );
    const wire = await raw({
      service: "rds",
      params: { Action: "DescribeDBInstances", Version: VERSION, DBInstanceIdentifier: "w" },
    });
    assert.equal(wire.code, "DBInstanceNotFound");
  });

  test("deletion protection, a final snapshot and a second delete are refused", async () => {
    const { a } = inProcess({
      delays: { clusterCreateMs: 0, instanceCreateMs: 0, clusterModifyMs: 0, deleteMs: 60_000, snapshotMs: 0 },
    });
    await createCluster(a.neptune, "graph");
    await createInstance(a.neptune, "graph", "node", { DeletionProtection: true });
    await assertFault(() => a.neptune.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "node" })), {
      name: "InvalidParameterCombination",
      status: 400,
      message: "Cannot delete protected DB Instance, please disable deletion protection and try again.",
    });
    await a.neptune.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: "node", DeletionProtection: false }));
    await assertFault(
      () =>
        a.neptune.send(
          new DeleteDBInstanceCommand({ DBInstanceIdentifier: "node", FinalDBSnapshotIdentifier: "snap" }),
        ),
      {
        name: "InvalidParameterCombination",
        status: 400,
        message:
          "FinalDBSnapshotIdentifier can't be specified when deleting a DB instance that is a member of a DB cluster.",
      },
    );
    await a.neptune.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "node", SkipFinalSnapshot: true }));
    await assertFault(() => a.neptune.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "node" })), {
      name: "InvalidDBInstanceStateFault",
      status: 400,
      message: "Instance node is already being deleted.",
    });
  });
});

describe("Instances and accounts", () => {
  test("B can't see, modify, reboot or delete A's instance", async () => {
    const { a, b } = inProcess();
    await createCluster(a.neptune, "graph");
    const mine = await createInstance(a.neptune, "graph", "node");
    assert.deepEqual((await b.neptune.send(new DescribeDBInstancesCommand({}))).DBInstances, []);
    const notFound = { name: "DBInstanceNotFoundFault", status: 404, message: "DBInstance node not found." };
    await assertFault(() => describeInstance(b.neptune, "node"), notFound);
    await assertFault(
      () => b.neptune.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: "node", PromotionTier: 3 })),
      notFound,
    );
    await assertFault(() => b.neptune.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: "node" })), notFound);
    await assertFault(() => b.neptune.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "node" })), notFound);
    await assertFault(
      () => b.neptune.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: mine.DBInstanceArn! })),
      {
        name: "DBInstanceNotFoundFault",
        status: 404,
        message: `DBInstance ${mine.DBInstanceArn} not found.`,
      },
    );
    assert.equal((await describeInstance(a.neptune, "node")).DBInstanceStatus, "available");
  });
});
