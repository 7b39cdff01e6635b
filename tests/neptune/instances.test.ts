import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  ListTagsForResourceCommand,
  RebootDBInstanceCommand,
  type CreateDBInstanceCommandInput,
} from "@aws-sdk/client-neptune";
import { A, inProcess, REGION } from "../helpers/harness.js";
import {
  clusterNotFound,
  type Fault,
  instanceNotFound,
  invalidCombination,
  invalidIdentifier,
  invalidValue,
} from "./faults.js";
import { assertFault, assertRefused, assertWire, rdsQuery } from "./refusals.js";
import {
  createCluster,
  createInstance,
  describeCluster,
  describeInstance,
  instantExcept,
  modifyInstance,
} from "./resources.js";

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
    // The instance's own endpoint: this machine, on a port of its own after its cluster's 8182.
    assert.equal(described.Endpoint!.Address, "127.0.0.1");
    assert.equal(described.Endpoint!.Port, 8183);
    assert.ok(described.InstanceCreateTime instanceof Date);
  });

  test("the first member is the writer, the others readers spread over the cluster's zones", async () => {
    const { a } = inProcess();
    await createCluster(a.neptune, "graph", { StorageEncrypted: true });
    const first = await createInstance(a.neptune, "graph", "one");
    const second = await createInstance(a.neptune, "graph", "two", { PromotionTier: 0 });
    assert.notEqual(first.AvailabilityZone, second.AvailabilityZone);
    assert.equal(second.StorageEncrypted, true);
    const cluster = await describeCluster(a.neptune, "graph");
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
    await assertFault(() => createInstance(a.neptune, "ghost", "i"), clusterNotFound("ghost"));
    await assertFault(() => createInstance(b.neptune, "graph", "i"), clusterNotFound("graph"));
    await assertFault(
      () => createInstance(b.neptune, `arn:aws:rds:${REGION}:${A}:cluster:graph`, "i"),
      clusterNotFound(`arn:aws:rds:${REGION}:${A}:cluster:graph`),
    );
  });

  test("the engine, the identifier, the class and cluster-managed settings are checked", async () => {
    const { a, raw } = inProcess();
    await createCluster(a.neptune, "graph");
    await createInstance(a.neptune, "graph", "taken");
    await assertRefused(
      { a, raw },
      "CreateDBInstance",
      {
        DBInstanceIdentifier: "Taken",
        DBClusterIdentifier: "graph",
        Engine: "neptune",
        DBInstanceClass: "db.r5.large",
      },
      {
        name: "DBInstanceAlreadyExistsFault",
        code: "DBInstanceAlreadyExists",
        status: 400,
        message: "DB instance already exists",
      },
    );
    const refusals: [id: string, settings: Partial<CreateDBInstanceCommandInput>, Fault][] = [
      ["x", { Engine: "mysql" }, invalidValue("Unrecognized engine name: mysql")],
      ["bad_id", {}, invalidValue(invalidIdentifier("DBInstanceIdentifier"))],
      [
        "x",
        { DBInstanceClass: "db.m1.tiny" },
        invalidCombination(
          "RDS does not support creating a DB instance with the following combination: DBInstanceClass=db.m1.tiny, Engine=neptune, EngineVersion=1.4.4.0, LicenseModel=amazon-license. For supported combinations of instance class and database engine version, see the documentation.",
        ),
      ],
      [
        "x",
        { KmsKeyId: "alias/aws/rds" },
        invalidCombination(
          "The requested DB Instance will be a member of a DB Cluster and its storage encryption key should not be set directly.",
        ),
      ],
      [
        "x",
        { EngineVersion: "1.3.2.1" },
        invalidCombination(
          "The engine version requested for your DB instance (1.3.2.1) doesn't match the engine version of your DB cluster (1.4.4.0).",
        ),
      ],
      [
        "x",
        { DBParameterGroupName: "nope" },
        { name: "DBParameterGroupNotFoundFault", status: 404, message: "DBParameterGroup not found: nope" },
      ],
      ["x", { PromotionTier: 16 }, invalidValue("Invalid value 16 for PromotionTier. Must be between 0 and 15")],
      [
        "x",
        { AvailabilityZone: "us-east-1f" },
        invalidCombination(
          "Requested Availability Zone us-east-1f is not one of the Availability Zones of DB cluster graph.",
        ),
      ],
    ];
    for (const [id, settings, fault] of refusals) {
      await assertFault(() => createInstance(a.neptune, "graph", id, settings), fault);
    }
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
    await assertRefused(
      inProcess(),
      "DescribeDBInstances",
      { DBInstanceIdentifier: "ghost" },
      instanceNotFound("ghost"),
    );
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
    const now = await modifyInstance(a.neptune, "node", { DBInstanceClass: "db.r5.xlarge", ApplyImmediately: true });
    assert.equal(now.DBInstanceStatus, "modifying");
    assert.equal(now.DBInstanceClass, "db.r5.xlarge");
    const later = await modifyInstance(a.neptune, "node", { DBInstanceClass: "db.r5.2xlarge", PromotionTier: 4 });
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
    const renamed = await modifyInstance(a.neptune, "before", {
      NewDBInstanceIdentifier: "after",
      ApplyImmediately: true,
    });
    assert.equal(renamed.DBInstanceIdentifier, "after");
    assert.equal(renamed.DBInstanceStatus, "renaming");
    const cluster = await describeCluster(a.neptune, "graph");
    assert.deepEqual(
      cluster.DBClusterMembers!.map((m) => [m.DBInstanceIdentifier, m.IsClusterWriter]),
      [["after", true]],
    );
    assert.deepEqual(
      (await a.neptune.send(new ListTagsForResourceCommand({ ResourceName: renamed.DBInstanceArn }))).TagList,
      [{ Key: "k", Value: "v" }],
    );
    await assertFault(() => describeInstance(a.neptune, "before"), instanceNotFound("before"));
  });

  test("settings the cluster manages are refused", async () => {
    const { a } = inProcess();
    await createCluster(a.neptune, "graph");
    await createInstance(a.neptune, "graph", "node");
    await assertFault(
      () => modifyInstance(a.neptune, "node", { BackupRetentionPeriod: 7 }),
      invalidCombination(
        "The requested DB Instance is a member of a DB Cluster. Set backup retention period for the DB Cluster.",
      ),
    );
    await assertFault(
      () => modifyInstance(a.neptune, "node", { EngineVersion: "1.3.2.1" }),
      invalidCombination(
        "The engine version of a DB instance in a DB cluster can only be changed by modifying the DB cluster.",
      ),
    );
  });
});

