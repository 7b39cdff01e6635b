import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { DecryptCommand, ListGrantsCommand } from "@aws-sdk/client-kms";
import { DescribeDBClusterSnapshotsCommand, type NeptuneClient } from "@aws-sdk/client-neptune";
import { clusterSnapshotTable } from "../../src/domain/neptune/records.js";
import { A, ADMIN, B, presignedUrl, REGION, type RawCall } from "../helpers/harness.js";
import { sharedKeyPolicy } from "../helpers/seed.js";
import { invalidCombination, invalidValue, snapshotNotFound } from "./faults.js";
import { assertFault, assertWire } from "./refusals.js";
import { createCluster, instantExcept, MINUTE } from "./resources.js";
import {
  copySnapshot,
  createKey,
  createSnapshot,
  describeSnapshot,
  restoreFromSnapshot,
  share,
  snapshotArn,
  snapshotDataKey,
  specifiedKeyMessage,
  world,
  type World,
} from "./snapshots-fixtures.js";

/**
 * CopyDBClusterSnapshot across Regions (rules.md R12, R13): the call goes to the destination Region with the
 * source's ARN; an encrypted source needs a KmsKeyId of the destination Region and a PreSignedUrl (which the SDK v3
 * client builds by itself from the ARN's Region), checked as a SigV4 presigned request of the source Region.
 */

const WEST = "us-west-2";
const SLOW = instantExcept({ snapshotMs: 10 * MINUTE });
const MISSING_URL = "A pre-signed url must be specified for copying encrypted snapshot across region.";
const BAD_URL = "PreSignedUrl could not be authenticated.";
const SHARED_ENCRYPTED =
  "You can't copy an encrypted, shared DB cluster snapshot from one AWS Region to another: copy it in its own Region first, then copy that copy.";

/** A's encrypted snapshot `snap1` in us-east-1 (available), and a key of A in us-west-2. */
async function eastSnapshot(w: World, options: { encrypted?: boolean; keyPolicy?: string } = {}) {
  const encrypted = options.encrypted ?? true;
  const eastKey = encrypted ? await createKey(w.a, { policy: options.keyPolicy }) : undefined;
  await createCluster(w.a.neptune, "src", encrypted ? { StorageEncrypted: true, KmsKeyId: eastKey!.Arn } : {});
  w.clock.advance(w.emulator.delays.clusterCreateMs);
  await createSnapshot(w.a.neptune, "src", "snap1");
  w.clock.advance(w.emulator.delays.snapshotMs);
  const west = w.clientsFor(ADMIN[A]!, WEST);
  const westKey = await createKey(west);
  return { eastKey, west, westKey, arn: snapshotArn(A, "snap1") };
}

/** The snapshots of the client's account and Region. */
async function snapshotIds(neptune: NeptuneClient): Promise<string[]> {
  const { DBClusterSnapshots } = await neptune.send(new DescribeDBClusterSnapshotsCommand({}));
  return (DBClusterSnapshots ?? []).map((s) => s.DBClusterSnapshotIdentifier!);
}

/** A raw CopyDBClusterSnapshot to us-west-2, signed by A's admin for us-west-2. */
function rawCopy(w: World, params: Record<string, string>) {
  return w.raw({
    service: "rds",
    region: WEST,
    params: { Action: "CopyDBClusterSnapshot", Version: "2014-10-31", ...params },
  });
}

/** The PreSignedUrl the SDK would send for this copy, with `change` applied to the call it signs. */
function urlFor(params: { source: string; kmsKeyId: string }, change: Partial<RawCall> & { expiresIn?: number } = {}) {
  return presignedUrl({
    service: "rds",
    region: REGION,
    params: {
      Action: "CopyDBClusterSnapshot",
      Version: "2014-10-31",
      DestinationRegion: WEST,
      KmsKeyId: params.kmsKeyId,
      SourceDBClusterSnapshotIdentifier: params.source,
    },
    ...change,
    ...(change.params ? { params: { ...change.params } } : {}),
  });
}

