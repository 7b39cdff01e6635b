import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyRotationStatusCommand,
  ListKeyRotationsCommand,
  RotateKeyOnDemandCommand,
  type KMSClient,
} from "@aws-sdk/client-kms";
import { inProcess, rejection } from "../helpers/harness.js";

const DAY = 86_400_000;

async function encryptDecrypt(kms: KMSClient, KeyId: string, text: string) {
  const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from(text) }));
  return Buffer.from(CiphertextBlob!);
}

async function decrypts(kms: KMSClient, blob: Buffer): Promise<string> {
  const { Plaintext } = await kms.send(new DecryptCommand({ CiphertextBlob: blob }));
  return Buffer.from(Plaintext!).toString();
}

async function currentMaterialId(kms: KMSClient, KeyId: string): Promise<string> {
  return (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.CurrentKeyMaterialId!;
}

describe("KMS RotateKeyOnDemand and ListKeyRotations", () => {
  test("after an on-demand rotation, old ciphertexts still decrypt and new ones use the new material", async () => {
    const { a, clock } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    const firstId = await currentMaterialId(a.kms, key!.KeyId!);
    assert.match(firstId, /^[0-9a-f]{64}$/);
    const before = await encryptDecrypt(a.kms, key!.KeyId!, "before");
    assert.ok(before.includes(Buffer.from(firstId, "hex")), "the ciphertext names its backing material");

    clock.advance(1000);
    const rotatedAt = clock.now().getTime();
    const rotated = await a.kms.send(new RotateKeyOnDemandCommand({ KeyId: key!.KeyId }));
    assert.equal(rotated.KeyId, key!.Arn);
    const secondId = await currentMaterialId(a.kms, key!.KeyId!);
    assert.notEqual(secondId, firstId);

    const after = await encryptDecrypt(a.kms, key!.KeyId!, "after");
    assert.ok(after.includes(Buffer.from(secondId, "hex")));
    assert.ok(!after.includes(Buffer.from(firstId, "hex")));
    assert.equal(await decrypts(a.kms, before), "before");
    assert.equal(await decrypts(a.kms, after), "after");

    const rotations = await a.kms.send(new ListKeyRotationsCommand({ KeyId: key!.KeyId }));
    assert.deepEqual(rotations.Rotations, [
      {
        KeyId: key!.Arn,
        KeyMaterialId: secondId,
        KeyMaterialState: "CURRENT",
        RotationDate: new Date(rotatedAt),
        RotationType: "ON_DEMAND",
      },
    ]);
    assert.equal(rotations.Truncated, false);
    const all = await a.kms.send(
      new ListKeyRotationsCommand({ KeyId: key!.Arn, IncludeKeyMaterial: "ALL_KEY_MATERIAL" }),
    );
    assert.deepEqual(
      all.Rotations!.map((entry) => [entry.KeyMaterialId, entry.KeyMaterialState, entry.RotationType]),
      [
        [firstId, "NON_CURRENT", undefined],
        [secondId, "CURRENT", "ON_DEMAND"],
      ],
    );
    // On-demand rotation completes at once, so no rotation is in progress, and the automatic schedule is untouched.
    const status = await a.kms.send(new GetKeyRotationStatusCommand({ KeyId: key!.KeyId }));
    assert.equal(status.KeyRotationEnabled, false);
    assert.equal(status.OnDemandRotationStartDate, undefined);
  });

  test("the eleventh on-demand rotation is LimitExceededException and changes nothing", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    for (let i = 0; i < 10; i++) await a.kms.send(new RotateKeyOnDemandCommand({ KeyId: key!.KeyId }));
    const currentId = await currentMaterialId(a.kms, key!.KeyId!);
    const error = await rejection(() => a.kms.send(new RotateKeyOnDemandCommand({ KeyId: key!.KeyId })));
    assert.equal(error.name, "LimitExceededException");
    assert.equal(error.$metadata?.httpStatusCode, 400);
    assert.equal(error.message, `${key!.Arn} has reached the maximum of 10 on-demand rotations per KMS key.`);
    assert.equal(await currentMaterialId(a.kms, key!.KeyId!), currentId);
    const { Rotations } = await a.kms.send(new ListKeyRotationsCommand({ KeyId: key!.KeyId }));
    assert.equal(Rotations!.length, 10);
  });

  test("ListKeyRotations pages with Limit and Marker", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    for (let i = 0; i < 3; i++) await a.kms.send(new RotateKeyOnDemandCommand({ KeyId: key!.KeyId }));
    const first = await a.kms.send(new ListKeyRotationsCommand({ KeyId: key!.KeyId!, Limit: 2 }));
    assert.equal(first.Rotations!.length, 2);
    assert.equal(first.Truncated, true);
    const second = await a.kms.send(
      new ListKeyRotationsCommand({ KeyId: key!.KeyId!, Limit: 2, Marker: first.NextMarker }),
    );
    assert.equal(second.Rotations!.length, 1);
    assert.equal(second.Truncated, false);
    assert.equal(second.Rotations![0]!.KeyMaterialState, "CURRENT");
  });

  test("keys that cannot rotate on demand are refused, and a disabled key is DisabledException", async () => {
    const { a } = inProcess();
    const { KeyMetadata: hmac } = await a.kms.send(
      new CreateKeyCommand({ KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" }),
    );
    const error = await rejection(() => a.kms.send(new RotateKeyOnDemandCommand({ KeyId: hmac!.KeyId })));
    assert.equal(error.name, "UnsupportedOperationException");
    assert.equal(error.message, `${hmac!.Arn} does not support on-demand key rotation.`);

    const { KeyMetadata: external } = await a.kms.send(new CreateKeyCommand({ Origin: "EXTERNAL" }));
    const imported = await rejection(() => a.kms.send(new RotateKeyOnDemandCommand({ KeyId: external!.KeyId })));
    // Its state (PendingImport) is checked first.
    assert.equal(imported.name, "KMSInvalidStateException");
    assert.equal(imported.message, `${external!.Arn} is pending import.`);

    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    await a.kms.send(new DisableKeyCommand({ KeyId: key!.KeyId }));
    const disabled = await rejection(() => a.kms.send(new RotateKeyOnDemandCommand({ KeyId: key!.KeyId })));
    assert.equal(disabled.name, "DisabledException");
    const { Rotations } = await a.kms.send(new ListKeyRotationsCommand({ KeyId: key!.KeyId }));
    assert.deepEqual(Rotations, []);
  });
});

describe("KMS automatic rotation on the clock", () => {
  test("a key rotates at each rotation date it passes; every ciphertext still decrypts", async () => {
    const { a, clock } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    const old = await encryptDecrypt(a.kms, key!.KeyId!, "old");
    const firstId = await currentMaterialId(a.kms, key!.KeyId!);
    const enabledAt = clock.now().getTime();
    await a.kms.send(new EnableKeyRotationCommand({ KeyId: key!.KeyId!, RotationPeriodInDays: 90 }));

    clock.advance(90 * DAY - 1);
    assert.equal(await currentMaterialId(a.kms, key!.KeyId!), firstId);
    clock.advance(1 + 100 * DAY); // day 190: the rotations of day 90 and day 180
    const { Rotations } = await a.kms.send(new ListKeyRotationsCommand({ KeyId: key!.KeyId }));
    assert.deepEqual(
      Rotations!.map((entry) => [entry.RotationType, entry.RotationDate!.getTime(), entry.KeyMaterialState]),
      [
        ["AUTOMATIC", enabledAt + 90 * DAY, "NON_CURRENT"],
        ["AUTOMATIC", enabledAt + 180 * DAY, "CURRENT"],
      ],
    );
    assert.equal(await currentMaterialId(a.kms, key!.KeyId!), Rotations![1]!.KeyMaterialId);
    const status = await a.kms.send(new GetKeyRotationStatusCommand({ KeyId: key!.KeyId }));
    assert.equal(status.NextRotationDate!.getTime(), enabledAt + 270 * DAY);
    assert.equal(await decrypts(a.kms, old), "old");
  });

  test("RotationPeriodInDays outside 90–2560 is a ValidationException and changes nothing", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    for (const days of [89, 2561]) {
      const error = await rejection(() =>
        a.kms.send(new EnableKeyRotationCommand({ KeyId: key!.KeyId!, RotationPeriodInDays: days })),
      );
      assert.equal(error.name, "ValidationException");
      assert.equal(error.$metadata?.httpStatusCode, 400);
    }
    const status = await a.kms.send(new GetKeyRotationStatusCommand({ KeyId: key!.KeyId }));
    assert.equal(status.KeyRotationEnabled, false);
  });
});
