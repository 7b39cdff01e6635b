import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GetKeyLastUsageCommand,
  ReEncryptCommand,
} from "@aws-sdk/client-kms";
import { inProcess, rejection } from "../helpers/harness.js";

describe("KMS GetKeyLastUsage", () => {
  test("an unused key has no KeyLastUsage; each successful cryptographic operation is recorded on the clock", async () => {
    const { a, clock } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    const created = key!.CreationDate!.getTime();
    let usage = await a.kms.send(new GetKeyLastUsageCommand({ KeyId: key!.KeyId }));
    assert.equal(usage.KeyId, key!.Arn);
    assert.equal(usage.KeyLastUsage, undefined);
    assert.equal(usage.TrackingStartDate!.getTime(), created);
    assert.equal(usage.KeyCreationDate!.getTime(), created);

    // Reading the key's metadata is not a use.
    await a.kms.send(new DescribeKeyCommand({ KeyId: key!.KeyId }));
    clock.advance(60_000);
    const encrypted = await a.kms.send(new EncryptCommand({ KeyId: key!.KeyId, Plaintext: Buffer.from("x") }));
    usage = await a.kms.send(new GetKeyLastUsageCommand({ KeyId: key!.Arn }));
    assert.equal(usage.KeyLastUsage!.Operation, "Encrypt");
    assert.equal(usage.KeyLastUsage!.Timestamp!.getTime(), clock.now().getTime());
    assert.equal(usage.KeyLastUsage!.KmsRequestId, encrypted.$metadata.requestId);

    clock.advance(60_000);
    await a.kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
    usage = await a.kms.send(new GetKeyLastUsageCommand({ KeyId: key!.KeyId }));
    assert.equal(usage.KeyLastUsage!.Operation, "Decrypt");
    assert.equal(usage.KeyLastUsage!.Timestamp!.getTime(), clock.now().getTime());
  });

  test("ReEncrypt is recorded on both keys; a failed call is recorded on none", async () => {
    const { a, clock } = inProcess();
    const { KeyMetadata: source } = await a.kms.send(new CreateKeyCommand({}));
    const { KeyMetadata: destination } = await a.kms.send(new CreateKeyCommand({}));
    const { CiphertextBlob } = await a.kms.send(
      new EncryptCommand({ KeyId: source!.KeyId, Plaintext: Buffer.from("x"), EncryptionContext: { k: "v" } }),
    );
    clock.advance(1000);
    const failed = await rejection(() => a.kms.send(new DecryptCommand({ CiphertextBlob })));
    assert.equal(failed.name, "InvalidCiphertextException");
    const afterFailure = await a.kms.send(new GetKeyLastUsageCommand({ KeyId: source!.KeyId }));
    assert.equal(afterFailure.KeyLastUsage!.Operation, "Encrypt");

    await a.kms.send(
      new ReEncryptCommand({
        CiphertextBlob,
        SourceEncryptionContext: { k: "v" },
        DestinationKeyId: destination!.KeyId,
      }),
    );
    for (const key of [source!, destination!]) {
      const { KeyLastUsage } = await a.kms.send(new GetKeyLastUsageCommand({ KeyId: key.KeyId }));
      assert.equal(KeyLastUsage!.Operation, "ReEncrypt");
      assert.equal(KeyLastUsage!.Timestamp!.getTime(), clock.now().getTime());
    }
  });
});
