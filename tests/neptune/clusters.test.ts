import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  ListGrantsCommand,
  PutKeyPolicyCommand,
} from "@aws-sdk/client-kms";
import {
  AddRoleToDBClusterCommand,
  AddTagsToResourceCommand,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  FailoverDBClusterCommand,
  ListTagsForResourceCommand,
  RemoveRoleFromDBClusterCommand,
  StartDBClusterCommand,
  StopDBClusterCommand,
  type CreateDBClusterCommandInput,
  type DeleteDBClusterCommandInput,
} from "@aws-sdk/client-neptune";
import { clusterSnapshotTable } from "../../src/domain/neptune/records.js";
import { A, B, inProcess, REGION } from "../helpers/harness.js";
import { keyUseStatement, ownerStatement, policyOf } from "../helpers/seed.js";
import { clusterNotFound, type Fault, invalidCombination, invalidIdentifier, invalidValue } from "./faults.js";
import { assertFault, assertRefused, assertWire, rdsQuery } from "./refusals.js";
import { createCluster, createInstance, describeCluster, modifyCluster } from "./resources.js";

describe("CreateDBCluster", () => {
  test("creates a cluster with AWS's defaults, `creating` in the response and `available` once created", async () => {
    const { a } = inProcess();
    const created = await createCluster(a.neptune, "My-Graph");
    assert.equal(created.Status, "creating");
    assert.equal(created.DBClusterIdentifier, "my-graph");
    assert.equal(created.Engine, "neptune");
    assert.equal(created.EngineVersion, "1.4.4.0");
    assert.equal(created.Port, 8182);
    assert.equal(created.DBClusterParameterGroup, "default.neptune1.4");
    assert.equal(created.DBSubnetGroup, "default");
    assert.equal(created.BackupRetentionPeriod, 1);
    assert.equal(created.DeletionProtection, false);
    assert.equal(created.StorageEncrypted, false);
    assert.equal(created.KmsKeyId, undefined);
    assert.equal(created.CopyTagsToSnapshot, false);
    assert.equal(created.IAMDatabaseAuthenticationEnabled, false);
    assert.equal(created.AllocatedStorage, 1);
    assert.equal(created.MasterUsername, "admin");
    assert.equal(created.StorageType, undefined, "standard storage is not returned");
    assert.equal(created.DBClusterArn, `arn:aws:rds:${REGION}:${A}:cluster:my-graph`);
    assert.match(created.DbClusterResourceId!, /^cluster-[A-Z2-7]{26}$/);
    // Endpoints are this machine's data-plane addresses (writer, and reader on the next loopback address).
    assert.equal(created.Endpoint, "127.0.0.1");
    assert.equal(created.ReaderEndpoint, "127.0.0.2");
    assert.match(created.PreferredBackupWindow!, /^\d\d:\d\d-\d\d:\d\d$/);
    assert.match(
      created.PreferredMaintenanceWindow!,
      /^(mon|tue|wed|thu|fri|sat|sun):\d\d:\d\d-(mon|tue|wed|thu|fri|sat|sun):\d\d:\d\d$/,
    );
    assert.deepEqual(created.AvailabilityZones, ["us-east-1a", "us-east-1b", "us-east-1c"]);
    assert.match(created.VpcSecurityGroups![0]!.VpcSecurityGroupId!, /^sg-[0-9a-f]{17}$/);
    assert.deepEqual(created.DBClusterMembers, []);
    assert.deepEqual(created.AssociatedRoles, []);

    const described = await describeCluster(a.neptune, "MY-GRAPH");
    assert.equal(described.Status, "available");
    assert.equal(described.DbClusterResourceId, created.DbClusterResourceId);
    assert.ok(described.LatestRestorableTime instanceof Date);
  });

  test("takes the settings it is given", async () => {
    const { a } = inProcess();
    const created = await createCluster(a.neptune, "tuned", {
      EngineVersion: "1.3.2.1",
      Port: 8183,
      BackupRetentionPeriod: 7,
      PreferredBackupWindow: "04:00-04:30",
      PreferredMaintenanceWindow: "Sun:05:00-Sun:05:30",
      DeletionProtection: true,
      CopyTagsToSnapshot: true,
      EnableIAMDatabaseAuthentication: true,
      EnableCloudwatchLogsExports: ["audit"],
      VpcSecurityGroupIds: ["sg-0123456789abcdef0"],
      StorageType: "iopt1",
      AvailabilityZones: ["us-east-1b", "us-east-1d"],
    });
    assert.equal(created.EngineVersion, "1.3.2.1");
    assert.equal(created.DBClusterParameterGroup, "default.neptune1.3");
    assert.equal(created.Port, 8183);
    assert.equal(created.BackupRetentionPeriod, 7);
    assert.equal(created.PreferredBackupWindow, "04:00-04:30");
    assert.equal(created.PreferredMaintenanceWindow, "sun:05:00-sun:05:30");
    assert.equal(created.DeletionProtection, true);
    assert.equal(created.CopyTagsToSnapshot, true);
    assert.equal(created.IAMDatabaseAuthenticationEnabled, true);
    assert.deepEqual(created.EnabledCloudwatchLogsExports, ["audit"]);
    assert.deepEqual(created.VpcSecurityGroups, [{ VpcSecurityGroupId: "sg-0123456789abcdef0", Status: "active" }]);
    assert.equal(created.StorageType, "iopt1");
    assert.deepEqual(created.AvailabilityZones, ["us-east-1b", "us-east-1d"]);
  });

  test("Tags are set on the new cluster", async () => {
    const { a } = inProcess();
    const created = await createCluster(a.neptune, "tagged", { Tags: [{ Key: "team", Value: "graph" }] });
    const tags = await a.neptune.send(new ListTagsForResourceCommand({ ResourceName: created.DBClusterArn }));
    assert.deepEqual(tags.TagList, [{ Key: "team", Value: "graph" }]);
  });

  test("identifiers follow AWS's rules and messages", async () => {
    const { a, raw } = inProcess();
    for (const id of ["1cluster", "my--cluster", "my-cluster-", "my_cluster", "a".repeat(64)]) {
      await assertFault(() => createCluster(a.neptune, id), invalidValue(invalidIdentifier("DBClusterIdentifier")));
    }
    assertWire(await rdsQuery(raw, "CreateDBCluster", { DBClusterIdentifier: "", Engine: "neptune" }), {
      code: "InvalidParameterValue",
      status: 400,
      message: "The parameter DBClusterIdentifier must be provided and must not be blank.",
    });
    assert.equal((await createCluster(a.neptune, "a".repeat(63))).DBClusterIdentifier, "a".repeat(63));
  });

  test("only the neptune engine: the endpoint is shared with RDS", async () => {
    const { a } = inProcess();
    await assertFault(
      () => createCluster(a.neptune, "mysql", { Engine: "aurora-mysql" }),
      invalidValue("Unrecognized engine name: aurora-mysql"),
    );
  });

  test("an identifier in use, in any case, is DBClusterAlreadyExistsFault", async () => {
    const { a, raw } = inProcess();
    await createCluster(a.neptune, "taken");
    await assertRefused(
      { a, raw },
      "CreateDBCluster",
      { DBClusterIdentifier: "TAKEN", Engine: "neptune" },
      {
        name: "DBClusterAlreadyExistsFault",
        code: "DBClusterAlreadyExistsFault",
        status: 400,
        message: "DB Cluster already exists",
      },
    );
  });

  test("settings are checked: retention, windows, version, logs, storage type", async () => {
    const { a } = inProcess();
    type Refusal = [Partial<CreateDBClusterCommandInput>, Fault];
    const retention = (days: number): Refusal => [
      { BackupRetentionPeriod: days },
      invalidValue(`Invalid backup retention period: ${days}. Must be a value from 1 to 35.`),
    ];
    const refusals: Refusal[] = [
      retention(0),
      retention(36),
      [{ PreferredBackupWindow: "04:00-04:10" }, invalidValue("The backup window must be at least 30 minutes.")],
      [
        { PreferredBackupWindow: "4am" },
        invalidValue(
          "Invalid backup window format: 4am. Should be specified as a range hh24:mi-hh24:mi (24H Clock UTC). Example: 03:15-03:45",
        ),
      ],
      [
        { PreferredBackupWindow: "04:00-05:00", PreferredMaintenanceWindow: "mon:04:30-mon:05:30" },
        invalidValue("The backup window and maintenance window must not overlap."),
      ],
      [
        { PreferredMaintenanceWindow: "someday" },
        invalidValue(
          "Invalid maintenance window format: someday. Should be specified as a range ddd:hh24:mi-ddd:hh24:mi (24H Clock UTC). Example: Sun:23:45-Mon:00:15",
        ),
      ],
      [{ EngineVersion: "9.9.9.9" }, invalidCombination("Cannot find version 9.9.9.9 for neptune")],
      [
        { EnableCloudwatchLogsExports: ["error"] },
        invalidCombination(
          "You cannot use the log types 'error' with engine version neptune 1.4.4.0. For supported log types, see the documentation.",
        ),
      ],
      [
        { EngineVersion: "1.2.1.0", StorageType: "iopt1" },
        {
          name: "StorageTypeNotSupportedFault",
          status: 400,
          message: "Storage type iopt1 is not supported for engine version 1.2.1.0.",
        },
      ],
    ];
    for (const [settings, fault] of refusals) await assertFault(() => createCluster(a.neptune, "c", settings), fault);
  });

  test("the parameter and subnet groups must exist", async () => {
    const { a, raw } = inProcess();
    await assertRefused(
      { a, raw },
      "CreateDBCluster",
      { DBClusterIdentifier: "c", Engine: "neptune", DBClusterParameterGroupName: "nope" },
      {
        name: "DBClusterParameterGroupNotFoundFault",
        code: "DBClusterParameterGroupNotFound",
        status: 404,
        message: "DBClusterParameterGroup not found: nope",
      },
    );
    await assertFault(() => createCluster(a.neptune, "c", { DBSubnetGroupName: "nope" }), {
      name: "DBSubnetGroupNotFoundFault",
      status: 404,
      message: "DB subnet group 'nope' does not exist.",
    });
    assert.equal(
      (await createCluster(a.neptune, "c", { DBClusterParameterGroupName: "default.neptune1.4" }))
        .DBClusterParameterGroup,
      "default.neptune1.4",
    );
  });
});

