import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Emulator } from "../../src/emulator.js";
import { startServer, type RunningServer } from "../../src/server/http.js";
import { DELAY_PROFILES } from "../../src/state/delays.js";
import { awsCli, cliError } from "../helpers/aws-cli.js";
import { A, ADMIN } from "../helpers/harness.js";

/**
 * `aws neptune modify-db-instance` against a real server: a class change pending and then applied, a parameter
 * group waiting for a reboot, a rename the CLI's waiter follows under the new name, and refusals with their wire
 * codes as the CLI prints them.
 */
describe("the AWS CLI against trident serve: modify-db-instance", () => {
  let running: RunningServer;
  before(async () => {
    running = await startServer(new Emulator({ delays: DELAY_PROFILES.instant }), { port: 0 });
  });
  after(() => running.close());
  const neptune = (args: string[]) => awsCli(running.endpoint, ADMIN[A]!, ["neptune", ...args]);
  const instanceOf = (result: { json?: Record<string, unknown> }) => result.json!.DBInstance as Record<string, unknown>;

  test("class, parameter group, reboot, rename; an unknown CA and a missing instance are refused", async () => {
    const setup = [
      ["create-db-cluster", "--db-cluster-identifier", "graph", "--engine", "neptune"],
      [
        "create-db-parameter-group",
        "--db-parameter-group-name",
        "tuned",
        "--db-parameter-group-family",
        "neptune1.4",
        "--description",
        "tuned",
      ],
      [
        "create-db-instance",
        "--db-instance-identifier",
        "node",
        "--db-instance-class",
        "db.r5.large",
        "--engine",
        "neptune",
        "--db-cluster-identifier",
        "graph",
      ],
    ];
    for (const args of setup) {
      const created = await neptune(args);
      assert.equal(created.code, 0, created.stderr);
    }

    const pending = await neptune([
      "modify-db-instance",
      "--db-instance-identifier",
      "node",
      "--db-instance-class",
      "db.r5.xlarge",
      "--db-parameter-group-name",
      "tuned",
      "--promotion-tier",
      "2",
      "--no-apply-immediately",
    ]);
    assert.equal(pending.code, 0, pending.stderr);
    assert.deepEqual(instanceOf(pending).PendingModifiedValues, { DBInstanceClass: "db.r5.xlarge" });
    assert.equal(instanceOf(pending).DBInstanceClass, "db.r5.large");
    assert.equal(instanceOf(pending).PromotionTier, 2);
    assert.deepEqual(instanceOf(pending).DBParameterGroups, [
      { DBParameterGroupName: "tuned", ParameterApplyStatus: "pending-reboot" },
    ]);

    const rebooted = await neptune(["reboot-db-instance", "--db-instance-identifier", "node"]);
    assert.equal(rebooted.code, 0, rebooted.stderr);
    const applied = await neptune([
      "modify-db-instance",
      "--db-instance-identifier",
      "node",
      "--new-db-instance-identifier",
      "primary",
      "--apply-immediately",
    ]);
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal(instanceOf(applied).DBInstanceIdentifier, "primary");
    assert.equal(instanceOf(applied).DBInstanceArn, `arn:aws:rds:us-east-1:${A}:db:primary`);
    // ApplyImmediately applied the pending class change as well.
    assert.equal(instanceOf(applied).DBInstanceClass, "db.r5.xlarge");
    assert.deepEqual(instanceOf(applied).PendingModifiedValues, {});

    const waited = await neptune(["wait", "db-instance-available", "--db-instance-identifier", "primary"]);
    assert.equal(waited.code, 0, waited.stderr);
    const described = await neptune(["describe-db-instances", "--db-instance-identifier", "primary"]);
    const shown = (described.json!.DBInstances as Record<string, unknown>[])[0]!;
    assert.deepEqual(shown.DBParameterGroups, [{ DBParameterGroupName: "tuned", ParameterApplyStatus: "in-sync" }]);

    const unknownCa = await neptune([
      "modify-db-instance",
      "--db-instance-identifier",
      "primary",
      "--ca-certificate-identifier",
      "rds-ca-2019",
      "--apply-immediately",
    ]);
    assert.notEqual(unknownCa.code, 0);
    assert.match(
      unknownCa.stderr,
      cliError("CertificateNotFound", "ModifyDBInstance", "Certificate rds-ca-2019 not found"),
    );
    const gone = await neptune(["modify-db-instance", "--db-instance-identifier", "node", "--promotion-tier", "3"]);
    assert.match(gone.stderr, cliError("DBInstanceNotFound", "ModifyDBInstance", "DBInstance node not found."));
  });
});
