import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { constants, createHash, createPublicKey, publicEncrypt, verify as nodeVerify } from "node:crypto";
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GetPublicKeyCommand,
  ReEncryptCommand,
  SignCommand,
  VerifyCommand,
  type EncryptionAlgorithmSpec,
  type KeySpec,
  type KeyUsageType,
  type SigningAlgorithmSpec,
} from "@aws-sdk/client-kms";
import { inProcess, rejection } from "../helpers/harness.js";

const OAEP: [EncryptionAlgorithmSpec, string][] = [
  ["RSAES_OAEP_SHA_1", "sha1"],
  ["RSAES_OAEP_SHA_256", "sha256"],
];

const SIGNING: [SigningAlgorithmSpec, string, boolean][] = [
  ["RSASSA_PKCS1_V1_5_SHA_256", "sha256", false],
  ["RSASSA_PKCS1_V1_5_SHA_384", "sha384", false],
  ["RSASSA_PKCS1_V1_5_SHA_512", "sha512", false],
  ["RSASSA_PSS_SHA_256", "sha256", true],
  ["RSASSA_PSS_SHA_384", "sha384", true],
  ["RSASSA_PSS_SHA_512", "sha512", true],
];

async function rsaKey(KeyUsage: KeyUsageType, KeySpec: KeySpec = "RSA_2048") {
  const env = inProcess();
  const { KeyMetadata } = await env.a.kms.send(new CreateKeyCommand({ KeySpec, KeyUsage }));
  const { PublicKey } = await env.a.kms.send(new GetPublicKeyCommand({ KeyId: KeyMetadata!.KeyId }));
  const publicKey = createPublicKey({ key: Buffer.from(PublicKey!), format: "der", type: "spki" });
  return { ...env, key: KeyMetadata!, publicKey };
}

/** node:crypto's RSA-OAEP with the public key: the offline half of KMS's RSA encryption. */
function offlineEncrypt(publicKey: ReturnType<typeof createPublicKey>, hash: string, plaintext: Buffer): Buffer {
  return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, plaintext);
}

