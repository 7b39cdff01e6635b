import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  ModifyDBClusterParameterGroupCommand,
  ModifyDBInstanceCommand,
  ModifyDBParameterGroupCommand,
  RebootDBInstanceCommand,
  ResetDBParameterGroupCommand,
  StartDBClusterCommand,
  StopDBClusterCommand,
  type NeptuneClient,
  type Parameter,
} from "@aws-sdk/client-neptune";
import { inProcess } from "../helpers/harness.js";
import {
  createCluster,
  createClusterParameterGroup,
  createInstance,
  createInstanceParameterGroup,
  describeCluster,
  describeInstance,
  instantExcept,
  MINUTE,
} from "./resources.js";

/** Each member's DBClusterParameterGroupStatus, by instance id, as DescribeDBClusters shows it. */
async function memberStatuses(neptune: NeptuneClient, cluster: string): Promise<Record<string, string | undefined>> {
  const members = (await describeCluster(neptune, cluster)).DBClusterMembers ?? [];
  return Object.fromEntries(members.map((m) => [m.DBInstanceIdentifier!, m.DBClusterParameterGroupStatus]));
}

const setParameters = (neptune: NeptuneClient, group: string, parameters: Parameter[]) =>
  neptune.send(
    new ModifyDBClusterParameterGroupCommand({ DBClusterParameterGroupName: group, Parameters: parameters }),
  );

describe("DBClusterMember.DBClusterParameterGroupStatus", () => {
  test("a static parameter changed in the cluster's group is pending-reboot on each member until it reboots", async () => {
    const { a, clock } = inProcess({ delays: instantExcept({ clusterModifyMs: MINUTE }) });
    await createClusterParameterGroup(a.neptune, "streams", { DBParameterGroupFamily: "neptune1.4" });
    await createCluster(a.neptune, "graph", { DBClusterParameterGroupName: "streams" });
    await createInstance(a.neptune, "graph", "graph-1");
    await createInstance(a.neptune, "graph", "graph-2");
    assert.deepEqual(await memberStatuses(a.neptune, "graph"), { "graph-1": "in-sync", "graph-2": "in-sync" });

    // neptune_query_timeout is dynamic: in effect at once, nothing waits for a reboot.
    await setParameters(a.neptune, "streams", [
      { ParameterName: "neptune_query_timeout", ParameterValue: "60000", ApplyMethod: "immediate" },
    ]);
    assert.deepEqual(await memberStatuses(a.neptune, "graph"), { "graph-1": "in-sync", "graph-2": "in-sync" });

    await setParameters(a.neptune, "streams", [
      { ParameterName: "neptune_streams", ParameterValue: "1", ApplyMethod: "pending-reboot" },
    ]);
    assert.deepEqual(await memberStatuses(a.neptune, "graph"), {
      "graph-1": "pending-reboot",
      "graph-2": "pending-reboot",
    });

    const rebooted = await a.neptune.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: "graph-1" }));
    assert.equal(rebooted.DBInstance!.DBInstanceStatus, "rebooting");
    // The rebooted member started with the group's values; the other still waits for its reboot.
    assert.deepEqual(await memberStatuses(a.neptune, "graph"), { "graph-1": "in-sync", "graph-2": "pending-reboot" });
    clock.advance(MINUTE);
    assert.equal((await describeInstance(a.neptune, "graph-1")).DBInstanceStatus, "available");
    assert.deepEqual(await memberStatuses(a.neptune, "graph"), { "graph-1": "in-sync", "graph-2": "pending-reboot" });

    await a.neptune.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: "graph-2" }));
    clock.advance(MINUTE);
    assert.deepEqual(await memberStatuses(a.neptune, "graph"), { "graph-1": "in-sync", "graph-2": "in-sync" });

    // neptune_streams_expiry_days is static too.
    await setParameters(a.neptune, "streams", [
      { ParameterName: "neptune_streams_expiry_days", ParameterValue: "30", ApplyMethod: "pending-reboot" },
    ]);
    assert.deepEqual(await memberStatuses(a.neptune, "graph"), {
      "graph-1": "pending-reboot",
      "graph-2": "pending-reboot",
    });
    // Put back before any reboot: the members run with the group's values again.
    await setParameters(a.neptune, "streams", [
      { ParameterName: "neptune_streams_expiry_days", ParameterValue: "7", ApplyMethod: "pending-reboot" },
    ]);
    assert.deepEqual(await memberStatuses(a.neptune, "graph"), { "graph-1": "in-sync", "graph-2": "in-sync" });
  });

  test("an instance created after the change starts with it: in-sync", async () => {
    const { a } = inProcess();
    await createClusterParameterGroup(a.neptune, "streams", { DBParameterGroupFamily: "neptune1.4" });
    await createCluster(a.neptune, "graph", { DBClusterParameterGroupName: "streams" });
    await setParameters(a.neptune, "streams", [
      { ParameterName: "neptune_streams", ParameterValue: "1", ApplyMethod: "pending-reboot" },
    ]);
    await createInstance(a.neptune, "graph", "graph-1");
    assert.deepEqual(await memberStatuses(a.neptune, "graph"), { "graph-1": "in-sync" });
  });
});

/** Each instance's DBParameterGroups as DescribeDBInstances shows them, by instance id. */
async function instanceGroups(neptune: NeptuneClient, ids: string[]) {
  const shown: Record<string, [string | undefined, string | undefined][]> = {};
  for (const id of ids) {
    const groups = (await describeInstance(neptune, id)).DBParameterGroups ?? [];
    shown[id] = groups.map((g) => [g.DBParameterGroupName, g.ParameterApplyStatus]);
  }
  return shown;
}

