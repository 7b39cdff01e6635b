import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createPublicKey, verify as nodeVerify } from "node:crypto";
import { ed25519ph } from "@noble/curves/ed25519.js";
import { CreateKeyCommand, GetPublicKeyCommand, SignCommand, VerifyCommand } from "@aws-sdk/client-kms";
import { inProcess, rejection } from "../helpers/harness.js";

async function edwardsKey() {
  const env = inProcess();
  const { KeyMetadata } = await env.a.kms.send(
    new CreateKeyCommand({ KeySpec: "ECC_NIST_EDWARDS25519", KeyUsage: "SIGN_VERIFY" }),
  );
  const got = await env.a.kms.send(new GetPublicKeyCommand({ KeyId: KeyMetadata!.KeyId }));
  return { ...env, key: KeyMetadata!, got };
}

const MESSAGE = Buffer.from("snapshot arn:aws:rds:us-east-1:111111111111:cluster-snapshot:s1");

describe("KMS Ed25519 signing keys", () => {
  test("ED25519_SHA_512 signs the RAW message (pure Ed25519): node:crypto verifies with GetPublicKey's key", async () => {
    const { a, key, got } = await edwardsKey();
    assert.equal(key.KeySpec, "ECC_NIST_EDWARDS25519");
    assert.equal(key.CustomerMasterKeySpec, undefined);
    assert.deepEqual(key.SigningAlgorithms, ["ED25519_SHA_512", "ED25519_PH_SHA_512"]);
    assert.deepEqual(got.SigningAlgorithms, ["ED25519_SHA_512", "ED25519_PH_SHA_512"]);
    const publicKey = createPublicKey({ key: Buffer.from(got.PublicKey!), format: "der", type: "spki" });
    assert.equal(publicKey.asymmetricKeyType, "ed25519");

    const { Signature } = await a.kms.send(
      new SignCommand({ KeyId: key.KeyId, Message: MESSAGE, SigningAlgorithm: "ED25519_SHA_512" }),
    );
    assert.equal(Signature?.length, 64);
    assert.ok(nodeVerify(null, MESSAGE, publicKey, Buffer.from(Signature!)));
    const verified = await a.kms.send(
      new VerifyCommand({ KeyId: key.Arn, Message: MESSAGE, Signature, SigningAlgorithm: "ED25519_SHA_512" }),
    );
    assert.equal(verified.SignatureValid, true);
  });

  test("ED25519_PH_SHA_512 signs a SHA-512 DIGEST (Ed25519ph): @noble/curves' ed25519ph verifies the message", async () => {
    const { a, key, got } = await edwardsKey();
    const point = createPublicKey({ key: Buffer.from(got.PublicKey!), format: "der", type: "spki" }).export({
      format: "jwk",
    }).x!;
    const digest = createHash("sha512").update(MESSAGE).digest();
    const { Signature } = await a.kms.send(
      new SignCommand({
        KeyId: key.KeyId,
        Message: digest,
        MessageType: "DIGEST",
        SigningAlgorithm: "ED25519_PH_SHA_512",
      }),
    );
    assert.ok(ed25519ph.verify(Signature!, MESSAGE, Buffer.from(point, "base64url")));
    assert.ok(!ed25519ph.verify(Signature!, digest, Buffer.from(point, "base64url")));
    const verified = await a.kms.send(
      new VerifyCommand({
        KeyId: key.KeyId,
        Message: digest,
        MessageType: "DIGEST",
        Signature,
        SigningAlgorithm: "ED25519_PH_SHA_512",
      }),
    );
    assert.equal(verified.SignatureValid, true);
    const other = await rejection(() =>
      a.kms.send(
        new VerifyCommand({
          KeyId: key.KeyId,
          Message: createHash("sha512").update("other").digest(),
          MessageType: "DIGEST",
          Signature,
          SigningAlgorithm: "ED25519_PH_SHA_512",
        }),
      ),
    );
    assert.equal(other.name, "KMSInvalidSignatureException");
  });

  test("each algorithm takes its one MessageType; ECDSA is not an Edwards algorithm", async () => {
    const { a, key } = await edwardsKey();
    for (const [SigningAlgorithm, MessageType, bytes, message] of [
      ["ED25519_SHA_512", "DIGEST", 64, "The ED25519_SHA_512 signing algorithm requires MessageType RAW."],
      ["ED25519_PH_SHA_512", "RAW", 64, "The ED25519_PH_SHA_512 signing algorithm requires MessageType DIGEST."],
      ["ED25519_PH_SHA_512", "DIGEST", 32, "Digest is invalid length for algorithm ED25519_PH_SHA_512."],
    ] as const) {
      const Message = Buffer.alloc(bytes);
      const error = await rejection(() =>
        a.kms.send(new SignCommand({ KeyId: key.KeyId, Message, MessageType, SigningAlgorithm })),
      );
      assert.equal(error.name, "ValidationException");
      assert.equal(error.message, message);
    }
    const ecdsa = await rejection(() =>
      a.kms.send(new SignCommand({ KeyId: key.KeyId, Message: MESSAGE, SigningAlgorithm: "ECDSA_SHA_256" })),
    );
    assert.equal(ecdsa.name, "InvalidKeyUsageException");
    assert.equal(ecdsa.message, "Algorithm ECDSA_SHA_256 is incompatible with key spec ECC_NIST_EDWARDS25519.");
  });
});
