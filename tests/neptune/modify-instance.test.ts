import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  DescribeEventsCommand,
  ListTagsForResourceCommand,
  ModifyDBInstanceCommand,
  RebootDBInstanceCommand,
  type ModifyDBInstanceCommandInput,
  type NeptuneClient,
} from "@aws-sdk/client-neptune";
import { A, inProcess, REGION } from "../helpers/harness.js";
import { type Fault, instanceNotFound, invalidCombination, invalidIdentifier, invalidValue } from "./faults.js";
import { assertFault, assertRefused } from "./refusals.js";
import {
  createCluster,
  createInstance,
  createInstanceParameterGroup,
  describeCluster,
  describeInstance,
  instantExcept,
  MINUTE,
} from "./resources.js";

/**
 * ModifyDBInstance through the SDK (the wire code of each refusal through a raw signed request): what applies at
 * once, what waits for the maintenance window unless ApplyImmediately (then `modifying` on the clock), renames,
 * parameter groups (their apply status: parameter-apply-status.test.ts) and AWS's refusals, which change nothing.
 */

const modify = async (
  neptune: NeptuneClient,
  id: string,
  changes: Omit<ModifyDBInstanceCommandInput, "DBInstanceIdentifier">,
) => (await neptune.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, ...changes }))).DBInstance!;

/** A cluster whose windows are known (Mondays, the clock set on one), an instance in it, modifications taking a minute. */
async function world() {
  const env = inProcess({ delays: instantExcept({ clusterModifyMs: MINUTE }) });
  env.clock.set("2026-03-02T00:00:00Z"); // a Monday
  await createCluster(env.a.neptune, "graph", {
    PreferredBackupWindow: "03:00-03:30",
    PreferredMaintenanceWindow: "thu:06:00-thu:06:30",
  });
  await createInstance(env.a.neptune, "graph", "node", { Tags: [{ Key: "team", Value: "graph" }] });
  return env;
}

const THURSDAY_WINDOW = "2026-03-05T06:00:00Z";

/** InvalidParameterCombination as the SDK and the wire show it. */
const combinationRefusal = (message: string) => ({
  ...invalidCombination(message),
  code: "InvalidParameterCombination",
  message,
});

