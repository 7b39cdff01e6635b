import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Emulator } from "../../src/emulator.js";
import { startServer, type RunningServer } from "../../src/server/http.js";
import { DELAY_PROFILES } from "../../src/state/delays.js";
import { awsCli, cliError } from "../helpers/aws-cli.js";
import { A, ADMIN } from "../helpers/harness.js";

/** `aws neptune describe-pending-maintenance-actions` / `apply-pending-maintenance-action` against a real server. */
describe("the AWS CLI against trident serve: Neptune pending maintenance", () => {
  let running: RunningServer;
  before(async () => {
    running = await startServer(new Emulator({ delays: DELAY_PROFILES.instant }), { port: 0 });
  });
  after(() => running.close());
  const neptune = (args: string[]) => awsCli(running.endpoint, ADMIN[A]!, ["neptune", ...args]);
  const arn = `arn:aws:rds:us-east-1:${A}:cluster:old`;

  test("lists the pending db-upgrade, opts in for the next window, refuses an action not pending", async () => {
    const created = await neptune([
      "create-db-cluster",
      "--db-cluster-identifier",
      "old",
      "--engine",
      "neptune",
      "--engine-version",
      "1.3.3.0",
      "--preferred-maintenance-window",
      "mon:05:00-mon:05:30",
    ]);
    assert.equal(created.code, 0, created.stderr);

    const listed = await neptune(["describe-pending-maintenance-actions"]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(listed.json, {
      PendingMaintenanceActions: [
        {
          ResourceIdentifier: arn,
          PendingMaintenanceActionDetails: [
            { Action: "db-upgrade", Description: "Upgrade to Neptune engine version 1.3.4.0" },
          ],
        },
      ],
    });

    const opted = await neptune([
      "apply-pending-maintenance-action",
      "--resource-identifier",
      arn,
      "--apply-action",
      "db-upgrade",
      "--opt-in-type",
      "next-maintenance",
    ]);
    assert.equal(opted.code, 0, opted.stderr);
    const details = (
      opted.json!.ResourcePendingMaintenanceActions as { PendingMaintenanceActionDetails: Record<string, string>[] }
    ).PendingMaintenanceActionDetails[0]!;
    assert.equal(details.OptInStatus, "next-maintenance");
    // The CLI shows the window's start, a Monday at 05:00 UTC.
    assert.equal(new Date(details.CurrentApplyDate!).getUTCDay(), 1);
    assert.equal(new Date(details.CurrentApplyDate!).toISOString().slice(11, 19), "05:00:00");

    const refused = await neptune([
      "apply-pending-maintenance-action",
      "--resource-identifier",
      arn,
      "--apply-action",
      "system-update",
      "--opt-in-type",
      "immediate",
    ]);
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.stderr,
      cliError(
        "InvalidParameterCombination",
        "ApplyPendingMaintenanceAction",
        `There is no pending system-update action for ${arn}`,
      ),
    );
  });
});