describe("CreateDBCluster encryption", () => {
  test("StorageEncrypted without a key uses the account's alias/aws/rds, created on first use", async () => {
    const { a } = inProcess();
    const created = await createCluster(a.neptune, "enc", { StorageEncrypted: true });
    const key = await a.kms.send(new DescribeKeyCommand({ KeyId: "alias/aws/rds" }));
    assert.equal(key.KeyMetadata!.KeyManager, "AWS");
    assert.equal(created.StorageEncrypted, true);
    assert.equal(created.KmsKeyId, key.KeyMetadata!.Arn);
  });

  test("a customer managed key by alias: the ARN is shown and Neptune holds a grant for the resource", async () => {
    const { a } = inProcess();
    const key = (await a.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await a.kms.send(new CreateAliasCommand({ AliasName: "alias/graph", TargetKeyId: key.KeyId }));
    const created = await createCluster(a.neptune, "enc", { StorageEncrypted: true, KmsKeyId: "alias/graph" });
    assert.equal(created.KmsKeyId, key.Arn);
    const grants = await a.kms.send(new ListGrantsCommand({ KeyId: key.KeyId }));
    assert.equal(grants.Grants!.length, 1);
    assert.equal(grants.Grants![0]!.GranteePrincipal, `rds.${REGION}.amazonaws.com`);
  });

  test("a key the caller can't use is KMSKeyNotAccessibleFault, naming the value as given", async () => {
    const { a, b, raw } = inProcess();
    const key = (await a.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const notAccessible = (value: string) => ({
      name: "KMSKeyNotAccessibleFault",
      code: "KMSKeyNotAccessibleFault",
      status: 400,
      message: `Specified KMS key [${value}] does not exist, is not enabled or you do not have permissions to access it.`,
    });
    // Another account's key whose policy does not name B.
    await assertFault(
      () => createCluster(b.neptune, "enc", { StorageEncrypted: true, KmsKeyId: key.Arn }),
      notAccessible(key.Arn!),
    );
    await assertRefused(
      { a, raw },
      "CreateDBCluster",
      { DBClusterIdentifier: "enc", Engine: "neptune", StorageEncrypted: true, KmsKeyId: "alias/missing" },
      notAccessible("alias/missing"),
    );
    await assertFault(() => describeCluster(b.neptune, "enc"), clusterNotFound("enc"));
  });

  test("another account's key by ARN works once its policy lets the caller use it through RDS", async () => {
    const { a, b } = inProcess();
    const key = (await a.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await a.kms.send(
      new PutKeyPolicyCommand({ KeyId: key.KeyId, Policy: policyOf(ownerStatement(), keyUseStatement()) }),
    );
    const created = await createCluster(b.neptune, "enc", { StorageEncrypted: true, KmsKeyId: key.Arn });
    assert.equal(created.KmsKeyId, key.Arn);
    assert.equal(created.DBClusterArn, `arn:aws:rds:${REGION}:${B}:cluster:enc`);
  });

  test("KmsKeyId alone encrypts; with StorageEncrypted=false it is refused", async () => {
    const { a } = inProcess();
    const key = (await a.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const created = await createCluster(a.neptune, "enc", { KmsKeyId: key.KeyId });
    assert.equal(created.StorageEncrypted, true);
    assert.equal(created.KmsKeyId, key.Arn);
    await assertFault(
      () => createCluster(a.neptune, "plain", { KmsKeyId: key.KeyId, StorageEncrypted: false }),
      invalidCombination("A KmsKeyId can be specified only for an encrypted DB cluster: set StorageEncrypted to true."),
    );
  });
});

describe("DescribeDBClusters", () => {
  test("a cluster that does not exist is DBClusterNotFoundFault (404) on the wire too", async () => {
    await assertRefused(inProcess(), "DescribeDBClusters", { DBClusterIdentifier: "ghost" }, clusterNotFound("ghost"));
  });

  test("by ARN; another account's ARN is not found", async () => {
    const { a, b } = inProcess();
    const created = await createCluster(a.neptune, "by-arn");
    assert.equal((await describeCluster(a.neptune, created.DBClusterArn!)).DBClusterIdentifier, "by-arn");
    await assertFault(() => describeCluster(b.neptune, created.DBClusterArn!), clusterNotFound(created.DBClusterArn!));
  });

  test("pages of MaxRecords (20–100) in identifier order, with a Marker", async () => {
    const { a } = inProcess();
    for (let i = 0; i < 25; i++) await createCluster(a.neptune, `c-${String(i).padStart(2, "0")}`);
    const first = await a.neptune.send(new DescribeDBClustersCommand({ MaxRecords: 20 }));
    assert.equal(first.DBClusters!.length, 20);
    assert.equal(first.DBClusters![0]!.DBClusterIdentifier, "c-00");
    assert.ok(first.Marker);
    const second = await a.neptune.send(new DescribeDBClustersCommand({ MaxRecords: 20, Marker: first.Marker }));
    assert.deepEqual(
      second.DBClusters!.map((c) => c.DBClusterIdentifier),
      ["c-20", "c-21", "c-22", "c-23", "c-24"],
    );
    assert.equal(second.Marker, undefined);
    assert.equal((await a.neptune.send(new DescribeDBClustersCommand({}))).DBClusters!.length, 25);
    for (const max of [19, 101]) {
      await assertFault(
        () => a.neptune.send(new DescribeDBClustersCommand({ MaxRecords: max })),
        invalidValue(`Invalid value ${max} for MaxRecords. Must be between 20 and 100`),
      );
    }
  });

  test("filters db-cluster-id (ids or ARNs) and engine", async () => {
    const { a } = inProcess();
    const one = await createCluster(a.neptune, "one");
    await createCluster(a.neptune, "two");
    const byId = await a.neptune.send(
      new DescribeDBClustersCommand({ Filters: [{ Name: "db-cluster-id", Values: ["two", one.DBClusterArn!] }] }),
    );
    assert.deepEqual(
      byId.DBClusters!.map((c) => c.DBClusterIdentifier),
      ["one", "two"],
    );
    const other = await a.neptune.send(
      new DescribeDBClustersCommand({ Filters: [{ Name: "engine", Values: ["aurora-mysql"] }] }),
    );
    assert.deepEqual(other.DBClusters, []);
    await assertFault(
      () => a.neptune.send(new DescribeDBClustersCommand({ Filters: [{ Name: "color", Values: ["blue"] }] })),
      invalidValue("Unrecognized filter name: color."),
    );
  });
});

describe("ModifyDBCluster", () => {
  test("settings that take effect at once, and ones that put the cluster in `modifying`", async () => {
    const { a } = inProcess();
    await createCluster(a.neptune, "mod");
    const quiet = await modifyCluster(a.neptune, "mod", {
      DeletionProtection: true,
      BackupRetentionPeriod: 14,
      CopyTagsToSnapshot: true,
    });
    assert.equal(quiet.Status, "available");
    assert.equal(quiet.DeletionProtection, true);
    assert.equal(quiet.BackupRetentionPeriod, 14);
    assert.equal(quiet.CopyTagsToSnapshot, true);
    const loud = await modifyCluster(a.neptune, "mod", {
      Port: 8200,
      CloudwatchLogsExportConfiguration: { EnableLogTypes: ["audit", "slowquery"] },
      EnableIAMDatabaseAuthentication: true,
    });
    assert.equal(loud.Status, "modifying");
    assert.equal(loud.Port, 8200);
    assert.deepEqual(loud.EnabledCloudwatchLogsExports, ["audit", "slowquery"]);
    assert.equal(loud.IAMDatabaseAuthenticationEnabled, true);
    assert.equal((await describeCluster(a.neptune, "mod")).Status, "available");
    const fewer = await modifyCluster(a.neptune, "mod", {
      CloudwatchLogsExportConfiguration: { DisableLogTypes: ["audit"] },
    });
    assert.deepEqual(fewer.EnabledCloudwatchLogsExports, ["slowquery"]);
    await assertFault(
      () => modifyCluster(a.neptune, "mod", { BackupRetentionPeriod: 40 }),
      invalidValue("Invalid backup retention period: 40. Must be a value from 1 to 35."),
    );
  });

  test("a rename with ApplyImmediately moves the cluster, its ARN and its tags", async () => {
    const { a } = inProcess();
    await createCluster(a.neptune, "old-name", { Tags: [{ Key: "k", Value: "v" }] });
    await createInstance(a.neptune, "old-name", "member");
    const renamed = await modifyCluster(a.neptune, "old-name", {
      NewDBClusterIdentifier: "New-Name",
      ApplyImmediately: true,
    });
    assert.equal(renamed.DBClusterIdentifier, "new-name");
    assert.equal(renamed.Status, "renaming");
    assert.equal(renamed.DBClusterArn, `arn:aws:rds:${REGION}:${A}:cluster:new-name`);
    assert.equal(renamed.DBClusterMembers![0]!.DBInstanceIdentifier, "member");
    await assertFault(() => describeCluster(a.neptune, "old-name"), clusterNotFound("old-name"));
    const tags = await a.neptune.send(new ListTagsForResourceCommand({ ResourceName: renamed.DBClusterArn }));
    assert.deepEqual(tags.TagList, [{ Key: "k", Value: "v" }]);
  });

  test("a rename without ApplyImmediately waits for the maintenance window", async () => {
    const { a, clock } = inProcess();
    clock.set("2026-03-02T00:00:00Z"); // a Monday
    await createCluster(a.neptune, "later", {
      PreferredMaintenanceWindow: "wed:05:00-wed:05:30",
      PreferredBackupWindow: "03:00-03:30",
    });
    const pending = await modifyCluster(a.neptune, "later", { NewDBClusterIdentifier: "sooner" });
    assert.equal(pending.DBClusterIdentifier, "later");
    assert.deepEqual(pending.PendingModifiedValues, { DBClusterIdentifier: "sooner" });
    clock.set("2026-03-04T04:59:00Z");
    assert.equal((await describeCluster(a.neptune, "later")).DBClusterIdentifier, "later");
    clock.set("2026-03-04T05:00:00Z");
    const moved = await describeCluster(a.neptune, "sooner");
    assert.equal(moved.PendingModifiedValues, undefined);
  });

  test("renaming onto an existing cluster is DBClusterAlreadyExistsFault", async () => {
    const { a } = inProcess();
    await createCluster(a.neptune, "x");
    await createCluster(a.neptune, "y");
    await assertFault(() => modifyCluster(a.neptune, "x", { NewDBClusterIdentifier: "Y", ApplyImmediately: true }), {
      name: "DBClusterAlreadyExistsFault",
      status: 400,
      message: "DB Cluster already exists",
    });
  });

  test("engine upgrades: a major one needs AllowMajorVersionUpgrade and moves to the new family's group", async () => {
    const { a } = inProcess();
    await createCluster(a.neptune, "old", { EngineVersion: "1.3.2.1" });
    await createInstance(a.neptune, "old", "old-1");
    await assertFault(
      () => modifyCluster(a.neptune, "old", { EngineVersion: "1.4.4.0" }),
      invalidCombination("The AllowMajorVersionUpgrade flag must be present when upgrading to a new major version."),
    );
    await assertFault(
      () => modifyCluster(a.neptune, "old", { EngineVersion: "1.2.1.0" }),
      invalidCombination("Cannot upgrade neptune from 1.3.2.1 to 1.2.1.0"),
    );
    const minor = await modifyCluster(a.neptune, "old", { EngineVersion: "1.3.3.0" });
    assert.equal(minor.Status, "upgrading");
    assert.equal(minor.DBClusterParameterGroup, "default.neptune1.3");
    const major = await modifyCluster(a.neptune, "old", { EngineVersion: "1.4.4.0", AllowMajorVersionUpgrade: true });
    assert.equal(major.EngineVersion, "1.4.4.0");
    assert.equal(major.DBClusterParameterGroup, "default.neptune1.4");
    const member = (await a.neptune.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "old-1" })))
      .DBInstances![0]!;
    assert.equal(member.EngineVersion, "1.4.4.0");
    assert.equal(member.DBParameterGroups![0]!.DBParameterGroupName, "default.neptune1.4");
    await assertFault(
      () => modifyCluster(a.neptune, "old", { DBInstanceParameterGroupName: "default.neptune1.4" }),
      invalidCombination(
        "The DBInstanceParameterGroupName parameter is only valid in combination with the AllowMajorVersionUpgrade parameter.",
      ),
    );
  });

  test("a cluster that is not available can't be modified", async () => {
    const { a } = inProcess();
    await createCluster(a.neptune, "asleep");
    await a.neptune.send(new StopDBClusterCommand({ DBClusterIdentifier: "asleep" }));
    await assertFault(() => modifyCluster(a.neptune, "asleep", { Port: 9000 }), {
      name: "InvalidDBClusterStateFault",
      status: 400,
      message: "DbCluster asleep is in stopped state but expected it to be one of available.",
    });
  });
});

describe("DeleteDBCluster", () => {
  test("SkipFinalSnapshot defaults to false: a final snapshot id is required, and may not come with SkipFinalSnapshot", async () => {
    const { a } = inProcess();
    await createCluster(a.neptune, "doomed");
    const refusals: [Omit<DeleteDBClusterCommandInput, "DBClusterIdentifier">, Fault][] = [
      [{}, invalidCombination("FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.")],
      [
        { SkipFinalSnapshot: true, FinalDBSnapshotIdentifier: "final" },
        invalidCombination("FinalDBSnapshotIdentifier can't be specified when SkipFinalSnapshot is enabled."),
      ],
      [{ FinalDBSnapshotIdentifier: "bad--id" }, invalidValue(invalidIdentifier("FinalDBSnapshotIdentifier"))],
    ];
    for (const [input, fault] of refusals) {
      await assertFault(
        () => a.neptune.send(new DeleteDBClusterCommand({ DBClusterIdentifier: "doomed", ...input })),
        fault,
      );
    }
  });

  test("deletion protection and members in non-deleting state refuse the delete", async () => {
    const { a } = inProcess();
    await createCluster(a.neptune, "kept", { DeletionProtection: true });
    await assertFault(
      () => a.neptune.send(new DeleteDBClusterCommand({ DBClusterIdentifier: "kept", SkipFinalSnapshot: true })),
      invalidCombination("Cannot delete protected Cluster, please disable deletion protection and try again."),
    );
    await modifyCluster(a.neptune, "kept", { DeletionProtection: false });
    await createInstance(a.neptune, "kept", "kept-1");
    await assertFault(
      () => a.neptune.send(new DeleteDBClusterCommand({ DBClusterIdentifier: "kept", SkipFinalSnapshot: true })),
      {
        name: "InvalidDBClusterStateFault",
        status: 400,
        message: "Cluster cannot be deleted, it still contains DB instances in non-deleting state.",
      },
    );
    await a.neptune.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "kept-1" }));
    const deleted = (
      await a.neptune.send(new DeleteDBClusterCommand({ DBClusterIdentifier: "kept", SkipFinalSnapshot: true }))
    ).DBCluster!;
    assert.equal(deleted.DBClusterIdentifier, "kept");
    await assertFault(() => describeCluster(a.neptune, "kept"), clusterNotFound("kept"));
  });

  test("a final snapshot is a manual snapshot that outlives the cluster; its id must be free", async () => {
    const { a, emulator } = inProcess();
    await createCluster(a.neptune, "src", { StorageEncrypted: true });
    await createCluster(a.neptune, "other");
    await a.neptune.send(
      new DeleteDBClusterCommand({ DBClusterIdentifier: "other", FinalDBSnapshotIdentifier: "Last-Words" }),
    );
    await assertFault(
      () =>
        a.neptune.send(
          new DeleteDBClusterCommand({ DBClusterIdentifier: "src", FinalDBSnapshotIdentifier: "last-words" }),
        ),
      {
        name: "DBClusterSnapshotAlreadyExistsFault",
        status: 400,
        message: "Cannot create the cluster snapshot because one with the identifier last-words already exists.",
      },
    );
    await a.neptune.send(
      new DeleteDBClusterCommand({ DBClusterIdentifier: "src", FinalDBSnapshotIdentifier: "src-final" }),
    );
    const snapshots = clusterSnapshotTable(emulator.store, A, REGION);
    const final = snapshots.get("src-final")!;
    assert.equal(final.SnapshotType, "manual");
    assert.equal(final.DBClusterIdentifier, "src");
    assert.equal(final.DBClusterSnapshotArn, `arn:aws:rds:${REGION}:${A}:cluster-snapshot:src-final`);
    assert.equal(final.StorageEncrypted, true);
    assert.ok(final.KmsKeyId && final.wrappedDataKey);
    assert.deepEqual(
      snapshots.values().filter((s) => s.SnapshotType === "automated"),
      [],
      "automated snapshots go with their cluster",
    );
  });

  test("a cluster not found, and another account's cluster, are DBClusterNotFoundFault", async () => {
    const { a, b } = inProcess();
    await createCluster(a.neptune, "mine");
    await assertFault(
      () => b.neptune.send(new DeleteDBClusterCommand({ DBClusterIdentifier: "mine", SkipFinalSnapshot: true })),
      clusterNotFound("mine"),
    );
    await assertFault(
      () =>
        b.neptune.send(
          new DeleteDBClusterCommand({
            DBClusterIdentifier: `arn:aws:rds:${REGION}:${A}:cluster:mine`,
            SkipFinalSnapshot: true,
          }),
        ),
      clusterNotFound(`arn:aws:rds:${REGION}:${A}:cluster:mine`),
    );
    assert.equal((await describeCluster(a.neptune, "mine")).Status, "available");
  });
});