describe("ModifyDBInstance: DBInstanceClass", () => {
  test("with ApplyImmediately the instance is `modifying` with the new class, then available on the clock", async () => {
    const { a, clock } = await world();
    const response = await modify(a.neptune, "node", { DBInstanceClass: "db.r6g.xlarge", ApplyImmediately: true });
    assert.equal(response.DBInstanceStatus, "modifying");
    assert.equal(response.DBInstanceClass, "db.r6g.xlarge");
    assert.deepEqual(response.PendingModifiedValues, {});
    assert.equal((await describeInstance(a.neptune, "node")).DBInstanceStatus, "modifying");
    clock.advance(MINUTE - 1);
    assert.equal((await describeInstance(a.neptune, "node")).DBInstanceStatus, "modifying");
    clock.advance(1);
    const done = await describeInstance(a.neptune, "node");
    assert.equal(done.DBInstanceStatus, "available");
    assert.equal(done.DBInstanceClass, "db.r6g.xlarge");
    // RDS-EVENT-0014, dated when the modification finished.
    const events = await a.neptune.send(
      new DescribeEventsCommand({ SourceIdentifier: "node", SourceType: "db-instance" }),
    );
    const finished = events.Events!.find((e) => e.Message === "Finished applying modification to DB instance class");
    assert.equal(finished?.Date?.toISOString(), "2026-03-02T00:01:00.000Z");
  });

  test("without it the change is pending until the maintenance window; a reboot does not apply it", async () => {
    const { a, clock } = await world();
    const response = await modify(a.neptune, "node", { DBInstanceClass: "db.r5.2xlarge" });
    assert.equal(response.DBInstanceStatus, "available");
    assert.equal(response.DBInstanceClass, "db.r5.large");
    assert.deepEqual(response.PendingModifiedValues, { DBInstanceClass: "db.r5.2xlarge" });
    await a.neptune.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: "node" }));
    clock.set("2026-03-05T05:59:59Z");
    const before = await describeInstance(a.neptune, "node");
    assert.equal(before.DBInstanceClass, "db.r5.large");
    assert.deepEqual(before.PendingModifiedValues, { DBInstanceClass: "db.r5.2xlarge" });

    // At the window's start the change is applied: the instance restarts, `modifying` for the minute it takes.
    clock.set(THURSDAY_WINDOW);
    const applying = await describeInstance(a.neptune, "node");
    assert.equal(applying.DBInstanceClass, "db.r5.2xlarge");
    assert.equal(applying.DBInstanceStatus, "modifying");
    assert.deepEqual(applying.PendingModifiedValues, {});
    clock.advance(MINUTE);
    assert.equal((await describeInstance(a.neptune, "node")).DBInstanceStatus, "available");
  });

  test("ApplyImmediately applies the changes pending from earlier requests too", async () => {
    const { a } = await world();
    await modify(a.neptune, "node", { DBInstanceClass: "db.r5.xlarge", CACertificateIdentifier: "rds-ca-rsa4096-g1" });
    const response = await modify(a.neptune, "node", { PromotionTier: 3, ApplyImmediately: true });
    assert.equal(response.DBInstanceStatus, "modifying");
    assert.equal(response.DBInstanceClass, "db.r5.xlarge");
    assert.equal(response.CACertificateIdentifier, "rds-ca-rsa4096-g1");
    assert.equal(response.PromotionTier, 3);
    assert.deepEqual(response.PendingModifiedValues, {});
  });

  test("a class Neptune does not sell is InvalidParameterCombination, and nothing else in the request is applied", async () => {
    const { a, raw } = await world();
    await assertRefused(
      { a, raw },
      "ModifyDBInstance",
      { DBInstanceIdentifier: "node", DBInstanceClass: "db.m5.large", PromotionTier: 7, ApplyImmediately: true },
      combinationRefusal(
        "RDS does not support creating a DB instance with the following combination: DBInstanceClass=db.m5.large, Engine=neptune, EngineVersion=1.4.4.0, LicenseModel=amazon-license. For supported combinations of instance class and database engine version, see the documentation.",
      ),
    );
    const unchanged = await describeInstance(a.neptune, "node");
    assert.deepEqual(
      [unchanged.DBInstanceClass, unchanged.PromotionTier, unchanged.DBInstanceStatus],
      ["db.r5.large", 1, "available"],
    );
  });
});