describe("RebootDBInstance", () => {
  test("an available instance reboots; a rebooting one can't", async () => {
    const { a, raw } = inProcess({ delays: instantExcept({ clusterModifyMs: 60_000 }) });
    await createCluster(a.neptune, "graph");
    await createInstance(a.neptune, "graph", "node");
    assert.equal(
      (await a.neptune.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: "node" }))).DBInstance!
        .DBInstanceStatus,
      "rebooting",
    );
    await assertRefused(
      { a, raw },
      "RebootDBInstance",
      { DBInstanceIdentifier: "node" },
      {
        name: "InvalidDBInstanceStateFault",
        code: "InvalidDBInstanceState",
        status: 400,
        message: "Instance node is not in available state.",
      },
    );
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
    const cluster = await describeCluster(a.neptune, "graph");
    assert.deepEqual(
      cluster.DBClusterMembers!.map((m) => [m.DBInstanceIdentifier, m.IsClusterWriter]),
      [
        ["r3", true],
        ["r5", false],
      ],
    );
    assertWire(await rdsQuery(raw, "DescribeDBInstances", { DBInstanceIdentifier: "w" }), {
      code: "DBInstanceNotFound",
      status: 404,
    });
  });

  test("deletion protection, a final snapshot and a second delete are refused", async () => {
    const { a } = inProcess({ delays: instantExcept({ deleteMs: 60_000 }) });
    await createCluster(a.neptune, "graph");
    await createInstance(a.neptune, "graph", "node", { DeletionProtection: true });
    await assertFault(
      () => a.neptune.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "node" })),
      invalidCombination("Cannot delete protected DB Instance, please disable deletion protection and try again."),
    );
    await modifyInstance(a.neptune, "node", { DeletionProtection: false });
    await assertFault(
      () =>
        a.neptune.send(
          new DeleteDBInstanceCommand({ DBInstanceIdentifier: "node", FinalDBSnapshotIdentifier: "snap" }),
        ),
      invalidCombination(
        "FinalDBSnapshotIdentifier can't be specified when deleting a DB instance that is a member of a DB cluster.",
      ),
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
    const notFound = instanceNotFound("node");
    await assertFault(() => describeInstance(b.neptune, "node"), notFound);
    await assertFault(() => modifyInstance(b.neptune, "node", { PromotionTier: 3 }), notFound);
    await assertFault(() => b.neptune.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: "node" })), notFound);
    await assertFault(() => b.neptune.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "node" })), notFound);
    await assertFault(
      () => b.neptune.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: mine.DBInstanceArn! })),
      instanceNotFound(mine.DBInstanceArn!),
    );
    assert.equal((await describeInstance(a.neptune, "node")).DBInstanceStatus, "available");
  });
});
