import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CopyDBClusterSnapshotCommand,
  DeleteDBClusterSnapshotCommand,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  ListTagsForResourceCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  RestoreDBClusterFromSnapshotCommand,
  type NeptuneClient,
} from "@aws-sdk/client-neptune";
import { A, B } from "../helpers/harness.js";
import { snapshotNotFound } from "./faults.js";
import { assertFault } from "./refusals.js";
import { createCluster } from "./resources.js";
import { C, createSnapshot, share, snapshotArn, world, type World } from "./snapshots-fixtures.js";

/**
 * Isolation (issue 5, "Done when"): no account can see, copy, restore, modify or delete another's snapshot unless
 * the owner shared it, and then only copy and restore it (and describe it by ARN). Every refusal is the same
 * not-found fault a snapshot that does not exist gets, so nothing about A's snapshots leaks.
 */

/** Every snapshot operation another account might try on A's snapshot, by the identifier given. */
const attempts = (neptune: NeptuneClient, given: string) => ({
  describe: () => neptune.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: given })),
  copy: () =>
    neptune.send(
      new CopyDBClusterSnapshotCommand({
        SourceDBClusterSnapshotIdentifier: given,
        TargetDBClusterSnapshotIdentifier: "taken",
      }),
    ),
  restore: () =>
    neptune.send(
      new RestoreDBClusterFromSnapshotCommand({
        SnapshotIdentifier: given,
        DBClusterIdentifier: "taken",
        Engine: "neptune",
      }),
    ),
  modify: () =>
    neptune.send(
      new ModifyDBClusterSnapshotAttributeCommand({
        DBClusterSnapshotIdentifier: given,
        AttributeName: "restore",
        ValuesToAdd: [C],
      }),
    ),
  attributes: () =>
    neptune.send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: given })),
  delete: () => neptune.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: given })),
});

type Operation = keyof ReturnType<typeof attempts>;

async function expectRefused(neptune: NeptuneClient, given: string, operations: Operation[]) {
  const all = attempts(neptune, given);
  for (const operation of operations) await assertFault(all[operation], snapshotNotFound(given));
}

async function listed(neptune: NeptuneClient): Promise<string[]> {
  const ids: string[] = [];
  for (const input of [
    {},
    { IncludeShared: true, IncludePublic: true },
    { SnapshotType: "shared" },
    { SnapshotType: "public" },
    { SnapshotType: "manual" },
  ]) {
    ids.push(
      ...(await neptune.send(new DescribeDBClusterSnapshotsCommand(input))).DBClusterSnapshots!.map(
        (s) => s.DBClusterSnapshotIdentifier!,
      ),
    );
  }
  return ids;
}

async function setUp(): Promise<World & { arn: string }> {
  const w = world();
  await createCluster(w.a.neptune, "src");
  await createSnapshot(w.a.neptune, "src", "snap1");
  return { ...w, arn: snapshotArn(A, "snap1") };
}

describe("snapshot isolation between accounts", () => {
  test("unshared: another account can do nothing with it, by ARN or by name, and does not see it listed", async () => {
    const w = await setUp();
    for (const clients of [w.b, w.c]) {
      await expectRefused(clients.neptune, w.arn, ["describe", "copy", "restore", "modify", "attributes", "delete"]);
      await expectRefused(clients.neptune, "snap1", ["describe", "copy", "restore", "modify", "attributes", "delete"]);
      assert.ok(!(await listed(clients.neptune)).some((id) => id.includes("snap1")));
      // Tagging never crosses accounts either (the tagging operations' own not-found fault).
      await assertFault(() => clients.neptune.send(new ListTagsForResourceCommand({ ResourceName: w.arn })), {
        name: "DBSnapshotNotFoundFault",
        status: 404,
        message: "DBSnapshot not found: snap1",
      });
    }
    // A's snapshot is intact.
    assert.equal(
      (await w.a.neptune.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: "snap1" })))
        .DBClusterSnapshots!.length,
      1,
    );
  });

  test("a name is always the caller's own: B's snapshot `snap1` is B's, not A's", async () => {
    const w = await setUp();
    await createCluster(w.b.neptune, "other");
    await createSnapshot(w.b.neptune, "other", "snap1");
    const mine = (
      await w.b.neptune.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: "snap1" }))
    ).DBClusterSnapshots![0]!;
    assert.equal(mine.DBClusterSnapshotArn, snapshotArn(B, "snap1"));
    assert.equal(mine.DBClusterIdentifier, "other");
    await w.b.neptune.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: "snap1" }));
    assert.equal(
      (await w.a.neptune.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: "snap1" })))
        .DBClusterSnapshots!.length,
      1,
    );
  });

  test("shared with B: B may describe (by ARN), copy and restore it, nothing else; C still nothing", async () => {
    const w = await setUp();
    await share(w.a.neptune, "snap1", [B]);
    const b = attempts(w.b.neptune, w.arn);
    assert.equal((await b.describe()).DBClusterSnapshots![0]!.DBClusterSnapshotIdentifier, w.arn);
    assert.equal((await b.copy()).DBClusterSnapshot!.SourceDBClusterSnapshotArn, w.arn);
    assert.equal((await b.restore()).DBCluster!.DBClusterIdentifier, "taken");
    await expectRefused(w.b.neptune, w.arn, ["modify", "attributes", "delete"]);
    await expectRefused(w.b.neptune, "snap1", ["describe", "restore", "modify", "attributes", "delete"]);
    await expectRefused(w.c.neptune, w.arn, ["describe", "copy", "restore", "modify", "attributes", "delete"]);
    // The share is still A's alone: B's refused modify changed nothing.
    const attributes = await w.a.neptune.send(
      new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: "snap1" }),
    );
    assert.deepEqual(attributes.DBClusterSnapshotAttributesResult!.DBClusterSnapshotAttributes![0]!.AttributeValues, [
      B,
    ]);
  });

  test("public: any account may copy and restore it, none may change or delete it; unsharing ends it", async () => {
    const w = await setUp();
    await share(w.a.neptune, "snap1", ["all"]);
    const c = attempts(w.c.neptune, w.arn);
    assert.equal((await c.describe()).DBClusterSnapshots![0]!.SnapshotType, "public");
    assert.equal((await c.copy()).DBClusterSnapshot!.SnapshotType, "manual");
    assert.equal((await c.restore()).DBCluster!.DBClusterIdentifier, "taken");
    await expectRefused(w.c.neptune, w.arn, ["modify", "attributes", "delete"]);
    await share(w.a.neptune, "snap1", [], ["all"]);
    await expectRefused(w.c.neptune, w.arn, ["describe", "restore"]);
  });

  test("an ARN of another region, or of another resource type, is not found", async () => {
    const w = await setUp();
    await share(w.a.neptune, "snap1", [B]);
    const otherRegion = w.arn.replace(":us-east-1:", ":us-west-2:");
    await expectRefused(w.b.neptune, otherRegion, ["describe", "copy", "restore"]);
    const cluster = `arn:aws:rds:us-east-1:${A}:cluster:snap1`;
    await expectRefused(w.b.neptune, cluster, ["describe", "copy"]);
  });
});