describe("StopDBCluster and StartDBCluster", () => {
  test("stop → stopped, start → available, with AWS's state messages", async () => {
    const { a } = inProcess();
    await createCluster(a.neptune, "nap");
    await createInstance(a.neptune, "nap", "nap-1");
    assert.equal(
      (await a.neptune.send(new StopDBClusterCommand({ DBClusterIdentifier: "nap" }))).DBCluster!.Status,
      "stopping",
    );
    assert.equal((await describeCluster(a.neptune, "nap")).Status, "stopped");
    await assertFault(() => a.neptune.send(new StopDBClusterCommand({ DBClusterIdentifier: "nap" })), {
      name: "InvalidDBClusterStateFault",
      status: 400,
      message: "DbCluster nap is in stopped state but expected it to be one of available.",
    });
    assert.equal(
      (await a.neptune.send(new StartDBClusterCommand({ DBClusterIdentifier: "nap" }))).DBCluster!.Status,
      "starting",
    );
    assert.equal((await describeCluster(a.neptune, "nap")).Status, "available");
    await assertFault(() => a.neptune.send(new StartDBClusterCommand({ DBClusterIdentifier: "nap" })), {
      name: "InvalidDBClusterStateFault",
      status: 400,
      message:
        "DbCluster nap is in available state but expected it to be one of stopped, inaccessible-encryption-credentials-recoverable.",
    });
  });
});

