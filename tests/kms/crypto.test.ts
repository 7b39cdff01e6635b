import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
} from "@aws-sdk/client-kms";
import { A, REGION, inProcess, rejection } from "../helpers/harness.js";

const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes!).toString("utf8");

async function setup() {
  const env = inProcess();
  const { KeyMetadata } = await env.a.kms.send(new CreateKeyCommand({}));
  return { ...env, key: KeyMetadata! };
}

describe("KMS Encrypt and Decrypt", () => {
  test("round trip; Decrypt finds the key from the blob without KeyId", async () => {
    const { a, key } = await setup();
    const encrypted = await a.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("graph data") }));
    assert.equal(encrypted.KeyId, key.Arn);
    assert.equal(encrypted.EncryptionAlgorithm, "SYMMETRIC_DEFAULT");
    assert.ok(!Buffer.from(encrypted.CiphertextBlob!).includes(Buffer.from("graph data")));
    const decrypted = await a.kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
    assert.equal(text(decrypted.Plaintext), "graph data");
    assert.equal(decrypted.KeyId, key.Arn);
    assert.equal(decrypted.EncryptionAlgorithm, "SYMMETRIC_DEFAULT");
    const withKey = await a.kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, KeyId: key.Arn }));
    assert.equal(text(withKey.Plaintext), "graph data");
  });

  test("two encryptions of the same plaintext differ (random IV); both decrypt", async () => {
    const { a, key } = await setup();
    const one = await a.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("same") }));
    const two = await a.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("same") }));
    assert.notDeepEqual(Buffer.from(one.CiphertextBlob!), Buffer.from(two.CiphertextBlob!));
  });

  test("by alias name", async () => {
    const { a, key } = await setup();
    await a.kms.send(new CreateAliasCommand({ AliasName: "alias/data", TargetKeyId: key.KeyId }));
    const encrypted = await a.kms.send(new EncryptCommand({ KeyId: "alias/data", Plaintext: Buffer.from("x") }));
    assert.equal(encrypted.KeyId, key.Arn);
    const decrypted = await a.kms.send(
      new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, KeyId: "alias/data" }),
    );
    assert.equal(text(decrypted.Plaintext), "x");
  });

  test("the encryption context is bound: a different or missing context is InvalidCiphertextException", async () => {
    const { a, key, raw } = await setup();
    const EncryptionContext = { cluster: "graph-1", account: A };
    const encrypted = await a.kms.send(
      new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("secret"), EncryptionContext }),
    );
    const reordered = { account: A, cluster: "graph-1" };
    assert.equal(
      text(
        (
          await a.kms.send(
            new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: reordered }),
          )
        ).Plaintext,
      ),
      "secret",
    );
    const wrong: (Record<string, string> | undefined)[] = [
      undefined,
      { cluster: "graph-2", account: A },
      { cluster: "graph-1" },
    ];
    for (const context of wrong) {
      const error = await rejection(() =>
        a.kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context })),
      );
      assert.equal(error.name, "InvalidCiphertextException");
      assert.equal(error.$metadata?.httpStatusCode, 400);
    }
    const wire = await raw({
      service: "kms",
      target: "Decrypt",
      json: { CiphertextBlob: Buffer.from(encrypted.CiphertextBlob!).toString("base64") },
    });
    assert.equal(wire.status, 400);
    assert.equal(wire.code, "InvalidCiphertextException");
  });

  test("a tampered blob, or bytes that are no blob at all, is InvalidCiphertextException", async () => {
    const { a, key } = await setup();
    const encrypted = await a.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("secret") }));
    const blob = Buffer.from(encrypted.CiphertextBlob!);
    for (const index of [blob.length - 1, blob.length - 20, 5]) {
      const tampered = Buffer.from(blob);
      tampered[index] = tampered[index]! ^ 0x01;
      const error = await rejection(() => a.kms.send(new DecryptCommand({ CiphertextBlob: tampered })));
      assert.ok(["InvalidCiphertextException", "NotFoundException"].includes(error.name), error.name);
    }
    const tail = Buffer.from(blob);
    tail[tail.length - 1] = tail[tail.length - 1]! ^ 0xff;
    assert.equal(
      (await rejection(() => a.kms.send(new DecryptCommand({ CiphertextBlob: tail })))).name,
      "InvalidCiphertextException",
    );
    const junk = await rejection(() =>
      a.kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from("not a ciphertext blob at all") })),
    );
    assert.equal(junk.name, "InvalidCiphertextException");
  });

  test("a KeyId that is not the blob's key is IncorrectKeyException", async () => {
    const { a, key } = await setup();
    const { KeyMetadata: other } = await a.kms.send(new CreateKeyCommand({}));
    const encrypted = await a.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("x") }));
    const error = await rejection(() =>
      a.kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, KeyId: other!.KeyId })),
    );
    assert.equal(error.name, "IncorrectKeyException");
    assert.equal(error.$metadata?.httpStatusCode, 400);
  });

  test("a disabled key is DisabledException, a key pending deletion KMSInvalidStateException", async () => {
    const { a, key } = await setup();
    const encrypted = await a.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("x") }));
    await a.kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    const disabled = await rejection(() =>
      a.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("x") })),
    );
    assert.equal(disabled.name, "DisabledException");
    assert.equal(disabled.message, `${key.Arn} is disabled.`);
    const decryptDisabled = await rejection(() =>
      a.kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob })),
    );
    assert.equal(decryptDisabled.name, "DisabledException");
    await a.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId }));
    const pending = await rejection(() => a.kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob })));
    assert.equal(pending.name, "KMSInvalidStateException");
    assert.equal(pending.message, `${key.Arn} is pending deletion.`);
  });

  test("a blob whose key has been deleted is NotFoundException", async () => {
    const { a, key, clock } = await setup();
    const encrypted = await a.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("x") }));
    await a.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    clock.advance(7 * 86_400_000);
    const error = await rejection(() => a.kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob })));
    assert.equal(error.name, "NotFoundException");
    assert.equal(error.message, `Key '${key.Arn}' does not exist`);
  });

  test("DryRun answers DryRunOperationException once every check has passed", async () => {
    const { a, key } = await setup();
    const error = await rejection(() =>
      a.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("x"), DryRun: true })),
    );
    assert.equal(error.name, "DryRunOperationException");
    assert.equal(error.message, "The request would have succeeded, but the DryRun option is set.");
  });

  test("an asymmetric algorithm on a symmetric key is InvalidKeyUsageException", async () => {
    const { a, key } = await setup();
    const error = await rejection(() =>
      a.kms.send(
        new EncryptCommand({
          KeyId: key.KeyId,
          Plaintext: Buffer.from("x"),
          EncryptionAlgorithm: "RSAES_OAEP_SHA_256",
        }),
      ),
    );
    assert.equal(error.name, "InvalidKeyUsageException");
  });

  test("Plaintext is limited to 4096 bytes by the model", async () => {
    const { key, raw } = await setup();
    const wire = await raw({
      service: "kms",
      target: "Encrypt",
      json: { KeyId: key.KeyId, Plaintext: Buffer.alloc(4097).toString("base64") },
    });
    assert.equal(wire.code, "ValidationException");
    assert.equal(
      wire.message,
      "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
    );
  });
});