describe("KMS RSA encryption keys", () => {
  test("DescribeKey and GetPublicKey name the OAEP algorithms; the public key is the key's modulus size", async () => {
    const { a, key, publicKey } = await rsaKey("ENCRYPT_DECRYPT");
    assert.equal(key.KeySpec, "RSA_2048");
    assert.equal(key.CustomerMasterKeySpec, "RSA_2048");
    assert.equal(key.KeyUsage, "ENCRYPT_DECRYPT");
    assert.deepEqual(key.EncryptionAlgorithms, ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]);
    assert.equal(key.SigningAlgorithms, undefined);
    const described = await a.kms.send(new DescribeKeyCommand({ KeyId: key.Arn }));
    assert.deepEqual(described.KeyMetadata?.EncryptionAlgorithms, ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"]);
    const got = await a.kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }));
    assert.deepEqual(
      {
        KeyId: got.KeyId,
        KeySpec: got.KeySpec,
        KeyUsage: got.KeyUsage,
        EncryptionAlgorithms: got.EncryptionAlgorithms,
        SigningAlgorithms: got.SigningAlgorithms,
      },
      {
        KeyId: key.Arn,
        KeySpec: "RSA_2048",
        KeyUsage: "ENCRYPT_DECRYPT",
        EncryptionAlgorithms: ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"],
        SigningAlgorithms: undefined,
      },
    );
    assert.equal(publicKey.asymmetricKeyType, "rsa");
    assert.equal(publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  });

  for (const [algorithm, hash] of OAEP) {
    test(`${algorithm}: raw RSA-OAEP both ways (KMS's ciphertext decrypts in KMS; an offline one too)`, async () => {
      const { a, key, publicKey } = await rsaKey("ENCRYPT_DECRYPT");
      const Plaintext = Buffer.from("the data key of orders-graph");
      const encrypted = await a.kms.send(
        new EncryptCommand({ KeyId: key.KeyId, Plaintext, EncryptionAlgorithm: algorithm }),
      );
      assert.equal(encrypted.KeyId, key.Arn);
      assert.equal(encrypted.EncryptionAlgorithm, algorithm);
      assert.equal(encrypted.CiphertextBlob?.length, 256, "a raw RSA_2048 ciphertext is the modulus length");
      const decrypted = await a.kms.send(
        new DecryptCommand({
          KeyId: key.Arn,
          CiphertextBlob: encrypted.CiphertextBlob,
          EncryptionAlgorithm: algorithm,
        }),
      );
      assert.deepEqual(Buffer.from(decrypted.Plaintext!), Plaintext);
      assert.equal(decrypted.EncryptionAlgorithm, algorithm);
      assert.equal(decrypted.KeyId, key.Arn);

      const offline = offlineEncrypt(publicKey, hash, Plaintext);
      const opened = await a.kms.send(
        new DecryptCommand({ KeyId: key.KeyId, CiphertextBlob: offline, EncryptionAlgorithm: algorithm }),
      );
      assert.deepEqual(Buffer.from(opened.Plaintext!), Plaintext);
    });
  }

  test("AWS's plaintext limits per key spec and algorithm (k − 2·hLen − 2), with AWS's message", async () => {
    for (const [spec, limits] of [
      ["RSA_2048", { RSAES_OAEP_SHA_1: 214, RSAES_OAEP_SHA_256: 190 }],
      ["RSA_3072", { RSAES_OAEP_SHA_1: 342, RSAES_OAEP_SHA_256: 318 }],
    ] as const) {
      const { a, key } = await rsaKey("ENCRYPT_DECRYPT", spec);
      for (const [algorithm, max] of Object.entries(limits) as [EncryptionAlgorithmSpec, number][]) {
        const fits = await a.kms.send(
          new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.alloc(max, 7), EncryptionAlgorithm: algorithm }),
        );
        assert.equal(fits.CiphertextBlob?.length, spec === "RSA_2048" ? 256 : 384);
        const error = await rejection(() =>
          a.kms.send(
            new EncryptCommand({
              KeyId: key.KeyId,
              Plaintext: Buffer.alloc(max + 1),
              EncryptionAlgorithm: algorithm,
            }),
          ),
        );
        assert.equal(error.name, "ValidationException");
        assert.equal(error.$metadata?.httpStatusCode, 400);
        assert.equal(
          error.message,
          `Algorithm ${algorithm} and key spec ${spec} cannot encrypt data larger than ${max} bytes.`,
        );
      }
    }
  });

  test("EncryptionAlgorithm is required, EncryptionContext refused, and data keys need a symmetric key", async () => {
    const { a, raw, key } = await rsaKey("ENCRYPT_DECRYPT");
    const wire = await raw({
      service: "kms",
      target: "Encrypt",
      json: { KeyId: key.KeyId, Plaintext: Buffer.from("x").toString("base64") },
    });
    assert.equal(wire.status, 400);
    assert.equal(wire.code, "InvalidKeyUsageException");
    assert.equal(wire.message, "Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.");

    const context = await rejection(() =>
      a.kms.send(
        new EncryptCommand({
          KeyId: key.KeyId,
          Plaintext: Buffer.from("x"),
          EncryptionAlgorithm: "RSAES_OAEP_SHA_256",
          EncryptionContext: { cluster: "orders-graph" },
        }),
      ),
    );
    assert.equal(context.name, "ValidationException");
    assert.equal(
      context.message,
      "EncryptionContext is not supported when encrypting/decrypting with asymmetric CMKs.",
    );

    const dataKey = await rejection(() =>
      a.kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: "AES_256" })),
    );
    assert.equal(dataKey.name, "InvalidKeyUsageException");
    assert.equal(dataKey.message, "Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.");

    const { KeyMetadata: symmetric } = await a.kms.send(new CreateKeyCommand({}));
    const rsaOnSymmetric = await rejection(() =>
      a.kms.send(
        new EncryptCommand({
          KeyId: symmetric!.KeyId,
          Plaintext: Buffer.from("x"),
          EncryptionAlgorithm: "RSAES_OAEP_SHA_1",
        }),
      ),
    );
    assert.equal(rsaOnSymmetric.name, "InvalidKeyUsageException");
    assert.equal(rsaOnSymmetric.message, "Algorithm RSAES_OAEP_SHA_1 is incompatible with key spec SYMMETRIC_DEFAULT.");
  });

  test("Decrypt: KeyId required; another algorithm, key or no algorithm is InvalidCiphertextException", async () => {
    const { a, key } = await rsaKey("ENCRYPT_DECRYPT");
    const { CiphertextBlob } = await a.kms.send(
      new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("x"), EncryptionAlgorithm: "RSAES_OAEP_SHA_256" }),
    );
    const noKey = await rejection(() =>
      a.kms.send(new DecryptCommand({ CiphertextBlob, EncryptionAlgorithm: "RSAES_OAEP_SHA_256" })),
    );
    assert.equal(noKey.name, "ValidationException");
    assert.equal(noKey.message, "KeyId must not be null");

    const { KeyMetadata: other } = await a.kms.send(
      new CreateKeyCommand({ KeySpec: "RSA_2048", KeyUsage: "ENCRYPT_DECRYPT" }),
    );
    for (const input of [
      { KeyId: key.KeyId, EncryptionAlgorithm: "RSAES_OAEP_SHA_1" as const },
      { KeyId: other!.KeyId, EncryptionAlgorithm: "RSAES_OAEP_SHA_256" as const },
      { KeyId: key.KeyId },
      { KeyId: key.KeyId, CiphertextBlob: Buffer.alloc(256), EncryptionAlgorithm: "RSAES_OAEP_SHA_256" as const },
    ]) {
      const error = await rejection(() => a.kms.send(new DecryptCommand({ CiphertextBlob, ...input })));
      assert.equal(error.name, "InvalidCiphertextException", JSON.stringify(input));
      assert.equal(error.$metadata?.httpStatusCode, 400);
    }
    const context = await rejection(() =>
      a.kms.send(
        new DecryptCommand({
          KeyId: key.KeyId,
          CiphertextBlob,
          EncryptionAlgorithm: "RSAES_OAEP_SHA_256",
          EncryptionContext: { a: "b" },
        }),
      ),
    );
    assert.equal(context.name, "ValidationException");
    assert.equal(
      context.message,
      "EncryptionContext is not supported when encrypting/decrypting with asymmetric CMKs.",
    );
  });

  test("ReEncrypt from a symmetric key to an RSA key and back", async () => {
    const { a, key } = await rsaKey("ENCRYPT_DECRYPT");
    const { KeyMetadata: symmetric } = await a.kms.send(new CreateKeyCommand({}));
    const Plaintext = Buffer.from("moved between keys");
    const sealed = await a.kms.send(new EncryptCommand({ KeyId: symmetric!.KeyId, Plaintext }));
    const toRsa = await a.kms.send(
      new ReEncryptCommand({
        CiphertextBlob: sealed.CiphertextBlob,
        DestinationKeyId: key.KeyId,
        DestinationEncryptionAlgorithm: "RSAES_OAEP_SHA_256",
      }),
    );
    assert.equal(toRsa.SourceKeyId, symmetric!.Arn);
    assert.equal(toRsa.KeyId, key.Arn);
    assert.equal(toRsa.SourceEncryptionAlgorithm, "SYMMETRIC_DEFAULT");
    assert.equal(toRsa.DestinationEncryptionAlgorithm, "RSAES_OAEP_SHA_256");
    assert.equal(toRsa.CiphertextBlob?.length, 256);

    const back = await a.kms.send(
      new ReEncryptCommand({
        CiphertextBlob: toRsa.CiphertextBlob,
        SourceKeyId: key.Arn,
        SourceEncryptionAlgorithm: "RSAES_OAEP_SHA_256",
        DestinationKeyId: symmetric!.KeyId,
      }),
    );
    assert.equal(back.SourceEncryptionAlgorithm, "RSAES_OAEP_SHA_256");
    assert.equal(back.DestinationEncryptionAlgorithm, "SYMMETRIC_DEFAULT");
    const { Plaintext: opened } = await a.kms.send(new DecryptCommand({ CiphertextBlob: back.CiphertextBlob }));
    assert.deepEqual(Buffer.from(opened!), Plaintext);

    const large = await a.kms.send(new EncryptCommand({ KeyId: symmetric!.KeyId, Plaintext: Buffer.alloc(191) }));
    const tooLarge = await rejection(() =>
      a.kms.send(
        new ReEncryptCommand({
          CiphertextBlob: large.CiphertextBlob,
          DestinationKeyId: key.KeyId,
          DestinationEncryptionAlgorithm: "RSAES_OAEP_SHA_256",
        }),
      ),
    );
    assert.equal(tooLarge.name, "ValidationException");
    assert.equal(
      tooLarge.message,
      "Algorithm RSAES_OAEP_SHA_256 and key spec RSA_2048 cannot encrypt data larger than 190 bytes.",
    );
  });
});