describe("CopyDBClusterSnapshot across Regions", () => {
  test("SDK v3 builds the PreSignedUrl; the copy is copying with progress in the destination, re-encrypted under its key", async () => {
    const w = world({ delays: SLOW });
    const { eastKey, west, westKey, arn } = await eastSnapshot(w);

    const copied = await copySnapshot(west.neptune, {
      SourceDBClusterSnapshotIdentifier: arn,
      TargetDBClusterSnapshotIdentifier: "snap1-west",
      KmsKeyId: westKey.Arn!,
    });
    assert.equal(copied.DBClusterSnapshotArn, `arn:aws:rds:${WEST}:${A}:cluster-snapshot:snap1-west`);
    assert.equal(copied.SourceDBClusterSnapshotArn, arn);
    assert.deepEqual([copied.Status, copied.PercentProgress], ["copying", 0]);
    assert.equal(copied.KmsKeyId, westKey.Arn!);
    assert.ok(
      copied.AvailabilityZones!.every((zone) => zone.startsWith(WEST)),
      String(copied.AvailabilityZones),
    );
    // The source key's work grant goes to the source Region's RDS; it is given back when the copy ends.
    const workGrants = async () =>
      (await w.a.kms.send(new ListGrantsCommand({ KeyId: eastKey!.KeyId }))).Grants!.filter(
        (g) => g.Name === copied.DBClusterSnapshotArn,
      );
    assert.deepEqual(
      (await workGrants()).map((g) => g.GranteePrincipal),
      [`rds.${REGION}.amazonaws.com`],
    );
    w.clock.advance(5 * MINUTE);
    const half = await describeSnapshot(west.neptune, "snap1-west");
    assert.deepEqual([half.Status, half.PercentProgress], ["copying", 50]);
    w.clock.advance(5 * MINUTE);
    const done = await describeSnapshot(west.neptune, "snap1-west");
    assert.deepEqual([done.Status, done.PercentProgress], ["available", 100]);
    assert.deepEqual(await workGrants(), []);

    // The same data key, now wrapped under the west key: it opens there, through the west KMS.
    const wrapped = clusterSnapshotTable(w.emulator.store, A, WEST).get("snap1-west")!.wrappedDataKey;
    const opened = await west.kms.send(new DecryptCommand({ CiphertextBlob: wrapped }));
    assert.equal(opened.KeyId, westKey.Arn!);
    assert.deepEqual(Buffer.from(opened.Plaintext!), await snapshotDataKey(w, A, "snap1"));
    // And it restores in its Region.
    const restored = await restoreFromSnapshot(west.neptune, {
      DBClusterIdentifier: "dst",
      SnapshotIdentifier: "snap1-west",
    });
    assert.equal(restored.KmsKeyId, westKey.Arn!);
  });

  test("a KmsKeyId is required, and must be a key of the destination Region", async () => {
    const w = world();
    const { eastKey, west, arn } = await eastSnapshot(w);
    await assertFault(
      () =>
        copySnapshot(west.neptune, { SourceDBClusterSnapshotIdentifier: arn, TargetDBClusterSnapshotIdentifier: "c1" }),
      invalidValue("Must specify new KMS key for cross region encrypted snapshot copy."),
    );
    await assertFault(
      () =>
        copySnapshot(west.neptune, {
          SourceDBClusterSnapshotIdentifier: arn,
          TargetDBClusterSnapshotIdentifier: "c1",
          KmsKeyId: eastKey!.Arn,
        }),
      { name: "KMSKeyNotAccessibleFault", status: 400, message: specifiedKeyMessage(eastKey!.Arn!) },
    );
    assert.deepEqual(await snapshotIds(west.neptune), []);
    // No grant is left behind on the source key by the refused copies.
    const { Grants } = await w.a.kms.send(new ListGrantsCommand({ KeyId: eastKey!.KeyId }));
    assert.deepEqual(
      Grants!.filter((g) => g.Name?.endsWith(":cluster-snapshot:c1")),
      [],
    );
  });

  test("a missing, tampered, expired or foreign PreSignedUrl gets AWS's error and changes nothing", async () => {
    const w = world();
    const { west, westKey, arn } = await eastSnapshot(w);
    const base = {
      SourceDBClusterSnapshotIdentifier: arn,
      TargetDBClusterSnapshotIdentifier: "c1",
      KmsKeyId: westKey.Arn!,
    };
    const good = await urlFor({ source: arn, kmsKeyId: westKey.Arn! });

    assertWire(await rawCopy(w, base), { code: "InvalidParameterValue", status: 400, message: MISSING_URL });
    const refusedUrls: Record<string, string> = {
      "not a URL": "no-url-here",
      "a changed signature": good.replace(
        /X-Amz-Signature=([0-9a-f])/,
        (_, c: string) => `X-Amz-Signature=${c === "0" ? "1" : "0"}`,
      ),
      "a parameter changed after signing": good.replace(`DestinationRegion=${WEST}`, "DestinationRegion=eu-west-1"),
      "expired (signed two hours ago for one hour)": await urlFor(
        { source: arn, kmsKeyId: westKey.Arn! },
        { signingDate: new Date(w.clock.now().getTime() - 2 * 3600_000) },
      ),
      "signed for another Region than the source's": await urlFor(
        { source: arn, kmsKeyId: westKey.Arn! },
        { region: "us-east-2" },
      ),
      "signed by another account": await urlFor({ source: arn, kmsKeyId: westKey.Arn! }, { credentials: ADMIN[B]! }),
      "another source": await urlFor({ source: snapshotArn(A, "other"), kmsKeyId: westKey.Arn! }),
      "another KmsKeyId": await urlFor({ source: arn, kmsKeyId: "alias/aws/rds" }),
      unsigned: good.replace(/&X-Amz-[^&]*/g, ""),
    };
    for (const [why, url] of Object.entries(refusedUrls)) {
      const result = await rawCopy(w, { ...base, PreSignedUrl: url });
      assert.equal(result.message, BAD_URL, `${why}: ${result.body}`);
      assertWire(result, { code: "InvalidParameterValue", status: 400, message: BAD_URL });
    }
    assert.deepEqual(await snapshotIds(west.neptune), []);

    // The same request with the untouched URL is taken.
    const taken = await rawCopy(w, { ...base, PreSignedUrl: good });
    assert.equal(taken.status, 200, taken.body);
    assert.deepEqual(await snapshotIds(west.neptune), ["c1"]);
  });

  test("an unencrypted snapshot crosses without a PreSignedUrl, from A's own Region or shared by A with B", async () => {
    const w = world();
    const { west, arn } = await eastSnapshot(w, { encrypted: false });
    const own = await copySnapshot(west.neptune, {
      SourceDBClusterSnapshotIdentifier: arn,
      TargetDBClusterSnapshotIdentifier: "mine",
    });
    assert.equal(own.StorageEncrypted, false);
    assert.equal(own.SourceDBClusterSnapshotArn, arn);

    await share(w.a.neptune, "snap1", [B]);
    const bWest = w.clientsFor(ADMIN[B]!, WEST);
    const shared = await copySnapshot(bWest.neptune, {
      SourceDBClusterSnapshotIdentifier: arn,
      TargetDBClusterSnapshotIdentifier: "theirs",
    });
    assert.equal(shared.DBClusterSnapshotArn, `arn:aws:rds:${WEST}:${B}:cluster-snapshot:theirs`);
    assert.equal(shared.SourceDBClusterSnapshotArn, arn);
    assert.deepEqual(await snapshotIds(bWest.neptune), ["theirs"]);
  });

  test("an encrypted snapshot shared by another account does not cross Regions (R12); copied in its Region first, it does", async () => {
    const w = world();
    const { arn } = await eastSnapshot(w, { keyPolicy: sharedKeyPolicy() });
    await share(w.a.neptune, "snap1", [B]);
    const bWest = w.clientsFor(ADMIN[B]!, WEST);
    const bWestKey = await createKey(bWest);
    await assertFault(
      () =>
        copySnapshot(bWest.neptune, {
          SourceDBClusterSnapshotIdentifier: arn,
          TargetDBClusterSnapshotIdentifier: "theirs",
          KmsKeyId: bWestKey.Arn,
        }),
      invalidCombination(SHARED_ENCRYPTED),
    );
    assert.deepEqual(await snapshotIds(bWest.neptune), []);

    // B copies it in its own Region under a key of its own, then copies that copy across (as `trident migrate` does).
    const bEastKey = await createKey(w.b);
    await copySnapshot(w.b.neptune, {
      SourceDBClusterSnapshotIdentifier: arn,
      TargetDBClusterSnapshotIdentifier: "local",
      KmsKeyId: bEastKey.Arn,
    });
    const crossed = await copySnapshot(bWest.neptune, {
      SourceDBClusterSnapshotIdentifier: snapshotArn(B, "local"),
      TargetDBClusterSnapshotIdentifier: "theirs",
      KmsKeyId: bWestKey.Arn,
    });
    assert.equal(crossed.SourceDBClusterSnapshotArn, snapshotArn(B, "local"));
    assert.equal(crossed.KmsKeyId, bWestKey.Arn);
    assert.deepEqual(await snapshotIds(bWest.neptune), ["theirs"]);
  });

  test("only a copy reaches another Region: restore and describe by another Region's ARN find nothing", async () => {
    const w = world();
    const { west, arn } = await eastSnapshot(w);
    await assertFault(
      () => restoreFromSnapshot(west.neptune, { DBClusterIdentifier: "dst", SnapshotIdentifier: arn }),
      snapshotNotFound(arn),
    );
    await assertFault(
      () => west.neptune.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: arn })),
      snapshotNotFound(arn),
    );
  });

  test("within one Region a PreSignedUrl is not used: any value is accepted", async () => {
    const w = world();
    await eastSnapshot(w);
    const result = await w.raw({
      service: "rds",
      params: {
        Action: "CopyDBClusterSnapshot",
        Version: "2014-10-31",
        SourceDBClusterSnapshotIdentifier: "snap1",
        TargetDBClusterSnapshotIdentifier: "same-region",
        PreSignedUrl: "not a url",
      },
    });
    assert.equal(result.status, 200, result.body);
    assert.ok((await snapshotIds(w.a.neptune)).includes("same-region"));
  });
});
