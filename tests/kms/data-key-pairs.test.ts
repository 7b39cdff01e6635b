import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify } from "node:crypto";
import {
  CreateKeyCommand,
  DecryptCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  type DataKeyPairSpec,
} from "@aws-sdk/client-kms";
import { inProcess, rejection } from "../helpers/harness.js";

/** Each spec, and how node:crypto describes its public key. */
const PAIRS: [DataKeyPairSpec, string, Record<string, unknown>][] = [
  ["RSA_2048", "rsa", { modulusLength: 2048 }],
  ["RSA_3072", "rsa", { modulusLength: 3072 }],
  ["ECC_NIST_P256", "ec", { namedCurve: "prime256v1" }],
  ["ECC_NIST_P384", "ec", { namedCurve: "secp384r1" }],
  ["ECC_NIST_P521", "ec", { namedCurve: "secp521r1" }],
  ["ECC_SECG_P256K1", "ec", { namedCurve: "secp256k1" }],
  ["ECC_NIST_EDWARDS25519", "ed25519", {}],
];

async function symmetricKey() {
  const env = inProcess();
  const { KeyMetadata } = await env.a.kms.send(new CreateKeyCommand({}));
  return { ...env, key: KeyMetadata! };
}

/** The private key is the public key's other half: what it signs, the public key verifies. */
function pairsUp(privateDer: Uint8Array, publicDer: Uint8Array): boolean {
  const privateKey = createPrivateKey({ key: Buffer.from(privateDer), format: "der", type: "pkcs8" });
  const publicKey = createPublicKey({ key: Buffer.from(publicDer), format: "der", type: "spki" });
  const hash = privateKey.asymmetricKeyType === "ed25519" ? null : "sha256";
  const message = Buffer.from("pair");
  return nodeVerify(hash, message, publicKey, nodeSign(hash, message, privateKey));
}

describe("KMS GenerateDataKeyPair", () => {
  for (const [KeyPairSpec, type, details] of PAIRS) {
    test(`${KeyPairSpec}: DER public key, PKCS#8 private key, and its ciphertext decrypts to it`, async () => {
      const { a, key } = await symmetricKey();
      const EncryptionContext = { cluster: "orders-graph" };
      const pair = await a.kms.send(
        new GenerateDataKeyPairCommand({ KeyId: key.KeyId, KeyPairSpec, EncryptionContext }),
      );
      assert.equal(pair.KeyId, key.Arn);
      assert.equal(pair.KeyPairSpec, KeyPairSpec);
      const publicKey = createPublicKey({ key: Buffer.from(pair.PublicKey!), format: "der", type: "spki" });
      assert.equal(publicKey.asymmetricKeyType, type);
      for (const [name, value] of Object.entries(details)) {
        assert.equal((publicKey.asymmetricKeyDetails as Record<string, unknown>)[name], value);
      }
      assert.ok(pairsUp(pair.PrivateKeyPlaintext!, pair.PublicKey!));

      const { Plaintext } = await a.kms.send(
        new DecryptCommand({ CiphertextBlob: pair.PrivateKeyCiphertextBlob, EncryptionContext }),
      );
      assert.deepEqual(Buffer.from(Plaintext!), Buffer.from(pair.PrivateKeyPlaintext!));
      const withoutContext = await rejection(() =>
        a.kms.send(new DecryptCommand({ CiphertextBlob: pair.PrivateKeyCiphertextBlob })),
      );
      assert.equal(withoutContext.name, "InvalidCiphertextException");
    });
  }

  test("WithoutPlaintext: no private key on the wire; Decrypt of its ciphertext gives the public key's pair", async () => {
    const { a, raw, key } = await symmetricKey();
    const answer = await raw({
      service: "kms",
      target: "GenerateDataKeyPairWithoutPlaintext",
      json: { KeyId: key.KeyId, KeyPairSpec: "ECC_NIST_P256" },
    });
    assert.equal(answer.status, 200);
    const body = JSON.parse(answer.body) as Record<string, string>;
    assert.deepEqual(Object.keys(body).sort(), ["KeyId", "KeyPairSpec", "PrivateKeyCiphertextBlob", "PublicKey"]);
    assert.equal(body.KeyId, key.Arn);
    const { Plaintext } = await a.kms.send(
      new DecryptCommand({ CiphertextBlob: Buffer.from(body.PrivateKeyCiphertextBlob!, "base64") }),
    );
    assert.ok(pairsUp(Plaintext!, Buffer.from(body.PublicKey!, "base64")));

    const sdk = await a.kms.send(
      new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: key.Arn, KeyPairSpec: "RSA_2048" }),
    );
    assert.equal(sdk.KeyPairSpec, "RSA_2048");
    assert.ok(!("PrivateKeyPlaintext" in sdk));
  });

  test("the KMS key must be a symmetric encryption key; SM2 is not in this Region; Recipient and DryRun", async () => {
    const { a, raw, key } = await symmetricKey();
    const { KeyMetadata: rsa } = await a.kms.send(
      new CreateKeyCommand({ KeySpec: "RSA_2048", KeyUsage: "ENCRYPT_DECRYPT" }),
    );
    const onRsa = await rejection(() =>
      a.kms.send(new GenerateDataKeyPairCommand({ KeyId: rsa!.KeyId, KeyPairSpec: "ECC_NIST_P256" })),
    );
    assert.equal(onRsa.name, "InvalidKeyUsageException");
    assert.equal(onRsa.message, "Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.");

    const { KeyMetadata: signing } = await a.kms.send(
      new CreateKeyCommand({ KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" }),
    );
    const onSigning = await rejection(() =>
      a.kms.send(
        new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: signing!.KeyId, KeyPairSpec: "ECC_NIST_P256" }),
      ),
    );
    assert.equal(onSigning.name, "InvalidKeyUsageException");
    assert.equal(
      onSigning.message,
      `${signing!.Arn} key usage is SIGN_VERIFY which is not valid for GenerateDataKeyPairWithoutPlaintext.`,
    );

    const sm2 = await raw({
      service: "kms",
      target: "GenerateDataKeyPair",
      json: { KeyId: key.KeyId, KeyPairSpec: "SM2" },
    });
    assert.equal(sm2.status, 400);
    assert.equal(sm2.code, "UnsupportedOperationException");
    assert.equal(sm2.message, "KeyPairSpec SM2 is not supported in this Region");

    const recipient = await rejection(() =>
      a.kms.send(
        new GenerateDataKeyPairCommand({
          KeyId: key.KeyId,
          KeyPairSpec: "RSA_2048",
          Recipient: { KeyEncryptionAlgorithm: "RSAES_OAEP_SHA_256", AttestationDocument: Buffer.from("doc") },
        }),
      ),
    );
    assert.equal(recipient.name, "UnsupportedOperationException");

    const dryRun = await rejection(() =>
      a.kms.send(new GenerateDataKeyPairCommand({ KeyId: key.KeyId, KeyPairSpec: "ECC_NIST_P256", DryRun: true })),
    );
    assert.equal(dryRun.name, "DryRunOperationException");
  });
});
