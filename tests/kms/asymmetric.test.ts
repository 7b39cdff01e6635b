import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createPublicKey, verify as nodeVerify } from "node:crypto";
import {
  CreateKeyCommand,
  EncryptCommand,
  GetPublicKeyCommand,
  SignCommand,
  VerifyCommand,
  type KeySpec,
  type SigningAlgorithmSpec,
} from "@aws-sdk/client-kms";
import { inProcess, rejection } from "../helpers/harness.js";

const ECC: [KeySpec, SigningAlgorithmSpec, string, string][] = [
  ["ECC_NIST_P256", "ECDSA_SHA_256", "sha256", "prime256v1"],
  ["ECC_NIST_P384", "ECDSA_SHA_384", "sha384", "secp384r1"],
  ["ECC_NIST_P521", "ECDSA_SHA_512", "sha512", "secp521r1"],
  ["ECC_SECG_P256K1", "ECDSA_SHA_256", "sha256", "secp256k1"],
];

async function signingKey(spec: KeySpec = "ECC_NIST_P256") {
  const env = inProcess();
  const { KeyMetadata } = await env.a.kms.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: "SIGN_VERIFY" }));
  return { ...env, key: KeyMetadata! };
}

describe("KMS ECC signing keys", () => {
  for (const [spec, algorithm, hash, curve] of ECC) {
    test(`${spec}: GetPublicKey's DER and node:crypto verify KMS's RAW and DIGEST signatures`, async () => {
      const { a, key } = await signingKey(spec);
      assert.equal(key.KeySpec, spec);
      assert.equal(key.KeyUsage, "SIGN_VERIFY");
      assert.deepEqual(key.SigningAlgorithms, [algorithm]);
      assert.equal(key.EncryptionAlgorithms, undefined);

      const got = await a.kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }));
      assert.equal(got.KeyId, key.Arn);
      assert.equal(got.KeySpec, spec);
      assert.equal(got.CustomerMasterKeySpec, spec);
      assert.equal(got.KeyUsage, "SIGN_VERIFY");
      assert.deepEqual(got.SigningAlgorithms, [algorithm]);
      const publicKey = createPublicKey({ key: Buffer.from(got.PublicKey!), format: "der", type: "spki" });
      assert.equal(publicKey.asymmetricKeyDetails?.namedCurve, curve);

      const Message = Buffer.from("snapshot arn:aws:rds:us-east-1:111111111111:cluster-snapshot:s1");
      const raw = await a.kms.send(new SignCommand({ KeyId: key.KeyId, Message, SigningAlgorithm: algorithm }));
      assert.equal(raw.KeyId, key.Arn);
      assert.equal(raw.SigningAlgorithm, algorithm);
      assert.ok(nodeVerify(hash, Message, publicKey, Buffer.from(raw.Signature!)));

      // DIGEST is signed as given, never hashed again: the signature is over the message whose digest it is.
      const digest = createHash(hash).update(Message).digest();
      const signed = await a.kms.send(
        new SignCommand({ KeyId: key.KeyId, Message: digest, MessageType: "DIGEST", SigningAlgorithm: algorithm }),
      );
      assert.ok(nodeVerify(hash, Message, publicKey, Buffer.from(signed.Signature!)));
      assert.ok(!nodeVerify(hash, digest, publicKey, Buffer.from(signed.Signature!)));

      const ok = await a.kms.send(
        new VerifyCommand({ KeyId: key.Arn, Message, SigningAlgorithm: algorithm, Signature: signed.Signature }),
      );
      assert.deepEqual(
        { KeyId: ok.KeyId, SignatureValid: ok.SignatureValid, SigningAlgorithm: ok.SigningAlgorithm },
        { KeyId: key.Arn, SignatureValid: true, SigningAlgorithm: algorithm },
      );
    });
  }

  test("a signature over other data, or not a signature, is KMSInvalidSignatureException (400)", async () => {
    const { a, raw: wire, key } = await signingKey();
    const Message = Buffer.from("m");
    const { Signature } = await a.kms.send(
      new SignCommand({ KeyId: key.KeyId, Message, SigningAlgorithm: "ECDSA_SHA_256" }),
    );
    for (const [message, signature] of [
      [Buffer.from("n"), Signature!],
      [Message, Buffer.from("not DER")],
    ] as const) {
      const error = await rejection(() =>
        a.kms.send(
          new VerifyCommand({
            KeyId: key.KeyId,
            Message: message,
            SigningAlgorithm: "ECDSA_SHA_256",
            Signature: signature,
          }),
        ),
      );
      assert.equal(error.name, "KMSInvalidSignatureException");
      assert.equal(error.$metadata?.httpStatusCode, 400);
    }
    const answer = await wire({
      service: "kms",
      target: "Verify",
      json: {
        KeyId: key.KeyId,
        Message: Buffer.from("n").toString("base64"),
        SigningAlgorithm: "ECDSA_SHA_256",
        Signature: Buffer.from(Signature!).toString("base64"),
      },
    });
    assert.equal(answer.status, 400);
    assert.equal(answer.code, "KMSInvalidSignatureException");
  });

  test("a DIGEST of the wrong length, another curve's algorithm, and the wrong key usage are refused", async () => {
    const { a, key } = await signingKey();
    const short = await rejection(() =>
      a.kms.send(
        new SignCommand({
          KeyId: key.KeyId,
          Message: Buffer.alloc(31),
          MessageType: "DIGEST",
          SigningAlgorithm: "ECDSA_SHA_256",
        }),
      ),
    );
    assert.equal(short.name, "ValidationException");
    assert.equal(short.message, "Digest is invalid length for algorithm ECDSA_SHA_256.");
    const algorithm = await rejection(() =>
      a.kms.send(new SignCommand({ KeyId: key.KeyId, Message: Buffer.from("m"), SigningAlgorithm: "ECDSA_SHA_384" })),
    );
    assert.equal(algorithm.name, "InvalidKeyUsageException");
    assert.equal(algorithm.message, "Algorithm ECDSA_SHA_384 is incompatible with key spec ECC_NIST_P256.");
    const encrypt = await rejection(() =>
      a.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("x") })),
    );
    assert.equal(encrypt.name, "InvalidKeyUsageException");
    assert.equal(encrypt.message, `${key.Arn} key usage is SIGN_VERIFY which is not valid for Encrypt.`);

    const { KeyMetadata: symmetric } = await a.kms.send(new CreateKeyCommand({}));
    const sign = await rejection(() =>
      a.kms.send(
        new SignCommand({ KeyId: symmetric!.KeyId, Message: Buffer.from("m"), SigningAlgorithm: "ECDSA_SHA_256" }),
      ),
    );
    assert.equal(sign.name, "InvalidKeyUsageException");
    assert.equal(sign.message, `${symmetric!.Arn} key usage is ENCRYPT_DECRYPT which is not valid for Sign.`);
    const publicKey = await rejection(() => a.kms.send(new GetPublicKeyCommand({ KeyId: symmetric!.KeyId })));
    assert.equal(publicKey.name, "UnsupportedOperationException");
    assert.equal(publicKey.message, `${symmetric!.Arn} is not an asymmetric KMS key; it has no public key.`);
  });

  test("ECC keys take SIGN_VERIFY only; KeyUsage is required", async () => {
    const { a } = inProcess();
    const usage = await rejection(() =>
      a.kms.send(new CreateKeyCommand({ KeySpec: "ECC_SECG_P256K1", KeyUsage: "ENCRYPT_DECRYPT" })),
    );
    assert.equal(usage.name, "ValidationException");
    assert.equal(
      usage.message,
      "KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec ECC_SECG_P256K1; use KeyUsage SIGN_VERIFY.",
    );
    const missing = await rejection(() => a.kms.send(new CreateKeyCommand({ KeySpec: "ECC_NIST_P384" })));
    assert.equal(missing.name, "ValidationException");
    assert.equal(
      missing.message,
      "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.",
    );
  });
});