describe("KMS RSA signing keys", () => {
  test("DescribeKey and GetPublicKey list the six RSASSA algorithms in AWS's order", async () => {
    const { a, key } = await rsaKey("SIGN_VERIFY");
    const algorithms = SIGNING.map(([algorithm]) => algorithm);
    assert.deepEqual(key.SigningAlgorithms, algorithms);
    assert.equal(key.EncryptionAlgorithms, undefined);
    const got = await a.kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }));
    assert.deepEqual(got.SigningAlgorithms, algorithms);
    assert.equal(got.EncryptionAlgorithms, undefined);
    assert.equal(got.KeyUsage, "SIGN_VERIFY");
  });

  test("every algorithm, RAW and DIGEST: node:crypto verifies with GetPublicKey's key; KMS verifies", async () => {
    const { a, key, publicKey } = await rsaKey("SIGN_VERIFY");
    const Message = Buffer.from("snapshot arn:aws:rds:us-east-1:111111111111:cluster-snapshot:s1");
    for (const [algorithm, hash, pss] of SIGNING) {
      const padding = pss
        ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: createHash(hash).digest().length }
        : { padding: constants.RSA_PKCS1_PADDING };
      const raw = await a.kms.send(new SignCommand({ KeyId: key.KeyId, Message, SigningAlgorithm: algorithm }));
      assert.equal(raw.SigningAlgorithm, algorithm);
      assert.equal(raw.KeyId, key.Arn);
      assert.equal(raw.Signature?.length, 256);
      assert.ok(nodeVerify(hash, Message, { key: publicKey, ...padding }, Buffer.from(raw.Signature!)), algorithm);

      // A DIGEST is signed as given, never hashed again: the signature is the message's.
      const digest = createHash(hash).update(Message).digest();
      const signed = await a.kms.send(
        new SignCommand({ KeyId: key.KeyId, Message: digest, MessageType: "DIGEST", SigningAlgorithm: algorithm }),
      );
      assert.ok(nodeVerify(hash, Message, { key: publicKey, ...padding }, Buffer.from(signed.Signature!)), algorithm);
      assert.ok(!nodeVerify(hash, digest, { key: publicKey, ...padding }, Buffer.from(signed.Signature!)));

      const verified = await a.kms.send(
        new VerifyCommand({ KeyId: key.Arn, Message, SigningAlgorithm: algorithm, Signature: signed.Signature }),
      );
      assert.equal(verified.SignatureValid, true);
      const asDigest = await a.kms.send(
        new VerifyCommand({
          KeyId: key.KeyId,
          Message: digest,
          MessageType: "DIGEST",
          SigningAlgorithm: algorithm,
          Signature: raw.Signature,
        }),
      );
      assert.equal(asDigest.SigningAlgorithm, algorithm);
    }
  });

  test("a wrong signature, a digest of the wrong length, an ECDSA algorithm, Encrypt: AWS's refusals", async () => {
    const { a, raw: wire, key } = await rsaKey("SIGN_VERIFY");
    const Message = Buffer.from("m");
    const { Signature } = await a.kms.send(
      new SignCommand({ KeyId: key.KeyId, Message, SigningAlgorithm: "RSASSA_PSS_SHA_256" }),
    );
    for (const [SigningAlgorithm, message, signature] of [
      ["RSASSA_PSS_SHA_256", Buffer.from("n"), Signature!],
      ["RSASSA_PKCS1_V1_5_SHA_256", Message, Signature!],
      ["RSASSA_PSS_SHA_256", Message, Buffer.from("short")],
    ] as const) {
      const answer = await wire({
        service: "kms",
        target: "Verify",
        json: {
          KeyId: key.KeyId,
          Message: message.toString("base64"),
          SigningAlgorithm,
          Signature: Buffer.from(signature).toString("base64"),
        },
      });
      assert.equal(answer.status, 400);
      assert.equal(answer.code, "KMSInvalidSignatureException");
    }
    const short = await rejection(() =>
      a.kms.send(
        new SignCommand({
          KeyId: key.KeyId,
          Message: Buffer.alloc(32),
          MessageType: "DIGEST",
          SigningAlgorithm: "RSASSA_PKCS1_V1_5_SHA_384",
        }),
      ),
    );
    assert.equal(short.name, "ValidationException");
    assert.equal(short.message, "Digest is invalid length for algorithm RSASSA_PKCS1_V1_5_SHA_384.");
    const ecdsa = await rejection(() =>
      a.kms.send(new SignCommand({ KeyId: key.KeyId, Message, SigningAlgorithm: "ECDSA_SHA_256" })),
    );
    assert.equal(ecdsa.name, "InvalidKeyUsageException");
    assert.equal(ecdsa.message, "Algorithm ECDSA_SHA_256 is incompatible with key spec RSA_2048.");
    const encrypt = await rejection(() =>
      a.kms.send(
        new EncryptCommand({ KeyId: key.KeyId, Plaintext: Message, EncryptionAlgorithm: "RSAES_OAEP_SHA_256" }),
      ),
    );
    assert.equal(encrypt.name, "InvalidKeyUsageException");
    assert.equal(encrypt.message, `${key.Arn} key usage is SIGN_VERIFY which is not valid for Encrypt.`);
  });

  for (const [spec, bits] of [
    ["RSA_3072", 3072],
    ["RSA_4096", 4096],
  ] as const) {
    test(`${spec}: a PSS signature of the key's size that node:crypto verifies`, async () => {
      const { a, key, publicKey } = await rsaKey("SIGN_VERIFY", spec);
      assert.equal(publicKey.asymmetricKeyDetails?.modulusLength, bits);
      const Message = Buffer.from("m");
      const { Signature } = await a.kms.send(
        new SignCommand({ KeyId: key.KeyId, Message, SigningAlgorithm: "RSASSA_PSS_SHA_512" }),
      );
      assert.equal(Signature?.length, bits / 8);
      const options = { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 };
      assert.ok(nodeVerify("sha512", Message, options, Buffer.from(Signature!)));
    });
  }
});