describe("ModifyDBInstance: settings that apply at once", () => {
  test("PromotionTier (0–15) orders the cluster's failover; AutoMinorVersionUpgrade, CopyTagsToSnapshot, DeletionProtection", async () => {
    const { a } = await world();
    const response = await modify(a.neptune, "node", {
      PromotionTier: 0,
      AutoMinorVersionUpgrade: false,
      CopyTagsToSnapshot: true,
      DeletionProtection: true,
    });
    assert.deepEqual(
      [response.DBInstanceStatus, response.PromotionTier, response.AutoMinorVersionUpgrade],
      ["available", 0, false],
    );
    assert.deepEqual([response.CopyTagsToSnapshot, response.DeletionProtection], [true, true]);
    assert.deepEqual(response.PendingModifiedValues, {});
    assert.equal((await describeCluster(a.neptune, "graph")).DBClusterMembers![0]!.PromotionTier, 0);
    const described = await describeInstance(a.neptune, "node");
    assert.deepEqual([described.PromotionTier, described.AutoMinorVersionUpgrade], [0, false]);
    assert.equal((await modify(a.neptune, "node", { PromotionTier: 15 })).PromotionTier, 15);
    assert.equal((await modify(a.neptune, "node", { AutoMinorVersionUpgrade: true })).AutoMinorVersionUpgrade, true);
    for (const tier of [16, -1]) {
      await assertFault(
        () => modify(a.neptune, "node", { PromotionTier: tier }),
        invalidValue(`Invalid value ${tier} for PromotionTier. Must be between 0 and 15`),
      );
    }
    assert.equal((await describeInstance(a.neptune, "node")).PromotionTier, 15);
  });

  test("PreferredMaintenanceWindow: ddd:hh24:mi-ddd:hh24:mi, 30 minutes to 24 hours, clear of the cluster's backup window", async () => {
    const { a, clock } = await world();
    const moved = await modify(a.neptune, "node", { PreferredMaintenanceWindow: "Sat:22:00-Sat:23:00" });
    assert.equal(moved.PreferredMaintenanceWindow, "sat:22:00-sat:23:00");
    const refusals: [window: string, Fault][] = [
      [
        "saturday 22:00",
        invalidValue(
          "Invalid maintenance window format: saturday 22:00. Should be specified as a range ddd:hh24:mi-ddd:hh24:mi (24H Clock UTC). Example: Sun:23:45-Mon:00:15",
        ),
      ],
      ["sun:10:00-sun:10:15", invalidValue("The maintenance window must be at least 30 minutes.")],
      ["sun:10:00-mon:12:00", invalidValue("Maintenance window must be less than 24 hours.")],
      // The cluster backs up daily at 03:00-03:30.
      ["tue:02:45-tue:03:15", invalidValue("The backup window and maintenance window must not overlap.")],
    ];
    for (const [window, fault] of refusals) {
      await assertFault(() => modify(a.neptune, "node", { PreferredMaintenanceWindow: window }), fault);
    }
    assert.equal((await describeInstance(a.neptune, "node")).PreferredMaintenanceWindow, "sat:22:00-sat:23:00");
    // A pending change now waits for the new window: not Thursday's, Saturday's.
    await modify(a.neptune, "node", { DBInstanceClass: "db.r5.xlarge" });
    clock.set(THURSDAY_WINDOW);
    assert.equal((await describeInstance(a.neptune, "node")).DBInstanceClass, "db.r5.large");
    clock.set("2026-03-07T22:00:00Z");
    assert.equal((await describeInstance(a.neptune, "node")).DBInstanceClass, "db.r5.xlarge");
  });
});

