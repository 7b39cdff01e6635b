import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  ApplyPendingMaintenanceActionCommand,
  DescribePendingMaintenanceActionsCommand,
  type DescribePendingMaintenanceActionsCommandInput,
  type NeptuneClient,
} from "@aws-sdk/client-neptune";
import { PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { A, B, inProcess, REGION } from "../helpers/harness.js";
import { allow, iamWorld, userWithKey } from "../iam/fixture.js";
import { invalidCombination, invalidValue } from "./faults.js";
import { assertFault, assertRefused } from "./refusals.js";
import {
  createCluster,
  createInstance,
  describeCluster,
  describeInstance,
  instantExcept,
  MINUTE,
} from "./resources.js";

const clusterArn = (account: string, id: string) => `arn:aws:rds:${REGION}:${account}:cluster:${id}`;
const instanceArn = (account: string, id: string) => `arn:aws:rds:${REGION}:${account}:db:${id}`;
const DAY = 24 * 60 * MINUTE;

/** A weekly window and a backup window apart from it, so that tests know when maintenance comes. */
const WINDOWS = { PreferredMaintenanceWindow: "mon:05:00-mon:05:30", PreferredBackupWindow: "03:00-03:30" };

const pending = async (neptune: NeptuneClient, input: DescribePendingMaintenanceActionsCommandInput = {}) =>
  (await neptune.send(new DescribePendingMaintenanceActionsCommand(input))).PendingMaintenanceActions!;

const apply = (neptune: NeptuneClient, id: string, OptInType: string, ApplyAction = "db-upgrade") =>
  neptune.send(
    new ApplyPendingMaintenanceActionCommand({ ResourceIdentifier: clusterArn(A, id), ApplyAction, OptInType }),
  );

const resourceNotFound = {
  name: "ResourceNotFoundFault",
  code: "ResourceNotFoundFault",
  status: 404,
  message: "The specified resource ID was not found.",
};

/** The next Monday 05:00 UTC after `now`: the start of WINDOWS' maintenance window. */
function nextMonday5(now: number): number {
  const day = Math.floor(now / DAY);
  let at = (day - ((day + 3) % 7)) * DAY + 5 * 60 * MINUTE;
  while (at <= now) at += 7 * DAY;
  return at;
}

describe("DescribePendingMaintenanceActions", () => {
  test("a cluster on an older release has a db-upgrade to the catalogue's next one; the newest has none", async () => {
    const { a, b } = inProcess();
    await createCluster(a.neptune, "old", { EngineVersion: "1.3.3.0" });
    await createInstance(a.neptune, "old", "old-1");
    await createCluster(a.neptune, "new");
    const actions = await pending(a.neptune);
    assert.deepEqual(actions, [
      {
        ResourceIdentifier: clusterArn(A, "old"),
        PendingMaintenanceActionDetails: [
          { Action: "db-upgrade", Description: "Upgrade to Neptune engine version 1.3.4.0" },
        ],
      },
    ]);
    // One resource by ARN; an instance reports none of its own, a current cluster none.
    assert.deepEqual(await pending(a.neptune, { ResourceIdentifier: clusterArn(A, "old") }), actions);
    assert.deepEqual(await pending(a.neptune, { ResourceIdentifier: instanceArn(A, "old-1") }), []);
    assert.deepEqual(await pending(a.neptune, { ResourceIdentifier: clusterArn(A, "new") }), []);
    // Another account sees nothing of A's.
    assert.deepEqual(await pending(b.neptune), []);
  });

  test("filters by db-cluster-id (identifier or ARN) and db-instance-id; unknown filters are refused", async () => {
    const { a } = inProcess();
    await createCluster(a.neptune, "one", { EngineVersion: "1.2.1.0" });
    await createCluster(a.neptune, "two", { EngineVersion: "1.2.1.1" });
    await createInstance(a.neptune, "one", "one-1");
    const ids = async (Filters: { Name: string; Values: string[] }[]) =>
      (await pending(a.neptune, { Filters })).map((r) => r.ResourceIdentifier);
    assert.deepEqual(await ids([{ Name: "db-cluster-id", Values: ["two"] }]), [clusterArn(A, "two")]);
    assert.deepEqual(await ids([{ Name: "db-cluster-id", Values: [clusterArn(A, "one")] }]), [clusterArn(A, "one")]);
    assert.deepEqual(await ids([{ Name: "db-instance-id", Values: ["one-1"] }]), []);
    await assertFault(
      () => pending(a.neptune, { Filters: [{ Name: "engine", Values: ["neptune"] }] }),
      invalidValue("Unrecognized filter name: engine."),
    );
  });

  test("pages of MaxRecords (20..100) after a Marker", async () => {
    const { a } = inProcess();
    for (let i = 0; i < 21; i++)
      await createCluster(a.neptune, `c${String(i).padStart(2, "0")}`, { EngineVersion: "1.3.2.1" });
    const first = await a.neptune.send(new DescribePendingMaintenanceActionsCommand({ MaxRecords: 20 }));
    assert.equal(first.PendingMaintenanceActions!.length, 20);
    assert.ok(first.Marker);
    const second = await a.neptune.send(
      new DescribePendingMaintenanceActionsCommand({ MaxRecords: 20, Marker: first.Marker }),
    );
    assert.deepEqual(
      second.PendingMaintenanceActions!.map((r) => r.ResourceIdentifier),
      [clusterArn(A, "c20")],
    );
    assert.equal(second.Marker, undefined);
    await assertFault(
      () => pending(a.neptune, { MaxRecords: 19 }),
      invalidValue("Invalid value 19 for MaxRecords. Must be between 20 and 100"),
    );
  });

  test("a ResourceIdentifier the caller doesn't hold is ResourceNotFoundFault (404)", async () => {
    const env = inProcess();
    await createCluster(env.a.neptune, "old", { EngineVersion: "1.3.3.0" });
    for (const ResourceIdentifier of [clusterArn(A, "nope"), clusterArn(B, "old"), "old"]) {
      await assertRefused(env, "DescribePendingMaintenanceActions", { ResourceIdentifier }, resourceNotFound);
    }
  });
});

describe("ApplyPendingMaintenanceAction", () => {
  test("immediate: the cluster upgrades now (upgrading, then available on the clock); its members follow", async () => {
    const { a, clock } = inProcess({ delays: instantExcept({ clusterModifyMs: MINUTE }) });
    await createCluster(a.neptune, "old", { EngineVersion: "1.2.1.2" });
    await createInstance(a.neptune, "old", "old-1");
    const answer = await apply(a.neptune, "old", "immediate");
    const now = clock.now();
    assert.deepEqual(answer.ResourcePendingMaintenanceActions, {
      ResourceIdentifier: clusterArn(A, "old"),
      PendingMaintenanceActionDetails: [
        {
          Action: "db-upgrade",
          Description: "Upgrade to Neptune engine version 1.3.2.1",
          OptInStatus: "immediate",
          CurrentApplyDate: now,
        },
      ],
    });
    const upgrading = await describeCluster(a.neptune, "old");
    assert.equal(upgrading.Status, "upgrading");
    assert.equal(upgrading.EngineVersion, "1.3.2.1");
    // A new family: the default groups of neptune1.3.
    assert.equal(upgrading.DBClusterParameterGroup, "default.neptune1.3");
    const member = await describeInstance(a.neptune, "old-1");
    assert.equal(member.EngineVersion, "1.3.2.1");
    assert.equal(member.DBParameterGroups![0]!.DBParameterGroupName, "default.neptune1.3");
    clock.advance(MINUTE);
    assert.equal((await describeCluster(a.neptune, "old")).Status, "available");
    // Now the next release is pending.
    assert.equal(
      (await pending(a.neptune))[0]!.PendingMaintenanceActionDetails![0]!.Description,
      "Upgrade to Neptune engine version 1.3.3.0",
    );
  });

  test("next-maintenance: shown opted in with the window's start; applied when the window comes", async () => {
    const { a, clock } = inProcess({ delays: instantExcept({ clusterModifyMs: MINUTE }) });
    await createCluster(a.neptune, "old", { EngineVersion: "1.4.3.0", ...WINDOWS });
    const at = nextMonday5(clock.now().getTime());
    const answer = await apply(a.neptune, "old", "next-maintenance");
    const opted = {
      ResourceIdentifier: clusterArn(A, "old"),
      PendingMaintenanceActionDetails: [
        {
          Action: "db-upgrade",
          Description: "Upgrade to Neptune engine version 1.4.4.0",
          OptInStatus: "next-maintenance",
          CurrentApplyDate: new Date(at),
        },
      ],
    };
    assert.deepEqual(answer.ResourcePendingMaintenanceActions, opted);
    assert.deepEqual(await pending(a.neptune), [opted]);
    assert.equal((await describeCluster(a.neptune, "old")).EngineVersion, "1.4.3.0");

    clock.advance(at - clock.now().getTime() - 1);
    assert.equal((await describeCluster(a.neptune, "old")).EngineVersion, "1.4.3.0");
    clock.advance(1);
    const upgrading = await describeCluster(a.neptune, "old");
    assert.equal(upgrading.EngineVersion, "1.4.4.0");
    assert.equal(upgrading.Status, "upgrading");
    clock.advance(MINUTE);
    assert.equal((await describeCluster(a.neptune, "old")).Status, "available");
    assert.deepEqual(await pending(a.neptune), []);
  });

  test("undo-opt-in cancels a next-maintenance opt-in: the window passes, nothing changes", async () => {
    const { a, clock } = inProcess();
    await createCluster(a.neptune, "old", { EngineVersion: "1.4.3.0", ...WINDOWS });
    await apply(a.neptune, "old", "next-maintenance");
    const undone = await apply(a.neptune, "old", "undo-opt-in");
    const plain = {
      ResourceIdentifier: clusterArn(A, "old"),
      PendingMaintenanceActionDetails: [
        { Action: "db-upgrade", Description: "Upgrade to Neptune engine version 1.4.4.0" },
      ],
    };
    assert.deepEqual(undone.ResourcePendingMaintenanceActions, plain);
    clock.advance(8 * DAY);
    assert.equal((await describeCluster(a.neptune, "old")).EngineVersion, "1.4.3.0");
    assert.deepEqual(await pending(a.neptune), [plain]);
  });

  test("refusals: a bad OptInType or ApplyAction, an unknown resource, an action not pending; nothing changes", async () => {
    const env = inProcess();
    await createCluster(env.a.neptune, "old", { EngineVersion: "1.3.3.0" });
    await createCluster(env.a.neptune, "new");
    await createInstance(env.a.neptune, "old", "old-1");
    const refused = (
      ResourceIdentifier: string,
      ApplyAction: string,
      OptInType: string,
      expected: Parameters<typeof assertRefused>[3],
    ) => assertRefused(env, "ApplyPendingMaintenanceAction", { ResourceIdentifier, ApplyAction, OptInType }, expected);
    await refused(clusterArn(A, "old"), "db-upgrade", "later", {
      ...invalidValue(),
      code: "InvalidParameterValue",
      message: "Invalid value for OptInType: later. Valid values are: immediate, next-maintenance, undo-opt-in.",
    });
    await refused(clusterArn(A, "old"), "reboot", "immediate", {
      ...invalidValue(),
      code: "InvalidParameterValue",
      message: "Invalid value for ApplyAction: reboot. Valid values are: system-update, db-upgrade.",
    });
    await refused(clusterArn(A, "gone"), "db-upgrade", "immediate", resourceNotFound);
    await refused(clusterArn(B, "old"), "db-upgrade", "immediate", resourceNotFound);
    for (const [arn, action] of [
      [clusterArn(A, "new"), "db-upgrade"],
      [clusterArn(A, "old"), "system-update"],
      [instanceArn(A, "old-1"), "db-upgrade"],
    ] as const) {
      await refused(arn, action, "immediate", {
        ...invalidCombination(`There is no pending ${action} action for ${arn}`),
        code: "InvalidParameterCombination",
        message: `There is no pending ${action} action for ${arn}`,
      });
    }
    const cluster = await describeCluster(env.a.neptune, "old");
    assert.equal(cluster.EngineVersion, "1.3.3.0");
    assert.equal(cluster.Status, "available");
    assert.deepEqual((await pending(env.a.neptune))[0]!.PendingMaintenanceActionDetails![0]!.OptInStatus, undefined);
  });

  test("immediate on a cluster that is not available is InvalidDBClusterStateFault", async () => {
    const { a } = inProcess({ delays: instantExcept({ clusterCreateMs: MINUTE }) });
    await createCluster(a.neptune, "old", { EngineVersion: "1.3.3.0" });
    await assertFault(() => apply(a.neptune, "old", "immediate"), {
      name: "InvalidDBClusterStateFault",
      status: 400,
      message: "DbCluster old is in creating state but expected it to be one of available.",
    });
  });

  test("IAM: rds:ApplyPendingMaintenanceAction on the resource's ARN, rds:DescribePendingMaintenanceActions", async () => {
    const world = iamWorld();
    await createCluster(world.admin.neptune, "old", { EngineVersion: "1.3.3.0" });
    const dev = await userWithKey(world, "dev");
    await assertFault(() => apply(dev.neptune, "old", "immediate"), {
      name: "AccessDenied",
      status: 403,
      message: `User: arn:aws:iam::${A}:user/dev is not authorized to perform: rds:ApplyPendingMaintenanceAction on resource: ${clusterArn(A, "old")} because no identity-based policy allows the rds:ApplyPendingMaintenanceAction action`,
    });
    await world.admin.iam.send(
      new PutUserPolicyCommand({
        UserName: "dev",
        PolicyName: "maintenance",
        PolicyDocument: allow(
          ["rds:ApplyPendingMaintenanceAction", "rds:DescribePendingMaintenanceActions"],
          clusterArn(A, "old"),
        ),
      }),
    );
    await apply(dev.neptune, "old", "next-maintenance");
    // Describing all of the account's actions is on `*`, which the policy doesn't allow.
    await assertFault(() => pending(dev.neptune), { name: "AccessDenied", status: 403 });
    assert.equal((await pending(dev.neptune, { ResourceIdentifier: clusterArn(A, "old") })).length, 1);
  });
});
