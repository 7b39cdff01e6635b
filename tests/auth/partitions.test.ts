import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { CreateKeyCommand, DescribeKeyCommand, EncryptCommand } from "@aws-sdk/client-kms";
import { DescribeDBClusterSnapshotsCommand } from "@aws-sdk/client-neptune";
import { A, REGION, rejection } from "../helpers/harness.js";
import { snapshotNotFound } from "../neptune/faults.js";
import { assertRefused } from "../neptune/refusals.js";
import { createCluster } from "../neptune/resources.js";
import { createSnapshot, world } from "../neptune/snapshots-fixtures.js";

/** Trident serves partition `aws`: an ARN of any other partition names nothing, never the caller's aws resource. */
const FOREIGN_PARTITIONS = ["aws-cn", "aws-us-gov", "aws-xyz"];

describe("ARNs of another partition", () => {
  for (const partition of FOREIGN_PARTITIONS) {
    test(`Neptune: a ${partition} snapshot ARN is DBClusterSnapshotNotFoundFault, though the aws one exists`, async () => {
      const w = world();
      await createCluster(w.a.neptune, "c1");
      await createSnapshot(w.a.neptune, "c1", "s1");
      const own = `arn:aws:rds:${REGION}:${A}:cluster-snapshot:s1`;
      const found = await w.a.neptune.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: own }));
      assert.equal(found.DBClusterSnapshots?.length, 1);

      const foreign = own.replace("arn:aws:", `arn:${partition}:`);
      await assertRefused(
        w,
        "DescribeDBClusterSnapshots",
        { DBClusterSnapshotIdentifier: foreign },
        snapshotNotFound(foreign),
      );
      await assertRefused(
        w,
        "DeleteDBClusterSnapshot",
        { DBClusterSnapshotIdentifier: foreign },
        snapshotNotFound(foreign),
      );
    });

    test(`Neptune: tagging a ${partition} cluster ARN does not reach the aws cluster`, async () => {
      const w = world();
      await createCluster(w.a.neptune, "c1");
      const foreign = `arn:${partition}:rds:${REGION}:${A}:cluster:c1`;
      await assertRefused(
        w,
        "ListTagsForResource",
        { ResourceName: foreign },
        {
          name: "InvalidParameterValue",
          code: "InvalidParameterValue",
          status: 400,
          message: "The specified resource name does not match an RDS resource in this region.",
        },
      );
    });

    test(`Neptune: a ${partition} cluster ARN filters no snapshots`, async () => {
      const w = world();
      await createCluster(w.a.neptune, "c1");
      await createSnapshot(w.a.neptune, "c1", "s1");
      const listed = async (id: string) =>
        (await w.a.neptune.send(new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: id }))).DBClusterSnapshots;
      assert.ok((await listed(`arn:aws:rds:${REGION}:${A}:cluster:c1`))!.length > 0);
      assert.deepEqual(await listed(`arn:${partition}:rds:${REGION}:${A}:cluster:c1`), []);
    });

    test(`KMS: a ${partition} key ARN is NotFoundException "Invalid arn", though the aws key exists`, async () => {
      const w = world();
      const key = (await w.a.kms.send(new CreateKeyCommand({}))).KeyMetadata!;
      const foreign = key.Arn!.replace("arn:aws:", `arn:${partition}:`);
      for (const call of [
        () => w.a.kms.send(new DescribeKeyCommand({ KeyId: foreign })),
        () => w.a.kms.send(new EncryptCommand({ KeyId: foreign, Plaintext: Buffer.from("x") })),
      ]) {
        const error = await rejection(call);
        assert.equal(error.name, "NotFoundException");
        assert.equal(error.message, "Invalid arn");
      }
    });
  }

  test("Neptune: a cluster ARN of another account filters no snapshots of the caller's cluster of that name", async () => {
    const w = world();
    await createCluster(w.a.neptune, "c1");
    await createSnapshot(w.a.neptune, "c1", "s1");
    const listed = await w.a.neptune.send(
      new DescribeDBClusterSnapshotsCommand({ DBClusterIdentifier: `arn:aws:rds:${REGION}:222222222222:cluster:c1` }),
    );
    assert.deepEqual(listed.DBClusterSnapshots, []);
  });
});