describe("ModifyDBInstance: NewDBInstanceIdentifier", () => {
  test("with ApplyImmediately: `renaming`, a new ARN, the tags follow, the old name is gone, the writer role stays", async () => {
    const { a, raw, clock } = await world();
    const before = await describeInstance(a.neptune, "node");
    const renamed = await modify(a.neptune, "node", { NewDBInstanceIdentifier: "Primary", ApplyImmediately: true });
    assert.equal(renamed.DBInstanceIdentifier, "primary");
    assert.equal(renamed.DBInstanceStatus, "renaming");
    assert.equal(renamed.DBInstanceArn, `arn:aws:rds:${REGION}:${A}:db:primary`);
    assert.equal(renamed.DbiResourceId, before.DbiResourceId);
    // The endpoint is this machine's address and the instance's own port: it does not move with the name (AWS's
    // DNS name, <id>.<cluster>.<region>.neptune.amazonaws.com, does).
    assert.deepEqual(renamed.Endpoint, before.Endpoint);
    assert.deepEqual(
      (await a.neptune.send(new ListTagsForResourceCommand({ ResourceName: renamed.DBInstanceArn }))).TagList,
      [{ Key: "team", Value: "graph" }],
    );
    // The old ARN names nothing any more.
    await assertFault(
      () => a.neptune.send(new ListTagsForResourceCommand({ ResourceName: before.DBInstanceArn })),
      instanceNotFound("node"),
    );
    await assertRefused({ a, raw }, "DescribeDBInstances", { DBInstanceIdentifier: "node" }, instanceNotFound("node"));
    assert.deepEqual(
      (await describeCluster(a.neptune, "graph")).DBClusterMembers!.map((m) => [
        m.DBInstanceIdentifier,
        m.IsClusterWriter,
      ]),
      [["primary", true]],
    );
    clock.advance(MINUTE);
    assert.equal((await describeInstance(a.neptune, "primary")).DBInstanceStatus, "available");
  });

  test("without it the rename is pending until the maintenance window", async () => {
    const { a, clock } = await world();
    const response = await modify(a.neptune, "node", { NewDBInstanceIdentifier: "later" });
    assert.equal(response.DBInstanceIdentifier, "node");
    assert.deepEqual(response.PendingModifiedValues, { DBInstanceIdentifier: "later" });
    clock.set(THURSDAY_WINDOW);
    const renamed = await describeInstance(a.neptune, "later");
    assert.equal(renamed.DBInstanceArn, `arn:aws:rds:${REGION}:${A}:db:later`);
    assert.equal(renamed.DBInstanceStatus, "renaming");
    assert.deepEqual(renamed.PendingModifiedValues, {});
  });

  test("an identifier taken or invalid is refused", async () => {
    const { a, raw } = await world();
    await createInstance(a.neptune, "graph", "other");
    await assertRefused(
      { a, raw },
      "ModifyDBInstance",
      { DBInstanceIdentifier: "node", NewDBInstanceIdentifier: "Other", ApplyImmediately: true },
      {
        name: "DBInstanceAlreadyExistsFault",
        code: "DBInstanceAlreadyExists",
        status: 400,
        message: "DB instance already exists",
      },
    );
    await assertFault(
      () => modify(a.neptune, "node", { NewDBInstanceIdentifier: "two--hyphens" }),
      invalidValue(invalidIdentifier("NewDBInstanceIdentifier")),
    );
    assert.equal((await describeInstance(a.neptune, "node")).DBInstanceIdentifier, "node");
  });
});

describe("ModifyDBInstance: CACertificateIdentifier", () => {
  test("applied with ApplyImmediately (the instance restarts), else pending; an unknown certificate is CertificateNotFound", async () => {
    const { a, raw, clock } = await world();
    assert.equal((await describeInstance(a.neptune, "node")).CACertificateIdentifier, "rds-ca-rsa2048-g1");
    const now = await modify(a.neptune, "node", {
      CACertificateIdentifier: "rds-ca-ecc384-g1",
      ApplyImmediately: true,
    });
    assert.deepEqual([now.CACertificateIdentifier, now.DBInstanceStatus], ["rds-ca-ecc384-g1", "modifying"]);
    clock.advance(MINUTE);
    const later = await modify(a.neptune, "node", { CACertificateIdentifier: "rds-ca-rsa4096-g1" });
    assert.deepEqual([later.CACertificateIdentifier, later.DBInstanceStatus], ["rds-ca-ecc384-g1", "available"]);
    assert.deepEqual(later.PendingModifiedValues, { CACertificateIdentifier: "rds-ca-rsa4096-g1" });
    clock.set(THURSDAY_WINDOW);
    assert.equal((await describeInstance(a.neptune, "node")).CACertificateIdentifier, "rds-ca-rsa4096-g1");
    clock.advance(MINUTE);
    // The CA that expired in August 2024.
    await assertRefused(
      { a, raw },
      "ModifyDBInstance",
      { DBInstanceIdentifier: "node", CACertificateIdentifier: "rds-ca-2019", ApplyImmediately: true },
      {
        name: "CertificateNotFoundFault",
        code: "CertificateNotFound",
        status: 404,
        message: "Certificate rds-ca-2019 not found",
      },
    );
    assert.equal((await describeInstance(a.neptune, "node")).CACertificateIdentifier, "rds-ca-rsa4096-g1");
  });
});