describe("FailoverDBCluster", () => {
  test("promotes the reader first in promotion order, or the target", async () => {
    const { a } = inProcess();
    await createCluster(a.neptune, "ha");
    await createInstance(a.neptune, "ha", "w", { PromotionTier: 1 });
    await createInstance(a.neptune, "ha", "r2", { PromotionTier: 2 });
    await createInstance(a.neptune, "ha", "r0", { PromotionTier: 0 });
    const writer = async () =>
      (await describeCluster(a.neptune, "ha")).DBClusterMembers!.find((m) => m.IsClusterWriter)!.DBInstanceIdentifier;
    assert.equal(await writer(), "w");
    const failed = (await a.neptune.send(new FailoverDBClusterCommand({ DBClusterIdentifier: "ha" }))).DBCluster!;
    assert.equal(failed.Status, "failing-over");
    assert.equal(await writer(), "r0");
    await a.neptune.send(new FailoverDBClusterCommand({ DBClusterIdentifier: "ha", TargetDBInstanceIdentifier: "r2" }));
    assert.equal(await writer(), "r2");
    await assertFault(
      () =>
        a.neptune.send(new FailoverDBClusterCommand({ DBClusterIdentifier: "ha", TargetDBInstanceIdentifier: "r2" })),
      invalidValue("The target instance r2 is not a reader instance of DB cluster ha."),
    );
  });

  test("a cluster without instances can't fail over", async () => {
    const { a } = inProcess();
    await createCluster(a.neptune, "lonely");
    await assertFault(() => a.neptune.send(new FailoverDBClusterCommand({ DBClusterIdentifier: "lonely" })), {
      name: "InvalidDBClusterStateFault",
      status: 400,
      message: "DbCluster lonely has no DB instances to fail over to.",
    });
  });
});

