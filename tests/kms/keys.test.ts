import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import {
  CancelKeyDeletionCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  GenerateRandomCommand,
  GetKeyRotationStatusCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateKeyDescriptionCommand,
} from "@aws-sdk/client-kms";
import { A, ADMIN, B, REGION, inProcess, rejection } from "../helpers/harness.js";
import { KMS_CONFIG, USERS } from "./fixtures.js";

const DAY = 86_400_000;

describe("KMS CreateKey and DescribeKey", () => {
  test("CreateKey returns AWS's KeyMetadata for a symmetric customer managed key", async () => {
    const { a, clock } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({ Description: "cluster key" }));
    assert.ok(key);
    assert.match(key.KeyId!, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(key.Arn, `arn:aws:kms:${REGION}:${A}:key/${key.KeyId}`);
    assert.equal(key.AWSAccountId, A);
    assert.equal(key.CreationDate!.getTime(), clock.now().getTime());
    assert.equal(key.Enabled, true);
    assert.equal(key.Description, "cluster key");
    assert.equal(key.KeyUsage, "ENCRYPT_DECRYPT");
    assert.equal(key.KeyState, "Enabled");
    assert.equal(key.Origin, "AWS_KMS");
    assert.equal(key.KeyManager, "CUSTOMER");
    assert.equal(key.CustomerMasterKeySpec, "SYMMETRIC_DEFAULT");
    assert.equal(key.KeySpec, "SYMMETRIC_DEFAULT");
    assert.deepEqual(key.EncryptionAlgorithms, ["SYMMETRIC_DEFAULT"]);
    assert.equal(key.MultiRegion, false);
    assert.equal(key.DeletionDate, undefined);
  });

  test("an empty Description is returned as an empty string", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    assert.equal(key!.Description, "");
  });

  test("DescribeKey finds the key by key id and by key ARN", async () => {
    const { a } = inProcess();
    const { KeyMetadata: created } = await a.kms.send(new CreateKeyCommand({}));
    for (const KeyId of [created!.KeyId, created!.Arn!]) {
      const { KeyMetadata } = await a.kms.send(new DescribeKeyCommand({ KeyId }));
      assert.equal(KeyMetadata!.Arn, created!.Arn);
    }
  });

  test("an unknown key id is NotFoundException naming the key ARN in the caller's account", async () => {
    const { a, raw } = inProcess();
    const id = "0b2ad402-1111-46ac-8888-123456789abc";
    const error = await rejection(() => a.kms.send(new DescribeKeyCommand({ KeyId: id })));
    assert.equal(error.name, "NotFoundException");
    assert.equal(error.$metadata?.httpStatusCode, 400);
    assert.equal(error.message, `Key 'arn:aws:kms:${REGION}:${A}:key/${id}' does not exist`);
    const wire = await raw({ service: "kms", target: "DescribeKey", json: { KeyId: id } });
    assert.equal(wire.status, 400);
    assert.equal(wire.code, "NotFoundException");
    assert.equal(wire.headers["content-type"], "application/x-amz-json-1.1");
  });

  test("a key id that can't be one is NotFoundException 'Invalid keyId'", async () => {
    const { a } = inProcess();
    const error = await rejection(() => a.kms.send(new DescribeKeyCommand({ KeyId: "not-a-key" })));
    assert.equal(error.name, "NotFoundException");
    assert.equal(error.message, "Invalid keyId not-a-key");
  });

  test("another account's key by bare key id is looked up in the caller's account: not found", async () => {
    const { a, b } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    const error = await rejection(() => b.kms.send(new DescribeKeyCommand({ KeyId: key!.KeyId })));
    assert.equal(error.name, "NotFoundException");
    assert.equal(error.message, `Key 'arn:aws:kms:${REGION}:${B}:key/${key!.KeyId}' does not exist`);
  });

  test("a key ARN of another region is NotFoundException 'Invalid arn'", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    const error = await rejection(() =>
      a.kms.send(new DescribeKeyCommand({ KeyId: key!.Arn!.replace(REGION, "eu-west-1") })),
    );
    assert.equal(error.name, "NotFoundException");
    assert.equal(error.message, "Invalid arn");
  });

  test("keys of other kinds are refused with UnsupportedOperationException naming what is missing", async () => {
    const { a } = inProcess();
    for (const input of [
      { KeySpec: "ML_DSA_44" as const, KeyUsage: "SIGN_VERIFY" as const, Origin: "EXTERNAL" as const },
      { KeySpec: "SM2" as const, KeyUsage: "SIGN_VERIFY" as const },
    ]) {
      const error = await rejection(() => a.kms.send(new CreateKeyCommand(input)));
      assert.equal(error.name, "UnsupportedOperationException");
      assert.equal(error.$metadata?.httpStatusCode, 400);
      assert.match(
        error.message,
        /^(Trident's KMS imports key material for symmetric encryption, HMAC, RSA and ECC keys only, not for ML_DSA_44 keys\.|KeySpec SM2 is not supported in this Region)$/,
      );
    }
  });

  test("CreateKey needs kms:CreateKey in the caller's IAM policy", async () => {
    const { clientsFor } = inProcess({ config: KMS_CONFIG });
    const error = await rejection(() => clientsFor(USERS.aReader).kms.send(new CreateKeyCommand({})));
    assert.equal(error.name, "AccessDeniedException");
    assert.equal(error.$metadata?.httpStatusCode, 400);
    assert.equal(
      error.message,
      `User: arn:aws:iam::${A}:user/reader is not authorized to perform: kms:CreateKey because no identity-based policy allows the kms:CreateKey action`,
    );
  });
  test("an explicit Deny of kms:CreateKey in the caller's session policy is named as such", async () => {
    const { b, clientsFor } = inProcess({
      config: {
        accounts: {
          [B]: {
            users: [{ name: "admin", ...ADMIN[B]! }],
            roles: [
              {
                name: "operator",
                trustPolicy: {
                  Version: "2012-10-17",
                  Statement: [
                    { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: "sts:AssumeRole" },
                  ],
                },
              },
            ],
          },
        },
      },
    });
    const denyCreate = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "*", Resource: "*" },
        { Effect: "Deny", Action: "kms:CreateKey", Resource: "*" },
      ],
    });
    const session = await b.sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${B}:role/operator`, RoleSessionName: "ops", Policy: denyCreate }),
    );
    const operator = clientsFor({
      accessKeyId: session.Credentials!.AccessKeyId!,
      secretAccessKey: session.Credentials!.SecretAccessKey!,
      sessionToken: session.Credentials!.SessionToken!,
    });
    const error = await rejection(() => operator.kms.send(new CreateKeyCommand({})));
    assert.equal(error.name, "AccessDeniedException");
    assert.equal(
      error.message,
      `User: arn:aws:sts::${B}:assumed-role/operator/ops is not authorized to perform: kms:CreateKey with an explicit deny in a session policy`,
    );
  });
});

describe("KMS ListKeys", () => {
  test("lists the caller's keys of the region only, paginated with Limit and Marker", async () => {
    const { a, b, clock } = inProcess();
    const arns: string[] = [];
    for (let i = 0; i < 5; i++) {
      arns.push((await a.kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!);
      clock.advance(1000);
    }
    await b.kms.send(new CreateKeyCommand({}));
    const first = await a.kms.send(new ListKeysCommand({ Limit: 2 }));
    assert.equal(first.Truncated, true);
    assert.ok(first.NextMarker);
    assert.deepEqual(
      first.Keys!.map((k) => k.KeyArn),
      arns.slice(0, 2),
    );
    assert.equal(first.Keys![0]!.KeyId, arns[0]!.split("/")[1]);
    const second = await a.kms.send(new ListKeysCommand({ Limit: 2, Marker: first.NextMarker }));
    assert.deepEqual(
      second.Keys!.map((k) => k.KeyArn),
      arns.slice(2, 4),
    );
    const last = await a.kms.send(new ListKeysCommand({ Limit: 2, Marker: second.NextMarker }));
    assert.deepEqual(
      last.Keys!.map((k) => k.KeyArn),
      arns.slice(4),
    );
    assert.equal(last.Truncated, false);
    assert.equal(last.NextMarker, undefined);
    const all = await a.kms.send(new ListKeysCommand({}));
    assert.equal(all.Keys!.length, 5);
  });

  test("a marker that KMS did not hand out is InvalidMarkerException", async () => {
    const { a } = inProcess();
    const error = await rejection(() => a.kms.send(new ListKeysCommand({ Marker: "garbage" })));
    assert.equal(error.name, "InvalidMarkerException");
  });
});

describe("KMS key states", () => {
  test("DisableKey and EnableKey move the state; DescribeKey still works while disabled", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    await a.kms.send(new DisableKeyCommand({ KeyId: key!.KeyId }));
    let described = (await a.kms.send(new DescribeKeyCommand({ KeyId: key!.KeyId }))).KeyMetadata!;
    assert.equal(described.KeyState, "Disabled");
    assert.equal(described.Enabled, false);
    await a.kms.send(new EnableKeyCommand({ KeyId: key!.Arn }));
    described = (await a.kms.send(new DescribeKeyCommand({ KeyId: key!.KeyId }))).KeyMetadata!;
    assert.equal(described.KeyState, "Enabled");
  });

  test("ScheduleKeyDeletion: PendingDeletion until the date on the clock, then the key is gone", async () => {
    const { a, clock } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    const scheduled = await a.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key!.KeyId, PendingWindowInDays: 7 }));
    assert.equal(scheduled.KeyId, key!.Arn);
    assert.equal(scheduled.KeyState, "PendingDeletion");
    assert.equal(scheduled.PendingWindowInDays, 7);
    assert.equal(scheduled.DeletionDate!.getTime(), clock.now().getTime() + 7 * DAY);

    const described = (await a.kms.send(new DescribeKeyCommand({ KeyId: key!.KeyId }))).KeyMetadata!;
    assert.equal(described.KeyState, "PendingDeletion");
    assert.equal(described.Enabled, false);
    assert.equal(described.PendingDeletionWindowInDays, 7);
    assert.equal(described.DeletionDate!.getTime(), scheduled.DeletionDate!.getTime());

    const again = await rejection(() => a.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key!.KeyId })));
    assert.equal(again.name, "KMSInvalidStateException");
    assert.equal(again.message, `${key!.Arn} is pending deletion.`);
    const enable = await rejection(() => a.kms.send(new EnableKeyCommand({ KeyId: key!.KeyId })));
    assert.equal(enable.name, "KMSInvalidStateException");

    clock.advance(7 * DAY - 1);
    assert.equal(
      (await a.kms.send(new DescribeKeyCommand({ KeyId: key!.KeyId }))).KeyMetadata!.KeyState,
      "PendingDeletion",
    );
    clock.advance(1);
    const gone = await rejection(() => a.kms.send(new DescribeKeyCommand({ KeyId: key!.KeyId })));
    assert.equal(gone.name, "NotFoundException");
    assert.equal(gone.message, `Key '${key!.Arn}' does not exist`);
    assert.equal((await a.kms.send(new ListKeysCommand({}))).Keys!.length, 0);
  });

  test("the waiting period is 7 to 30 days, 30 by default", async () => {
    const { a, clock } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    const short = await rejection(() =>
      a.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key!.KeyId, PendingWindowInDays: 6 })),
    );
    assert.equal(short.name, "ValidationException");
    assert.equal(
      short.message,
      "1 validation error detected: Value '6' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 7",
    );
    const long = await rejection(() =>
      a.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key!.KeyId, PendingWindowInDays: 31 })),
    );
    assert.equal(long.name, "ValidationException");
    const scheduled = await a.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key!.KeyId }));
    assert.equal(scheduled.PendingWindowInDays, 30);
    assert.equal(scheduled.DeletionDate!.getTime(), clock.now().getTime() + 30 * DAY);
  });

  test("CancelKeyDeletion leaves the key Disabled; on a key not pending deletion it is KMSInvalidStateException", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    const notPending = await rejection(() => a.kms.send(new CancelKeyDeletionCommand({ KeyId: key!.KeyId })));
    assert.equal(notPending.name, "KMSInvalidStateException");
    assert.equal(notPending.message, `${key!.Arn} is not pending deletion.`);
    await a.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key!.KeyId }));
    const cancelled = await a.kms.send(new CancelKeyDeletionCommand({ KeyId: key!.KeyId }));
    assert.equal(cancelled.KeyId, key!.Arn);
    const described = (await a.kms.send(new DescribeKeyCommand({ KeyId: key!.KeyId }))).KeyMetadata!;
    assert.equal(described.KeyState, "Disabled");
    assert.equal(described.DeletionDate, undefined);
  });

  test("UpdateKeyDescription changes the description, not on a key pending deletion", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({ Description: "old" }));
    await a.kms.send(new UpdateKeyDescriptionCommand({ KeyId: key!.KeyId, Description: "new" }));
    assert.equal((await a.kms.send(new DescribeKeyCommand({ KeyId: key!.KeyId }))).KeyMetadata!.Description, "new");
    await a.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key!.KeyId }));
    const error = await rejection(() =>
      a.kms.send(new UpdateKeyDescriptionCommand({ KeyId: key!.KeyId, Description: "x" })),
    );
    assert.equal(error.name, "KMSInvalidStateException");
  });
});

describe("KMS tags", () => {
  test("TagResource, UntagResource and ListResourceTags, and tags given to CreateKey", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(
      new CreateKeyCommand({ Tags: [{ TagKey: "team", TagValue: "graph" }] }),
    );
    await a.kms.send(
      new TagResourceCommand({
        KeyId: key!.KeyId,
        Tags: [
          { TagKey: "env", TagValue: "prod" },
          { TagKey: "team", TagValue: "data" },
        ],
      }),
    );
    let tags = await a.kms.send(new ListResourceTagsCommand({ KeyId: key!.Arn }));
    assert.deepEqual(tags.Tags, [
      { TagKey: "env", TagValue: "prod" },
      { TagKey: "team", TagValue: "data" },
    ]);
    assert.equal(tags.Truncated, false);
    await a.kms.send(new UntagResourceCommand({ KeyId: key!.KeyId, TagKeys: ["env"] }));
    tags = await a.kms.send(new ListResourceTagsCommand({ KeyId: key!.KeyId, Limit: 1 }));
    assert.deepEqual(tags.Tags, [{ TagKey: "team", TagValue: "data" }]);
  });

  test("tag keys beginning with aws: are TagException", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    const error = await rejection(() =>
      a.kms.send(new TagResourceCommand({ KeyId: key!.KeyId, Tags: [{ TagKey: "aws:owner", TagValue: "x" }] })),
    );
    assert.equal(error.name, "TagException");
    assert.equal(error.$metadata?.httpStatusCode, 400);
  });
});

describe("KMS key rotation", () => {
  test("EnableKeyRotation reports the period and a next rotation date derived from the clock", async () => {
    const { a, clock } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    assert.deepEqual(
      { ...(await a.kms.send(new GetKeyRotationStatusCommand({ KeyId: key!.KeyId }))), $metadata: undefined },
      { KeyRotationEnabled: false, KeyId: key!.Arn, $metadata: undefined },
    );
    const enabledAt = clock.now().getTime();
    await a.kms.send(new EnableKeyRotationCommand({ KeyId: key!.KeyId, RotationPeriodInDays: 90 }));
    let status = await a.kms.send(new GetKeyRotationStatusCommand({ KeyId: key!.KeyId }));
    assert.equal(status.KeyRotationEnabled, true);
    assert.equal(status.RotationPeriodInDays, 90);
    assert.equal(status.NextRotationDate!.getTime(), enabledAt + 90 * DAY);
    clock.advance(100 * DAY);
    status = await a.kms.send(new GetKeyRotationStatusCommand({ KeyId: key!.KeyId }));
    assert.equal(status.NextRotationDate!.getTime(), enabledAt + 180 * DAY);
    await a.kms.send(new DisableKeyRotationCommand({ KeyId: key!.KeyId }));
    assert.equal((await a.kms.send(new GetKeyRotationStatusCommand({ KeyId: key!.KeyId }))).KeyRotationEnabled, false);
  });

  test("rotation of a disabled key is DisabledException", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    await a.kms.send(new DisableKeyCommand({ KeyId: key!.KeyId }));
    const error = await rejection(() => a.kms.send(new EnableKeyRotationCommand({ KeyId: key!.KeyId })));
    assert.equal(error.name, "DisabledException");
    assert.equal(error.message, `${key!.Arn} is disabled.`);
  });
});

describe("KMS GenerateRandom", () => {
  test("returns NumberOfBytes random bytes; the model bounds it to 1..1024", async () => {
    const { a, raw } = inProcess();
    const out = await a.kms.send(new GenerateRandomCommand({ NumberOfBytes: 64 }));
    assert.equal(out.Plaintext!.length, 64);
    const other = await a.kms.send(new GenerateRandomCommand({ NumberOfBytes: 64 }));
    assert.notDeepEqual(Buffer.from(other.Plaintext!), Buffer.from(out.Plaintext!));
    const tooMany = await raw({ service: "kms", target: "GenerateRandom", json: { NumberOfBytes: 1025 } });
    assert.equal(tooMany.code, "ValidationException");
    assert.equal(
      tooMany.message,
      "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
    );
  });
});