describe("ModifyDBInstance: DBParameterGroupName", () => {
  test("the group is changed at once, its parameters wait for a reboot (pending-reboot); a group of another family is not found", async () => {
    const { a, raw, clock } = await world();
    await createInstanceParameterGroup(a.neptune, "tuned", "neptune1.4");
    await createInstanceParameterGroup(a.neptune, "older", "neptune1.3");
    const changed = await modify(a.neptune, "node", { DBParameterGroupName: "Tuned" });
    assert.equal(changed.DBInstanceStatus, "available");
    assert.deepEqual(changed.DBParameterGroups, [
      { DBParameterGroupName: "tuned", ParameterApplyStatus: "pending-reboot" },
    ]);
    await a.neptune.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: "node" }));
    clock.advance(MINUTE);
    assert.deepEqual((await describeInstance(a.neptune, "node")).DBParameterGroups, [
      { DBParameterGroupName: "tuned", ParameterApplyStatus: "in-sync" },
    ]);
    await assertRefused(
      { a, raw },
      "ModifyDBInstance",
      { DBInstanceIdentifier: "node", DBParameterGroupName: "older" },
      {
        name: "DBParameterGroupNotFoundFault",
        code: "DBParameterGroupNotFound",
        status: 404,
        message: "DBParameterGroup not found: older",
      },
    );
    await assertFault(() => modify(a.neptune, "node", { DBParameterGroupName: "nope" }), {
      name: "DBParameterGroupNotFoundFault",
      status: 404,
      message: "DBParameterGroup not found: nope",
    });
  });
});

describe("ModifyDBInstance: refusals", () => {
  test("an instance that does not exist, or another account's, is DBInstanceNotFound", async () => {
    const { a, b, raw } = await world();
    await assertRefused(
      { a, raw },
      "ModifyDBInstance",
      { DBInstanceIdentifier: "ghost", PromotionTier: 2 },
      instanceNotFound("ghost"),
    );
    await assertFault(() => modify(b.neptune, "node", { PromotionTier: 2 }), instanceNotFound("node"));
    await assertFault(
      () => modify(b.neptune, `arn:aws:rds:${REGION}:${A}:db:node`, { PromotionTier: 2 }),
      instanceNotFound(`arn:aws:rds:${REGION}:${A}:db:node`),
    );
  });

  test("an instance that is not available (modifying, rebooting) is InvalidDBInstanceState", async () => {
    const { a, raw, clock } = await world();
    await modify(a.neptune, "node", { DBInstanceClass: "db.r5.xlarge", ApplyImmediately: true });
    const refusal = {
      name: "InvalidDBInstanceStateFault",
      code: "InvalidDBInstanceState",
      status: 400,
      message: "Instance node is not in available state.",
    };
    await assertRefused({ a, raw }, "ModifyDBInstance", { DBInstanceIdentifier: "node", PromotionTier: 4 }, refusal);
    clock.advance(MINUTE);
    await a.neptune.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: "node" }));
    await assertRefused({ a, raw }, "ModifyDBInstance", { DBInstanceIdentifier: "node", PromotionTier: 4 }, refusal);
    clock.advance(MINUTE);
    assert.equal((await modify(a.neptune, "node", { PromotionTier: 4 })).PromotionTier, 4);
  });

  test("what the cluster manages is InvalidParameterCombination", async () => {
    const { a, raw } = await world();
    await assertRefused(
      { a, raw },
      "ModifyDBInstance",
      { DBInstanceIdentifier: "node", BackupRetentionPeriod: 7 },
      combinationRefusal(
        "The requested DB Instance is a member of a DB Cluster. Set backup retention period for the DB Cluster.",
      ),
    );
    await assertFault(
      () => modify(a.neptune, "node", { EngineVersion: "1.3.2.1", PromotionTier: 9 }),
      invalidCombination(
        "The engine version of a DB instance in a DB cluster can only be changed by modifying the DB cluster.",
      ),
    );
    assert.equal((await describeInstance(a.neptune, "node")).PromotionTier, 1);
  });
});