describe("KMS ReEncrypt", () => {
  test("moves a ciphertext to another key and context without exposing the plaintext", async () => {
    const { a, key } = await setup();
    const { KeyMetadata: destination } = await a.kms.send(new CreateKeyCommand({}));
    const encrypted = await a.kms.send(
      new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("moved"), EncryptionContext: { v: "1" } }),
    );
    const moved = await a.kms.send(
      new ReEncryptCommand({
        CiphertextBlob: encrypted.CiphertextBlob,
        SourceEncryptionContext: { v: "1" },
        DestinationKeyId: destination!.Arn,
        DestinationEncryptionContext: { v: "2" },
      }),
    );
    assert.equal(moved.SourceKeyId, key.Arn);
    assert.equal(moved.KeyId, destination!.Arn);
    assert.equal(moved.SourceEncryptionAlgorithm, "SYMMETRIC_DEFAULT");
    assert.equal(moved.DestinationEncryptionAlgorithm, "SYMMETRIC_DEFAULT");
    const decrypted = await a.kms.send(
      new DecryptCommand({ CiphertextBlob: moved.CiphertextBlob, EncryptionContext: { v: "2" } }),
    );
    assert.equal(text(decrypted.Plaintext), "moved");
    assert.equal(decrypted.KeyId, destination!.Arn);
  });

  test("a wrong source context is InvalidCiphertextException", async () => {
    const { a, key } = await setup();
    const encrypted = await a.kms.send(
      new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("x"), EncryptionContext: { v: "1" } }),
    );
    const error = await rejection(() =>
      a.kms.send(new ReEncryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, DestinationKeyId: key.KeyId })),
    );
    assert.equal(error.name, "InvalidCiphertextException");
  });
});

describe("KMS GenerateDataKey", () => {
  test("returns a plaintext data key and its wrapped copy, which Decrypt unwraps", async () => {
    const { a, key } = await setup();
    const out = await a.kms.send(
      new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: "AES_256", EncryptionContext: { purpose: "snapshot" } }),
    );
    assert.equal(out.Plaintext!.length, 32);
    assert.equal(out.KeyId, key.Arn);
    const unwrapped = await a.kms.send(
      new DecryptCommand({ CiphertextBlob: out.CiphertextBlob, EncryptionContext: { purpose: "snapshot" } }),
    );
    assert.deepEqual(Buffer.from(unwrapped.Plaintext!), Buffer.from(out.Plaintext!));
    const small = await a.kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: "AES_128" }));
    assert.equal(small.Plaintext!.length, 16);
    const sized = await a.kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, NumberOfBytes: 7 }));
    assert.equal(sized.Plaintext!.length, 7);
  });

  test("exactly one of KeySpec and NumberOfBytes", async () => {
    const { a, key } = await setup();
    for (const input of [{}, { KeySpec: "AES_256" as const, NumberOfBytes: 32 }]) {
      const error = await rejection(() => a.kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, ...input })));
      assert.equal(error.name, "ValidationException");
    }
  });

  test("WithoutPlaintext returns only the wrapped key", async () => {
    const { a, key } = await setup();
    const out = await a.kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: key.KeyId, KeySpec: "AES_256" }));
    assert.equal((out as { Plaintext?: unknown }).Plaintext, undefined);
    const unwrapped = await a.kms.send(new DecryptCommand({ CiphertextBlob: out.CiphertextBlob }));
    assert.equal(unwrapped.Plaintext!.length, 32);
    assert.equal(out.KeyId, `arn:aws:kms:${REGION}:${A}:key/${key.KeyId}`);
  });
});