describe("AddRoleToDBCluster and RemoveRoleFromDBCluster", () => {
  test("associate, refuse a duplicate, remove, refuse removing what is not there", async () => {
    const { a, raw } = inProcess();
    await createCluster(a.neptune, "roles");
    const RoleArn = `arn:aws:iam::${A}:role/NeptuneLoadFromS3`;
    await a.neptune.send(new AddRoleToDBClusterCommand({ DBClusterIdentifier: "roles", RoleArn }));
    assert.deepEqual((await describeCluster(a.neptune, "roles")).AssociatedRoles, [{ RoleArn, Status: "ACTIVE" }]);
    await assertRefused(
      { a, raw },
      "AddRoleToDBCluster",
      { DBClusterIdentifier: "roles", RoleArn },
      {
        name: "DBClusterRoleAlreadyExistsFault",
        code: "DBClusterRoleAlreadyExists",
        status: 400,
        message: `Role ARN ${RoleArn} is already associated with DB Cluster: Verify your role ARN and try again.`,
      },
    );
    await a.neptune.send(new RemoveRoleFromDBClusterCommand({ DBClusterIdentifier: "roles", RoleArn }));
    assert.deepEqual((await describeCluster(a.neptune, "roles")).AssociatedRoles, []);
    await assertFault(
      () => a.neptune.send(new RemoveRoleFromDBClusterCommand({ DBClusterIdentifier: "roles", RoleArn })),
      {
        name: "DBClusterRoleNotFoundFault",
        status: 404,
        message: `Role ARN ${RoleArn} cannot be found for DB Cluster: roles. Verify your role ARN and try again.`,
      },
    );
  });
});

describe("Isolation between accounts", () => {
  test("B can't see, modify, stop, tag or delete A's cluster", async () => {
    const { a, b } = inProcess();
    const mine = await createCluster(a.neptune, "private");
    assert.deepEqual((await b.neptune.send(new DescribeDBClustersCommand({}))).DBClusters, []);
    const notFound = clusterNotFound("private");
    await assertFault(() => modifyCluster(b.neptune, "private", { DeletionProtection: true }), notFound);
    await assertFault(() => b.neptune.send(new StopDBClusterCommand({ DBClusterIdentifier: "private" })), notFound);
    await assertFault(
      () =>
        b.neptune.send(
          new AddTagsToResourceCommand({ ResourceName: mine.DBClusterArn, Tags: [{ Key: "x", Value: "y" }] }),
        ),
      notFound,
    );
    // B may use the same name for a cluster of its own.
    assert.equal(
      (await createCluster(b.neptune, "private")).DBClusterArn,
      `arn:aws:rds:${REGION}:${B}:cluster:private`,
    );
    assert.equal((await describeCluster(a.neptune, "private")).DbClusterResourceId, mine.DbClusterResourceId);
  });
});