describe("KMS key specs and usages", () => {
  test("RSA keys encrypt or sign, nothing else; secp256k1 does not agree keys; SM2 is not in this Region", async () => {
    const { a, raw } = inProcess();
    for (const [KeySpec, KeyUsage, allowed] of [
      ["RSA_2048", "KEY_AGREEMENT", "ENCRYPT_DECRYPT or SIGN_VERIFY"],
      ["RSA_4096", "GENERATE_VERIFY_MAC", "ENCRYPT_DECRYPT or SIGN_VERIFY"],
      ["ECC_SECG_P256K1", "KEY_AGREEMENT", "SIGN_VERIFY"],
    ] as const) {
      const error = await rejection(() => a.kms.send(new CreateKeyCommand({ KeySpec, KeyUsage })));
      assert.equal(error.name, "ValidationException");
      assert.equal(
        error.message,
        `KeyUsage ${KeyUsage} is not compatible with KeySpec ${KeySpec}; use KeyUsage ${allowed}.`,
      );
    }
    const sm2 = await raw({ service: "kms", target: "CreateKey", json: { KeySpec: "SM2", KeyUsage: "SIGN_VERIFY" } });
    assert.equal(sm2.status, 400);
    assert.equal(sm2.code, "UnsupportedOperationException");
    assert.equal(sm2.message, "KeySpec SM2 is not supported in this Region");
  });
});
