import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CancelKeyDeletionCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  ReplicateKeyCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  UpdatePrimaryRegionCommand,
} from "@aws-sdk/client-kms";
import { A, ADMIN, inProcess, REGION, rejection } from "../helpers/harness.js";

const WEST = "eu-west-1";
const SOUTH = "ap-south-1";
const DAY = 86_400_000;

async function multiRegionKey() {
  const env = inProcess();
  const west = env.clientsFor(ADMIN[A]!, WEST);
  const south = env.clientsFor(ADMIN[A]!, SOUTH);
  const { KeyMetadata } = await env.a.kms.send(
    new CreateKeyCommand({ MultiRegion: true, Description: "orders", Tags: [{ TagKey: "team", TagValue: "graph" }] }),
  );
  return { ...env, west, south, key: KeyMetadata! };
}

describe("KMS multi-Region keys", () => {
  test("CreateKey MultiRegion=true gives an mrk- id and a PRIMARY configuration", async () => {
    const { a, key } = await multiRegionKey();
    assert.match(key.KeyId!, /^mrk-[0-9a-f]{32}$/);
    assert.equal(key.MultiRegion, true);
    const { KeyMetadata } = await a.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }));
    assert.deepEqual(KeyMetadata!.MultiRegionConfiguration, {
      MultiRegionKeyType: "PRIMARY",
      PrimaryKey: { Arn: key.Arn, Region: REGION },
      ReplicaKeys: [],
    });
  });

  test("ReplicateKey makes a replica with the same id and material and its own policy, tags and description", async () => {
    const { a, west, key } = await multiRegionKey();
    const replicated = await a.kms.send(
      new ReplicateKeyCommand({ KeyId: key.Arn, ReplicaRegion: WEST, Description: "orders (west)" }),
    );
    const replicaArn = `arn:aws:kms:${WEST}:${A}:key/${key.KeyId}`;
    const replica = replicated.ReplicaKeyMetadata!;
    assert.equal(replica.KeyId, key.KeyId);
    assert.equal(replica.Arn, replicaArn);
    assert.equal(replica.Description, "orders (west)");
    assert.equal(replica.KeyState, "Enabled");
    assert.equal(replica.CurrentKeyMaterialId, key.CurrentKeyMaterialId);
    assert.deepEqual(replicated.ReplicaTags, []);
    assert.equal(JSON.parse(replicated.ReplicaPolicy!).Statement[0].Principal.AWS, `arn:aws:iam::${A}:root`);
    assert.deepEqual(replica.MultiRegionConfiguration, {
      MultiRegionKeyType: "REPLICA",
      PrimaryKey: { Arn: key.Arn, Region: REGION },
      ReplicaKeys: [{ Arn: replicaArn, Region: WEST }],
    });
    // Each key's own properties stay its own.
    assert.deepEqual((await a.kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId }))).Tags, [
      { TagKey: "team", TagValue: "graph" },
    ]);
    assert.deepEqual((await west.kms.send(new ListResourceTagsCommand({ KeyId: key.KeyId }))).Tags, []);
    const { Policy } = await west.kms.send(new GetKeyPolicyCommand({ KeyId: key.KeyId }));
    assert.equal(Policy, replicated.ReplicaPolicy);
    assert.deepEqual(
      (await west.kms.send(new ListKeysCommand({}))).Keys!.map((listed) => listed.KeyArn),
      [replicaArn],
    );
    const primary = await a.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }));
    assert.deepEqual(primary.KeyMetadata!.MultiRegionConfiguration!.ReplicaKeys, [{ Arn: replicaArn, Region: WEST }]);
    assert.equal(primary.KeyMetadata!.Description, "orders");
  });

  test("a ciphertext made in one Region decrypts in another with the related key, also after a rotation", async () => {
    const { a, west, key } = await multiRegionKey();
    await a.kms.send(new ReplicateKeyCommand({ KeyId: key.KeyId, ReplicaRegion: WEST }));
    const east = await a.kms.send(
      new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("from the east"), EncryptionContext: { k: "v" } }),
    );
    const inWest = await west.kms.send(
      new DecryptCommand({ CiphertextBlob: east.CiphertextBlob, EncryptionContext: { k: "v" } }),
    );
    assert.equal(Buffer.from(inWest.Plaintext!).toString(), "from the east");
    assert.equal(inWest.KeyId, `arn:aws:kms:${WEST}:${A}:key/${key.KeyId}`);

    await a.kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId }));
    const westBlob = await west.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("west") }));
    const inEast = await a.kms.send(new DecryptCommand({ CiphertextBlob: westBlob.CiphertextBlob }));
    assert.equal(Buffer.from(inEast.Plaintext!).toString(), "west");
    const described = async (client: typeof a) =>
      (await client.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!.CurrentKeyMaterialId;
    assert.equal(await described(west), await described(a));

    // A single-Region key's ciphertext stays in its Region.
    const { KeyMetadata: local } = await a.kms.send(new CreateKeyCommand({}));
    const blob = await a.kms.send(new EncryptCommand({ KeyId: local!.KeyId, Plaintext: Buffer.from("x") }));
    const error = await rejection(() => west.kms.send(new DecryptCommand({ CiphertextBlob: blob.CiphertextBlob })));
    assert.equal(error.name, "InvalidCiphertextException");
  });

  test("ReplicateKey refuses a single-Region key, a replica, and a Region that already has a related key", async () => {
    const { a, west, key } = await multiRegionKey();
    const { KeyMetadata: single } = await a.kms.send(new CreateKeyCommand({}));
    const notMrk = await rejection(() =>
      a.kms.send(new ReplicateKeyCommand({ KeyId: single!.KeyId, ReplicaRegion: WEST })),
    );
    assert.equal(notMrk.name, "UnsupportedOperationException");
    assert.equal(notMrk.$metadata?.httpStatusCode, 400);
    assert.equal(
      notMrk.message,
      `${single!.Arn} is not a multi-Region key; only multi-Region primary keys can be replicated.`,
    );

    const same = await rejection(() =>
      a.kms.send(new ReplicateKeyCommand({ KeyId: key.KeyId, ReplicaRegion: REGION })),
    );
    assert.equal(same.name, "AlreadyExistsException");
    assert.equal(same.message, `A related multi-Region key already exists in ${REGION}: ${key.Arn}`);

    await a.kms.send(new ReplicateKeyCommand({ KeyId: key.KeyId, ReplicaRegion: WEST }));
    const again = await rejection(() => a.kms.send(new ReplicateKeyCommand({ KeyId: key.KeyId, ReplicaRegion: WEST })));
    assert.equal(again.name, "AlreadyExistsException");

    const fromReplica = await rejection(() =>
      west.kms.send(new ReplicateKeyCommand({ KeyId: key.KeyId, ReplicaRegion: SOUTH })),
    );
    assert.equal(fromReplica.name, "UnsupportedOperationException");
    assert.equal(
      fromReplica.message,
      `arn:aws:kms:${WEST}:${A}:key/${key.KeyId} is a multi-Region replica key; replicate its primary key.`,
    );
    const { KeyMetadata } = await a.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }));
    assert.equal(KeyMetadata!.MultiRegionConfiguration!.ReplicaKeys!.length, 1);
  });

  test("UpdatePrimaryRegion swaps the roles; a Region without a replica is NotFoundException", async () => {
    const { a, west, key } = await multiRegionKey();
    const missing = await rejection(() =>
      a.kms.send(new UpdatePrimaryRegionCommand({ KeyId: key.KeyId, PrimaryRegion: WEST })),
    );
    assert.equal(missing.name, "NotFoundException");
    assert.equal(missing.message, `Key 'arn:aws:kms:${WEST}:${A}:key/${key.KeyId}' does not exist`);

    await a.kms.send(new ReplicateKeyCommand({ KeyId: key.KeyId, ReplicaRegion: WEST }));
    await a.kms.send(new UpdatePrimaryRegionCommand({ KeyId: key.KeyId, PrimaryRegion: WEST }));
    const westArn = `arn:aws:kms:${WEST}:${A}:key/${key.KeyId}`;
    const { KeyMetadata: east } = await a.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }));
    assert.deepEqual(east!.MultiRegionConfiguration, {
      MultiRegionKeyType: "REPLICA",
      PrimaryKey: { Arn: westArn, Region: WEST },
      ReplicaKeys: [{ Arn: key.Arn, Region: REGION }],
    });
    const { KeyMetadata: westKey } = await west.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }));
    assert.equal(westKey!.MultiRegionConfiguration!.MultiRegionKeyType, "PRIMARY");

    // The old primary is a replica now: it can no longer be the one to change the primary or to rotate.
    const notPrimary = await rejection(() =>
      a.kms.send(new UpdatePrimaryRegionCommand({ KeyId: key.KeyId, PrimaryRegion: WEST })),
    );
    assert.equal(notPrimary.name, "UnsupportedOperationException");
    const rotate = await rejection(() => a.kms.send(new RotateKeyOnDemandCommand({ KeyId: key.KeyId })));
    assert.equal(rotate.name, "UnsupportedOperationException");
    assert.equal(
      rotate.message,
      `${key.Arn} is a multi-Region replica key (rotate its primary key); it does not support on-demand key rotation.`,
    );
  });

  test("a primary with replicas waits in PendingReplicaDeletion until its last replica is deleted", async () => {
    const { a, west, clock, key } = await multiRegionKey();
    await a.kms.send(new ReplicateKeyCommand({ KeyId: key.KeyId, ReplicaRegion: WEST }));
    const scheduled = await a.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    assert.equal(scheduled.KeyState, "PendingReplicaDeletion");
    assert.equal(scheduled.DeletionDate, undefined);
    assert.equal(scheduled.PendingWindowInDays, 7);
    const encrypt = await rejection(() =>
      a.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("x") })),
    );
    assert.equal(encrypt.name, "KMSInvalidStateException");
    assert.equal(encrypt.message, `${key.Arn} is pending replica deletion.`);
    const replicate = await rejection(() =>
      a.kms.send(new ReplicateKeyCommand({ KeyId: key.KeyId, ReplicaRegion: SOUTH })),
    );
    assert.equal(replicate.name, "KMSInvalidStateException");

    await west.kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    await west.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    clock.advance(30 * DAY);
    let described = (await a.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!;
    assert.equal(described.KeyState, "PendingDeletion");
    assert.equal(described.DeletionDate!.getTime(), clock.now().getTime() + 7 * DAY);

    await a.kms.send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }));
    described = (await a.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!;
    assert.equal(described.KeyState, "Disabled");
    assert.deepEqual(described.MultiRegionConfiguration!.ReplicaKeys, []);
  });
});
