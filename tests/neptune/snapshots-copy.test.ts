import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateAliasCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  ListGrantsCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
} from "@aws-sdk/client-kms";
import {
  AddTagsToResourceCommand,
  DeleteDBClusterSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-neptune";
import { clusterSnapshotTable } from "../../src/domain/neptune/records.js";
import { A, ADMIN, B, REGION } from "../helpers/harness.js";
import { keyUseWithoutCreateGrant, ownerStatement, policyOf, sharedKeyPolicy } from "../helpers/seed.js";
import { invalidIdentifier, invalidValue, snapshotNotFound } from "./faults.js";
import { assertFault, assertWire, rdsQuery } from "./refusals.js";
import { createCluster, instantExcept, MINUTE } from "./resources.js";
import {
  automatedSnapshot,
  copySnapshot,
  copyToLocal,
  createKey,
  createSnapshot,
  describeSnapshot,
  seedSnapshot,
  share,
  snapshotArn,
  snapshotDataKey,
  sourceKeyMessage,
  specifiedKeyMessage,
  USERS,
  world,
  type World,
} from "./snapshots-fixtures.js";

const SLOW = instantExcept({ snapshotMs: 10 * MINUTE });

describe("CopyDBClusterSnapshot within an account", () => {
  test("an encrypted snapshot keeps its key by default; copying → available with progress; SourceDBClusterSnapshotArn", async () => {
    const w = world({ delays: SLOW });
    const key = await createKey(w.a);
    await createCluster(w.a.neptune, "src", { StorageEncrypted: true, KmsKeyId: key.Arn });
    w.clock.advance(10 * MINUTE);
    await createSnapshot(w.a.neptune, "src", "snap1");
    w.clock.advance(10 * MINUTE);

    const copied = await copySnapshot(w.a.neptune, {
      SourceDBClusterSnapshotIdentifier: "snap1",
      TargetDBClusterSnapshotIdentifier: "Snap1-Copy",
    });
    assert.equal(copied.DBClusterSnapshotIdentifier, "snap1-copy");
    assert.equal(copied.Status, "copying");
    assert.equal(copied.PercentProgress, 0);
    assert.equal(copied.SnapshotType, "manual");
    assert.equal(copied.KmsKeyId, key.Arn);
    assert.equal(copied.StorageEncrypted, true);
    assert.equal(copied.SourceDBClusterSnapshotArn, snapshotArn(A, "snap1"));
    assert.equal(copied.DBClusterIdentifier, "src");
    w.clock.advance(5 * MINUTE);
    const half = await describeSnapshot(w.a.neptune, "snap1-copy");
    assert.deepEqual([half.Status, half.PercentProgress], ["copying", 50]);
    w.clock.advance(5 * MINUTE);
    const done = await describeSnapshot(w.a.neptune, "snap1-copy");
    assert.deepEqual([done.Status, done.PercentProgress], ["available", 100]);
    // The same data key, still wrapped under the same key.
    assert.deepEqual(await snapshotDataKey(w, A, "snap1-copy"), await snapshotDataKey(w, A, "snap1"));
  });

  test("another key of the account (by alias) re-encrypts: the data key is re-wrapped, not regenerated", async () => {
    const w = world();
    const first = await createKey(w.a);
    const second = await createKey(w.a);
    await w.a.kms.send(new CreateAliasCommand({ AliasName: "alias/second", TargetKeyId: second.KeyId }));
    await createCluster(w.a.neptune, "src", { StorageEncrypted: true, KmsKeyId: first.Arn });
    await createSnapshot(w.a.neptune, "src", "snap1");
    const copied = await copySnapshot(w.a.neptune, {
      SourceDBClusterSnapshotIdentifier: snapshotArn(A, "snap1"),
      TargetDBClusterSnapshotIdentifier: "rekeyed",
      KmsKeyId: "alias/second",
    });
    assert.equal(copied.KmsKeyId, second.Arn);
    const record = clusterSnapshotTable(w.emulator.store, A, REGION).get("rekeyed")!;
    assert.notDeepEqual(
      record.wrappedDataKey,
      clusterSnapshotTable(w.emulator.store, A, REGION).get("snap1")!.wrappedDataKey,
    );
    assert.deepEqual(await snapshotDataKey(w, A, "rekeyed"), await snapshotDataKey(w, A, "snap1"));
  });

  test("an automated snapshot (by its rds: name) becomes a manual copy, which can then be shared", async () => {
    const w = world();
    await createCluster(w.a.neptune, "src");
    const automated = await automatedSnapshot(w.a.neptune);
    const copied = await copySnapshot(w.a.neptune, {
      SourceDBClusterSnapshotIdentifier: automated.DBClusterSnapshotIdentifier,
      TargetDBClusterSnapshotIdentifier: "manual-copy",
    });
    assert.equal(copied.SnapshotType, "manual");
    assert.equal(copied.SourceDBClusterSnapshotArn, automated.DBClusterSnapshotArn);
    assert.deepEqual((await share(w.a.neptune, "manual-copy", [B])).DBClusterSnapshotAttributes![0]!.AttributeValues, [
      B,
    ]);
  });

  test("tags: CopyTags copies the source's, explicit Tags win; shares are not copied", async () => {
    const w = world();
    await createCluster(w.a.neptune, "src");
    await createSnapshot(w.a.neptune, "src", "snap1");
    await share(w.a.neptune, "snap1", [B]);
    await w.a.neptune.send(
      new AddTagsToResourceCommand({ ResourceName: snapshotArn(A, "snap1"), Tags: [{ Key: "team", Value: "graph" }] }),
    );
    const tagsOf = async (id: string) =>
      (await w.a.neptune.send(new ListTagsForResourceCommand({ ResourceName: snapshotArn(A, id) }))).TagList;
    await copySnapshot(w.a.neptune, {
      SourceDBClusterSnapshotIdentifier: "snap1",
      TargetDBClusterSnapshotIdentifier: "with-tags",
      CopyTags: true,
    });
    assert.deepEqual(await tagsOf("with-tags"), [{ Key: "team", Value: "graph" }]);
    await copySnapshot(w.a.neptune, {
      SourceDBClusterSnapshotIdentifier: "snap1",
      TargetDBClusterSnapshotIdentifier: "explicit",
      CopyTags: true,
      Tags: [{ Key: "k", Value: "v" }],
    });
    assert.deepEqual(await tagsOf("explicit"), [{ Key: "k", Value: "v" }]);
    await copySnapshot(w.a.neptune, {
      SourceDBClusterSnapshotIdentifier: "snap1",
      TargetDBClusterSnapshotIdentifier: "bare",
    });
    assert.deepEqual(await tagsOf("bare"), []);
    assert.deepEqual(clusterSnapshotTable(w.emulator.store, A, REGION).get("bare")!.sharedWith, undefined);
  });

  test("refusals: KmsKeyId with an unencrypted source, target taken, source missing or not available", async () => {
    const w = world({ delays: SLOW });
    await createCluster(w.a.neptune, "src");
    w.clock.advance(10 * MINUTE);
    await createSnapshot(w.a.neptune, "src", "snap1");
    await assertFault(
      () =>
        copySnapshot(w.a.neptune, {
          SourceDBClusterSnapshotIdentifier: "snap1",
          TargetDBClusterSnapshotIdentifier: "c",
        }),
      {
        name: "InvalidDBClusterSnapshotStateFault",
        status: 400,
        message: "DbClusterSnapshot snap1 is in creating state but expected it to be one of available.",
      },
    );
    w.clock.advance(10 * MINUTE);
    const key = await createKey(w.a);
    const raw = await rdsQuery(w.raw, "CopyDBClusterSnapshot", {
      SourceDBClusterSnapshotIdentifier: "snap1",
      TargetDBClusterSnapshotIdentifier: "c",
      KmsKeyId: key.Arn!,
    });
    assertWire(raw, {
      code: "InvalidParameterCombination",
      status: 400,
      message:
        "Cannot encrypt an unencrypted DB cluster snapshot when copying it: copy it without KmsKeyId, then give the KmsKeyId to RestoreDBClusterFromSnapshot.",
    });
    await assertFault(
      () =>
        copySnapshot(w.a.neptune, {
          SourceDBClusterSnapshotIdentifier: "snap1",
          TargetDBClusterSnapshotIdentifier: "SNAP1",
        }),
      {
        name: "DBClusterSnapshotAlreadyExistsFault",
        status: 400,
        message: "Cannot create the cluster snapshot because one with the identifier snap1 already exists.",
      },
    );
    await assertFault(
      () =>
        copySnapshot(w.a.neptune, {
          SourceDBClusterSnapshotIdentifier: "ghost",
          TargetDBClusterSnapshotIdentifier: "c",
        }),
      snapshotNotFound("ghost"),
    );
    await assertFault(
      () =>
        copySnapshot(w.a.neptune, {
          SourceDBClusterSnapshotIdentifier: "snap1",
          TargetDBClusterSnapshotIdentifier: "-bad",
        }),
      invalidValue(invalidIdentifier("TargetDBClusterSnapshotIdentifier")),
    );
  });
});

describe("CopyDBClusterSnapshot of another account's shared snapshot (R7–R10)", () => {
  test("R7: by ARN, with a key of B: a manual snapshot of B, copying → available, encrypted with B's key", async () => {
    const w = world({ delays: SLOW });
    const keyB = await createKey(w.b);
    const { arn } = await seedSnapshot(w);

    const copied = await copyToLocal(w.b.neptune, arn, keyB.KeyId);
    assert.equal(copied.DBClusterSnapshotIdentifier, "local");
    assert.equal(copied.DBClusterSnapshotArn, snapshotArn(B, "local"));
    assert.equal(copied.SnapshotType, "manual");
    assert.equal(copied.Status, "copying");
    assert.equal(copied.SourceDBClusterSnapshotArn, arn);
    assert.equal(copied.KmsKeyId, keyB.Arn);
    w.clock.advance(10 * MINUTE);
    assert.equal((await describeSnapshot(w.b.neptune, "local")).Status, "available");
    // Envelope encryption for real: the same data key, unwrapped by A under A's key and by B under B's.
    assert.deepEqual(await snapshotDataKey(w, B, "local"), await snapshotDataKey(w, A, "snap1"));
    // The copy is B's: A's unsharing does not take it away.
    await share(w.a.neptune, "snap1", [], [B]);
    assert.equal((await describeSnapshot(w.b.neptune, "local")).Status, "available");
  });

  test("R7: by name (not ARN) the shared snapshot is not found", async () => {
    const w = world();
    await seedSnapshot(w);
    const keyB = await createKey(w.b);
    await assertFault(() => copyToLocal(w.b.neptune, "snap1", keyB.Arn), snapshotNotFound("snap1"));
  });

  test("R8: CopyTags=true is refused with the seed's message; explicit Tags are fine", async () => {
    const w = world();
    const { arn } = await seedSnapshot(w);
    const keyB = await createKey(w.b);
    const raw = await rdsQuery(
      w.raw,
      "CopyDBClusterSnapshot",
      {
        SourceDBClusterSnapshotIdentifier: arn,
        TargetDBClusterSnapshotIdentifier: "local",
        KmsKeyId: keyB.Arn!,
        CopyTags: "true",
      },
      ADMIN[B],
    );
    assertWire(raw, {
      code: "InvalidParameterValue",
      status: 400,
      message: "Cannot copy tags for shared or public snapshots.",
    });
    await copyToLocal(w.b.neptune, arn, keyB.Arn, { CopyTags: false, Tags: [{ Key: "from", Value: A }] });
    const tags = await w.b.neptune.send(new ListTagsForResourceCommand({ ResourceName: snapshotArn(B, "local") }));
    assert.deepEqual(tags.TagList, [{ Key: "from", Value: A }]);
  });

  test("R8 applies to public snapshots too", async () => {
    const w = world();
    await createCluster(w.a.neptune, "src");
    await createSnapshot(w.a.neptune, "src", "pub");
    await share(w.a.neptune, "pub", ["all"]);
    await assertFault(
      () =>
        copySnapshot(w.b.neptune, {
          SourceDBClusterSnapshotIdentifier: snapshotArn(A, "pub"),
          TargetDBClusterSnapshotIdentifier: "mine",
          CopyTags: true,
        }),
      invalidValue("Cannot copy tags for shared or public snapshots."),
    );
    const copied = await copySnapshot(w.b.neptune, {
      SourceDBClusterSnapshotIdentifier: snapshotArn(A, "pub"),
      TargetDBClusterSnapshotIdentifier: "mine",
    });
    assert.equal(copied.StorageEncrypted, false);
  });

  test("R9: an encrypted shared snapshot needs a KmsKeyId of B; B's alias/aws/rds will do", async () => {
    const w = world();
    const { arn } = await seedSnapshot(w);
    await assertFault(
      () => copyToLocal(w.b.neptune, arn, undefined),
      invalidValue(
        "The source snapshot is encrypted and belongs to another AWS account: specify a KmsKeyId of your account to encrypt the copy.",
      ),
    );
    const copied = await copyToLocal(w.b.neptune, arn, "alias/aws/rds");
    assert.match(copied.KmsKeyId!, new RegExp(`^arn:aws:kms:${REGION}:${B}:key/`));
  });

  test("R10 source: A's key policy must allow B, with kms:CreateGrant (I-AST29); the message names A's key ARN", async () => {
    const w = world();
    const keyB = await createKey(w.b);
    // No statement for B at all.
    const { keyA, arn } = await seedSnapshot(w, { keyPolicy: policyOf(ownerStatement()) });
    const attempt = () => copyToLocal(w.b.neptune, arn, keyB.Arn);
    const refused = { name: "KMSKeyNotAccessibleFault", status: 400, message: sourceKeyMessage(keyA.Arn!) };
    await assertFault(attempt, refused);
    const raw = await rdsQuery(
      w.raw,
      "CopyDBClusterSnapshot",
      { SourceDBClusterSnapshotIdentifier: arn, TargetDBClusterSnapshotIdentifier: "local", KmsKeyId: keyB.Arn! },
      ADMIN[B],
    );
    assertWire(raw, { code: "KMSKeyNotAccessibleFault", status: 400, message: sourceKeyMessage(keyA.Arn!) });
    // The I-AST29 policy: everything but kms:CreateGrant.
    const noCreateGrant = policyOf(ownerStatement(), keyUseWithoutCreateGrant());
    await w.a.kms.send(new PutKeyPolicyCommand({ KeyId: keyA.KeyId, Policy: noCreateGrant }));
    await assertFault(attempt, refused);
    // The seed's statements: it works.
    await w.a.kms.send(new PutKeyPolicyCommand({ KeyId: keyA.KeyId, Policy: sharedKeyPolicy() }));
    assert.equal((await attempt()).KmsKeyId, keyB.Arn);
    // Nothing was left behind by the refused attempts: only the finished copy exists in B.
    const inB = (await w.b.neptune.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: "manual" })))
      .DBClusterSnapshots!;
    assert.deepEqual(
      inB.map((s) => s.DBClusterSnapshotIdentifier),
      ["local"],
    );
  });

  test("R10 source: B's caller needs its own IAM permission on A's key; a disabled or deleted key of A fails too", async () => {
    const w = world();
    const { keyA, arn } = await seedSnapshot(w);
    const keyB = await createKey(w.b);
    const denied = w.clientsFor(USERS.bDenied);
    const refused = { name: "KMSKeyNotAccessibleFault", status: 400, message: sourceKeyMessage(keyA.Arn!) };
    await assertFault(() => copyToLocal(denied.neptune, arn, keyB.Arn), refused);
    await w.a.kms.send(new DisableKeyCommand({ KeyId: keyA.KeyId }));
    await assertFault(() => copyToLocal(w.b.neptune, arn, keyB.Arn), refused);
    await w.a.kms.send(new EnableKeyCommand({ KeyId: keyA.KeyId }));
    await copyToLocal(w.b.neptune, arn, keyB.Arn);
    await w.a.kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyA.KeyId, PendingWindowInDays: 7 }));
    await assertFault(
      () => copyToLocal(w.b.neptune, arn, keyB.Arn, { TargetDBClusterSnapshotIdentifier: "local2" }),
      refused,
    );
  });

  test("R10 target: a KmsKeyId B can't use is echoed as given", async () => {
    const w = world();
    const { arn } = await seedSnapshot(w);
    const attempt = (KmsKeyId: string, neptune = w.b.neptune) => copyToLocal(neptune, arn, KmsKeyId);
    const refused = (given: string) => ({
      name: "KMSKeyNotAccessibleFault",
      status: 400,
      message: specifiedKeyMessage(given),
    });
    // The string "None", as aurora-snapshot-tool passes it (I-AST25).
    await assertFault(() => attempt("None"), refused("None"));
    await assertFault(() => attempt("alias/nothing"), refused("alias/nothing"));
    const keyB = await createKey(w.b);
    await w.b.kms.send(new DisableKeyCommand({ KeyId: keyB.KeyId }));
    await assertFault(() => attempt(keyB.KeyId!), refused(keyB.KeyId!));
    await w.b.kms.send(new EnableKeyCommand({ KeyId: keyB.KeyId }));
    // A user of B whose IAM policy allows KMS only on A's keys: B's key is refused, A's is not the problem.
    await assertFault(() => attempt(keyB.Arn!, w.clientsFor(USERS.bOnlyA).neptune), refused(keyB.Arn!));
    // Another account's key that B is not allowed to use (C's), by ARN.
    const keyC = await createKey(w.c);
    await assertFault(() => attempt(keyC.Arn!), refused(keyC.Arn!));
  });

  test("grants Neptune takes for the copy are in ListGrants while it runs, and retired afterwards", async () => {
    const w = world({ delays: SLOW });
    const keyB = await createKey(w.b);
    const { keyA, arn } = await seedSnapshot(w);
    w.clock.advance(10 * MINUTE);
    const grantsOf = async (clients: World["a"], keyArn: string) =>
      (await clients.kms.send(new ListGrantsCommand({ KeyId: keyArn }))).Grants!.filter(
        (g) => g.Name === snapshotArn(B, "local"),
      );
    await copyToLocal(w.b.neptune, arn, keyB.Arn);
    const onA = await grantsOf(w.a, keyA.Arn!);
    assert.equal(onA.length, 1);
    assert.equal(onA[0]!.GranteePrincipal, `rds.${REGION}.amazonaws.com`);
    assert.equal(onA[0]!.IssuingAccount, `arn:aws:iam::${B}:root`);
    assert.equal((await grantsOf(w.b, keyB.Arn!)).length, 1);
    w.clock.advance(10 * MINUTE);
    await w.b.neptune.send(new DescribeDBClusterSnapshotsCommand({}));
    assert.deepEqual(await grantsOf(w.a, keyA.Arn!), []);
    assert.deepEqual(await grantsOf(w.b, keyB.Arn!), []);
  });

  test("with instant delays the copy answers copying/0, but is done: its grants are already given back", async () => {
    const w = world();
    const keyB = await createKey(w.b);
    const { keyA, arn } = await seedSnapshot(w);
    const copied = await copyToLocal(w.b.neptune, arn, keyB.Arn);
    assert.deepEqual([copied.Status, copied.PercentProgress], ["copying", 0]);
    // No Neptune request yet (its catch-up would retire them): KMS alone shows that the work grants are gone.
    for (const [clients, keyArn] of [
      [w.a, keyA.Arn!],
      [w.b, keyB.Arn!],
    ] as const) {
      const grants = (await clients.kms.send(new ListGrantsCommand({ KeyId: keyArn }))).Grants!;
      assert.deepEqual(
        grants.filter((g) => g.Name === snapshotArn(B, "local")),
        [],
      );
    }
    assert.equal(clusterSnapshotTable(w.emulator.store, B, REGION).get("local")!.workGrants, undefined);
    assert.equal((await describeSnapshot(w.b.neptune, "local")).Status, "available");
  });

  test("deleting the target while it is copying cancels the copy and gives its grants back", async () => {
    const w = world({ delays: SLOW });
    const keyB = await createKey(w.b);
    const { keyA, arn } = await seedSnapshot(w);
    w.clock.advance(10 * MINUTE);
    await copyToLocal(w.b.neptune, arn, keyB.Arn);
    w.clock.advance(MINUTE);
    const deleted = (
      await w.b.neptune.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: "local" }))
    ).DBClusterSnapshot!;
    assert.equal(deleted.Status, "copying");
    assert.equal(deleted.PercentProgress, 10);
    const grants = (await w.a.kms.send(new ListGrantsCommand({ KeyId: keyA.Arn }))).Grants!;
    assert.deepEqual(
      grants.filter((g) => g.Name === snapshotArn(B, "local")),
      [],
    );
    await assertFault(() => describeSnapshot(w.b.neptune, "local"), snapshotNotFound("local"));
  });
});
