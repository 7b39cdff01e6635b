import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  ModifyDBClusterParameterGroupCommand,
  RebootDBInstanceCommand,
  type NeptuneClient,
  type Parameter,
} from "@aws-sdk/client-neptune";
import { inProcess } from "../helpers/harness.js";
import {
  createCluster,
  createClusterParameterGroup,
  createInstance,
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
