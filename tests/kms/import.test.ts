import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createDecipheriv, createPublicKey, randomBytes } from "node:crypto";
import {
  CreateKeyCommand,
  DecryptCommand,
  DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateMacCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  PutKeyPolicyCommand,
  type AlgorithmSpec,
  type KMSClient,
  type WrappingKeySpec,
} from "@aws-sdk/client-kms";
import { createHmac } from "node:crypto";
import { A, B, inProcess, rejection } from "../helpers/harness.js";
import { importInto, wrap } from "./import-wrapping.js";

const HOUR = 3_600_000;

async function externalKey(kms: KMSClient) {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Origin: "EXTERNAL" }));
  return KeyMetadata!;
}

async function describedKey(kms: KMSClient, KeyId: string) {
  return (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!;
}

/**
 * Opens a Trident ciphertext (ciphertext.ts: "TKMS" | 2 | ARN length | ARN | material id | IV | tag | body, header
 * and encryption context as AAD) with node:crypto and the material itself: the imported material is the key.
 */
function openOffline(blob: Uint8Array, material: Buffer): Buffer {
  const data = Buffer.from(blob);
  const headerLength = 4 + 3 + data.readUInt16BE(5) + 32;
  const iv = data.subarray(headerLength, headerLength + 12);
  const decipher = createDecipheriv("aes-256-gcm", material, iv);
  decipher.setAAD(Buffer.concat([data.subarray(0, headerLength), Buffer.from("[]")]));
  decipher.setAuthTag(data.subarray(headerLength + 12, headerLength + 28));
  return Buffer.concat([decipher.update(data.subarray(headerLength + 28)), decipher.final()]);
}

describe("KMS imported key material", () => {
  const cases: [AlgorithmSpec, WrappingKeySpec][] = [
    ["RSAES_OAEP_SHA_1", "RSA_2048"],
    ["RSAES_OAEP_SHA_256", "RSA_3072"],
    ["RSA_AES_KEY_WRAP_SHA_1", "RSA_2048"],
    ["RSA_AES_KEY_WRAP_SHA_256", "RSA_4096"],
  ];
  for (const [algorithm, spec] of cases) {
    test(`${algorithm} with ${spec}: PendingImport, then the imported material is the key`, async () => {
      const { a, clock } = inProcess();
      const key = await externalKey(a.kms);
      assert.equal(key.Origin, "EXTERNAL");
      assert.equal(key.KeyState, "PendingImport");
      assert.equal(key.Enabled, false);
      assert.equal(key.CurrentKeyMaterialId, undefined);

      const parameters = await a.kms.send(
        new GetParametersForImportCommand({ KeyId: key.KeyId, WrappingAlgorithm: algorithm, WrappingKeySpec: spec }),
      );
      assert.equal(parameters.KeyId, key.Arn);
      assert.equal(parameters.ParametersValidTo!.getTime(), clock.now().getTime() + 24 * HOUR);
      const publicKey = createPublicKey({ key: Buffer.from(parameters.PublicKey!), format: "der", type: "spki" });
      assert.equal(publicKey.asymmetricKeyDetails?.modulusLength, Number(spec.slice(4)));

      const material = randomBytes(32);
      const imported = await a.kms.send(
        new ImportKeyMaterialCommand({
          KeyId: key.Arn,
          ImportToken: parameters.ImportToken,
          ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
          EncryptedKeyMaterial: wrap(parameters.PublicKey!, algorithm, material),
        }),
      );
      assert.equal(imported.KeyId, key.Arn);
      const described = await describedKey(a.kms, key.KeyId!);
      assert.equal(described.KeyState, "Enabled");
      assert.equal(described.ExpirationModel, "KEY_MATERIAL_DOES_NOT_EXPIRE");
      assert.equal(described.ValidTo, undefined);
      assert.equal(described.CurrentKeyMaterialId, imported.KeyMaterialId);

      const { CiphertextBlob } = await a.kms.send(
        new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("imported") }),
      );
      assert.equal(openOffline(CiphertextBlob!, material).toString(), "imported");
      const { Plaintext } = await a.kms.send(new DecryptCommand({ CiphertextBlob }));
      assert.equal(Buffer.from(Plaintext!).toString(), "imported");
    });
  }

  test("imported HMAC key material computes the MACs node:crypto computes", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(
      new CreateKeyCommand({ Origin: "EXTERNAL", KeySpec: "HMAC_384", KeyUsage: "GENERATE_VERIFY_MAC" }),
    );
    const material = randomBytes(100);
    await importInto(a.kms, key!.KeyId!, material);
    const Message = Buffer.from("message");
    const { Mac } = await a.kms.send(
      new GenerateMacCommand({ KeyId: key!.KeyId, Message, MacAlgorithm: "HMAC_SHA_384" }),
    );
    assert.deepEqual(Buffer.from(Mac!), createHmac("sha384", material).update(Message).digest());
    const short = await externalKeyWith(a.kms, "HMAC_384");
    const error = await rejection(() => importInto(a.kms, short, randomBytes(47)));
    assert.equal(error.name, "IncorrectKeyMaterialException");
    assert.equal(error.message, "Key material for a HMAC_384 key must be 48 to 128 bytes; this is 47.");
  });

  test("RSAES_PKCS1_V1_5 is no longer supported; a key with KMS's own material takes no import", async () => {
    const { a } = inProcess();
    const key = await externalKey(a.kms);
    const pkcs1 = await rejection(() =>
      a.kms.send(
        new GetParametersForImportCommand({
          KeyId: key.KeyId,
          WrappingAlgorithm: "RSAES_PKCS1_V1_5",
          WrappingKeySpec: "RSA_2048",
        }),
      ),
    );
    assert.equal(pkcs1.name, "UnsupportedOperationException");
    assert.equal(pkcs1.message, "KMS no longer supports the RSAES_PKCS1_V1_5 wrapping algorithm.");
    const { KeyMetadata: own } = await a.kms.send(new CreateKeyCommand({}));
    const error = await rejection(() =>
      a.kms.send(
        new GetParametersForImportCommand({
          KeyId: own!.KeyId,
          WrappingAlgorithm: "RSAES_OAEP_SHA_256",
          WrappingKeySpec: "RSA_2048",
        }),
      ),
    );
    assert.equal(error.name, "UnsupportedOperationException");
    assert.equal(error.message, `${own!.Arn} origin is AWS_KMS which is not valid for this operation.`);
    const pending = await rejection(() =>
      a.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("x") })),
    );
    assert.equal(pending.name, "KMSInvalidStateException");
    assert.equal(pending.message, `${key.Arn} is pending import.`);
  });

  test("a token of another key, an expired token, garbage and different material are refused and change nothing", async () => {
    const { a, clock } = inProcess();
    const key = await externalKey(a.kms);
    const other = await externalKey(a.kms);
    const material = randomBytes(32);
    const otherParameters = await a.kms.send(
      new GetParametersForImportCommand({
        KeyId: other.KeyId,
        WrappingAlgorithm: "RSAES_OAEP_SHA_256",
        WrappingKeySpec: "RSA_2048",
      }),
    );
    const invalid = await rejection(() =>
      a.kms.send(
        new ImportKeyMaterialCommand({
          KeyId: key.KeyId,
          ImportToken: otherParameters.ImportToken,
          ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
          EncryptedKeyMaterial: wrap(otherParameters.PublicKey!, "RSAES_OAEP_SHA_256", material),
        }),
      ),
    );
    assert.equal(invalid.name, "InvalidImportTokenException");
    assert.equal(invalid.$metadata?.httpStatusCode, 400);

    const parameters = await a.kms.send(
      new GetParametersForImportCommand({
        KeyId: key.KeyId,
        WrappingAlgorithm: "RSAES_OAEP_SHA_1",
        WrappingKeySpec: "RSA_2048",
      }),
    );
    const garbage = await rejection(() =>
      a.kms.send(
        new ImportKeyMaterialCommand({
          KeyId: key.KeyId,
          ImportToken: parameters.ImportToken,
          ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
          EncryptedKeyMaterial: randomBytes(256),
        }),
      ),
    );
    assert.equal(garbage.name, "InvalidCiphertextException");
    clock.advance(24 * HOUR);
    const expired = await rejection(() =>
      a.kms.send(
        new ImportKeyMaterialCommand({
          KeyId: key.KeyId,
          ImportToken: parameters.ImportToken,
          ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
          EncryptedKeyMaterial: wrap(parameters.PublicKey!, "RSAES_OAEP_SHA_1", material),
        }),
      ),
    );
    assert.equal(expired.name, "ExpiredImportTokenException");
    assert.equal((await describedKey(a.kms, key.KeyId!)).KeyState, "PendingImport");

    const first = await importInto(a.kms, key.KeyId!, material);
    const different = await rejection(() => importInto(a.kms, key.KeyId!, randomBytes(32)));
    assert.equal(different.name, "IncorrectKeyMaterialException");
    assert.equal(
      different.message,
      "The key material in the request is not the same key material that was previously imported into this KMS key.",
    );
    assert.equal((await describedKey(a.kms, key.KeyId!)).CurrentKeyMaterialId, first.KeyMaterialId);
    const again = await importInto(a.kms, key.KeyId!, material);
    assert.equal(again.KeyMaterialId, first.KeyMaterialId);
  });

  test("material that expires moves the key to PendingImport on the clock; re-importing it brings old ciphertexts back", async () => {
    const { a, clock } = inProcess();
    const key = await externalKey(a.kms);
    const material = randomBytes(32);
    const ValidTo = new Date(clock.now().getTime() + HOUR);
    const wrongModel = await rejection(() =>
      importInto(a.kms, key.KeyId!, material, undefined, undefined, {
        ExpirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE",
        ValidTo,
      }),
    );
    assert.equal(wrongModel.name, "ValidationException");
    assert.equal(wrongModel.message, "ValidTo must be omitted when ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE.");
    // AWS's default ExpirationModel is KEY_MATERIAL_EXPIRES: without either, the ValidTo it needs is missing.
    const parameters = await a.kms.send(
      new GetParametersForImportCommand({
        KeyId: key.KeyId,
        WrappingAlgorithm: "RSAES_OAEP_SHA_256",
        WrappingKeySpec: "RSA_2048",
      }),
    );
    const neither = await rejection(() =>
      a.kms.send(
        new ImportKeyMaterialCommand({
          KeyId: key.KeyId,
          ImportToken: parameters.ImportToken,
          EncryptedKeyMaterial: wrap(parameters.PublicKey!, "RSAES_OAEP_SHA_256", material),
        }),
      ),
    );
    assert.equal(neither.name, "ValidationException");
    assert.equal(neither.message, "ValidTo is required when ExpirationModel is KEY_MATERIAL_EXPIRES.");
    assert.equal((await describedKey(a.kms, key.KeyId!)).KeyState, "PendingImport");
    // A ValidTo alone is an expiry under the default model.
    await importInto(a.kms, key.KeyId!, material, undefined, undefined, { ValidTo });
    let described = await describedKey(a.kms, key.KeyId!);
    assert.equal(described.ExpirationModel, "KEY_MATERIAL_EXPIRES");
    assert.equal(described.ValidTo!.getTime(), ValidTo.getTime());
    const { CiphertextBlob } = await a.kms.send(
      new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("kept") }),
    );

    clock.advance(HOUR);
    described = await describedKey(a.kms, key.KeyId!);
    assert.equal(described.KeyState, "PendingImport");
    assert.equal(described.ValidTo, undefined);
    const refused = await rejection(() => a.kms.send(new DecryptCommand({ CiphertextBlob })));
    assert.equal(refused.name, "KMSInvalidStateException");
    assert.equal(refused.message, `${key.Arn} is pending import.`);

    await importInto(a.kms, key.KeyId!, material);
    const { Plaintext } = await a.kms.send(new DecryptCommand({ CiphertextBlob }));
    assert.equal(Buffer.from(Plaintext!).toString(), "kept");
  });

  test("DeleteImportedKeyMaterial puts the key back in PendingImport", async () => {
    const { a } = inProcess();
    const key = await externalKey(a.kms);
    const { KeyMaterialId } = await importInto(a.kms, key.KeyId!, randomBytes(32));
    const deleted = await a.kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.KeyId }));
    assert.deepEqual({ KeyId: deleted.KeyId, KeyMaterialId: deleted.KeyMaterialId }, { KeyId: key.Arn, KeyMaterialId });
    assert.equal((await describedKey(a.kms, key.KeyId!)).KeyState, "PendingImport");
  });

  test("the same material in two keys: each ciphertext names its own key, so neither key decrypts the other's", async () => {
    // AWS's ciphertext names its KMS key, and importing the same material into two keys does not make them
    // interchangeable (only related multi-Region keys are). Trident's names the key ARN and binds it as AAD.
    const { a, b } = inProcess();
    const material = randomBytes(32);
    const inA = await externalKey(a.kms);
    const inB = await externalKey(b.kms);
    const second = await externalKey(a.kms);
    for (const [kms, key] of [
      [a.kms, inA],
      [b.kms, inB],
      [a.kms, second],
    ] as const)
      await importInto(kms, key.KeyId!, material);
    const { CiphertextBlob } = await a.kms.send(new EncryptCommand({ KeyId: inA.KeyId, Plaintext: Buffer.from("a") }));
    assert.equal(openOffline(CiphertextBlob!, material).toString(), "a");
    const wrongKey = await rejection(() => a.kms.send(new DecryptCommand({ CiphertextBlob, KeyId: second.KeyId })));
    assert.equal(wrongKey.name, "IncorrectKeyException");
    const otherAccount = await rejection(() => b.kms.send(new DecryptCommand({ CiphertextBlob, KeyId: inB.Arn })));
    assert.equal(otherAccount.name, "IncorrectKeyException");
    // B reaches A's ciphertext only through A's key, as A's key policy decides.
    const denied = await rejection(() => b.kms.send(new DecryptCommand({ CiphertextBlob })));
    assert.equal(denied.name, "AccessDeniedException");
    await a.kms.send(
      new PutKeyPolicyCommand({
        KeyId: inA.KeyId,
        Policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: "kms:*", Resource: "*" },
            { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: "kms:Decrypt", Resource: "*" },
          ],
        }),
      }),
    );
    const { Plaintext, KeyId } = await b.kms.send(new DecryptCommand({ CiphertextBlob }));
    assert.equal(Buffer.from(Plaintext!).toString(), "a");
    assert.equal(KeyId, inA.Arn);
  });
});

async function externalKeyWith(kms: KMSClient, spec: "HMAC_384"): Promise<string> {
  const { KeyMetadata } = await kms.send(
    new CreateKeyCommand({ Origin: "EXTERNAL", KeySpec: spec, KeyUsage: "GENERATE_VERIFY_MAC" }),
  );
  return KeyMetadata!.KeyId!;
}