const setInstanceParameters = (neptune: NeptuneClient, group: string, parameters: Parameter[]) =>
  neptune.send(new ModifyDBParameterGroupCommand({ DBParameterGroupName: group, Parameters: parameters }));

describe("DBInstance.DBParameterGroups[].ParameterApplyStatus", () => {
  test("a static parameter changed in the instance's group is pending-reboot until the instance reboots", async () => {
    const { a, clock } = inProcess({ delays: instantExcept({ clusterModifyMs: MINUTE }) });
    await createInstanceParameterGroup(a.neptune, "tuned", "neptune1.4");
    await createCluster(a.neptune, "graph");
    await createInstance(a.neptune, "graph", "graph-1", { DBParameterGroupName: "tuned" });
    await createInstance(a.neptune, "graph", "graph-2", { DBParameterGroupName: "tuned" });
    await createInstance(a.neptune, "graph", "graph-3");
    const ids = ["graph-1", "graph-2", "graph-3"];
    const inSync = {
      "graph-1": [["tuned", "in-sync"]],
      "graph-2": [["tuned", "in-sync"]],
      "graph-3": [["default.neptune1.4", "in-sync"]],
    };
    assert.deepEqual(await instanceGroups(a.neptune, ids), inSync);

    // neptune_query_timeout is dynamic: in effect at once.
    await setInstanceParameters(a.neptune, "tuned", [
      { ParameterName: "neptune_query_timeout", ParameterValue: "60000", ApplyMethod: "immediate" },
    ]);
    assert.deepEqual(await instanceGroups(a.neptune, ids), inSync);

    // neptune_dfe_query_engine is static: the members of the group wait for a reboot, the others don't.
    await setInstanceParameters(a.neptune, "tuned", [
      { ParameterName: "neptune_dfe_query_engine", ParameterValue: "enabled", ApplyMethod: "pending-reboot" },
    ]);
    const pending = { ...inSync, "graph-1": [["tuned", "pending-reboot"]], "graph-2": [["tuned", "pending-reboot"]] };
    assert.deepEqual(await instanceGroups(a.neptune, ids), pending);
    // The cluster parameter group is another matter: members stay in sync with it.
    assert.deepEqual(await memberStatuses(a.neptune, "graph"), {
      "graph-1": "in-sync",
      "graph-2": "in-sync",
      "graph-3": "in-sync",
    });

    await a.neptune.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: "graph-1" }));
    assert.deepEqual(await instanceGroups(a.neptune, ids), { ...pending, "graph-1": [["tuned", "in-sync"]] });
    clock.advance(MINUTE);
    // A class change applied at once restarts the instance too.
    await a.neptune.send(
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: "graph-2",
        DBInstanceClass: "db.r5.xlarge",
        ApplyImmediately: true,
      }),
    );
    assert.deepEqual(await instanceGroups(a.neptune, ids), inSync);
    clock.advance(MINUTE);

    // Reset to the default: a static change again, until each instance starts again (here: the cluster's start).
    await a.neptune.send(new ResetDBParameterGroupCommand({ DBParameterGroupName: "tuned", ResetAllParameters: true }));
    assert.deepEqual(await instanceGroups(a.neptune, ids), pending);
    await a.neptune.send(new StopDBClusterCommand({ DBClusterIdentifier: "graph" }));
    clock.advance(MINUTE);
    await a.neptune.send(new StartDBClusterCommand({ DBClusterIdentifier: "graph" }));
    clock.advance(MINUTE);
    assert.deepEqual(await instanceGroups(a.neptune, ids), inSync);
  });

  test("another group for the instance: pending-reboot until it reboots, even with the same values", async () => {
    const { a, clock } = inProcess({ delays: instantExcept({ clusterModifyMs: MINUTE }) });
    await createInstanceParameterGroup(a.neptune, "plain", "neptune1.4");
    await createCluster(a.neptune, "graph");
    await createInstance(a.neptune, "graph", "graph-1");
    const modified = await a.neptune.send(
      new ModifyDBInstanceCommand({ DBInstanceIdentifier: "graph-1", DBParameterGroupName: "plain" }),
    );
    assert.deepEqual(modified.DBInstance!.DBParameterGroups, [
      { DBParameterGroupName: "plain", ParameterApplyStatus: "pending-reboot" },
    ]);
    assert.deepEqual(await instanceGroups(a.neptune, ["graph-1"]), { "graph-1": [["plain", "pending-reboot"]] });
    await a.neptune.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: "graph-1" }));
    clock.advance(MINUTE);
    assert.deepEqual(await instanceGroups(a.neptune, ["graph-1"]), { "graph-1": [["plain", "in-sync"]] });
  });

  test("an instance created after the change starts with it: in-sync", async () => {
    const { a } = inProcess();
    await createInstanceParameterGroup(a.neptune, "tuned", "neptune1.4");
    await createCluster(a.neptune, "graph");
    await setInstanceParameters(a.neptune, "tuned", [
      { ParameterName: "neptune_result_cache", ParameterValue: "1", ApplyMethod: "pending-reboot" },
    ]);
    await createInstance(a.neptune, "graph", "graph-1", { DBParameterGroupName: "tuned" });
    assert.deepEqual(await instanceGroups(a.neptune, ["graph-1"]), { "graph-1": [["tuned", "in-sync"]] });
  });
});
