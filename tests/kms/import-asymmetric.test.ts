import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  constants,
  generateKeyPairSync,
  privateDecrypt,
  publicEncrypt,
  verify as nodeVerify,
  type KeyObject,
} from "node:crypto";
import {
  CreateKeyCommand,
  DecryptCommand,
  DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  SignCommand,
  VerifyCommand,
  type AlgorithmSpec,
  type KeySpec,
  type KeyUsageType,
  type KMSClient,
  type SigningAlgorithmSpec,
  type WrappingKeySpec,
} from "@aws-sdk/client-kms";
import { inProcess, rejection } from "../helpers/harness.js";
import { importInto } from "./import-wrapping.js";

/**
 * Imported key material for asymmetric keys (imported-key-pairs.ts): key pairs made by node:crypto, imported as
 * PKCS#8, then used in KMS and checked against node:crypto with the key pair's own public key.
 */

const MESSAGE = Buffer.from("snapshot arn:aws:rds:us-east-1:111111111111:cluster-snapshot:s1");

function pkcs8(privateKey: KeyObject): Buffer {
  return privateKey.export({ type: "pkcs8", format: "der" });
}

function spki(publicKey: KeyObject): Buffer {
  return publicKey.export({ type: "spki", format: "der" });
}

async function externalKey(kms: KMSClient, KeySpec: KeySpec, KeyUsage: KeyUsageType) {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Origin: "EXTERNAL", KeySpec, KeyUsage }));
  assert.equal(KeyMetadata!.KeyState, "PendingImport");
  return KeyMetadata!;
}

async function signed(kms: KMSClient, KeyId: string, SigningAlgorithm: SigningAlgorithmSpec) {
  const { Signature } = await kms.send(new SignCommand({ KeyId, Message: MESSAGE, SigningAlgorithm }));
  return Buffer.from(Signature!);
}

const SIGNING_CASES: {
  spec: KeySpec;
  pair: () => { publicKey: KeyObject; privateKey: KeyObject };
  algorithm: SigningAlgorithmSpec;
  wrapping: AlgorithmSpec;
  wrappingKey: WrappingKeySpec;
  check: (publicKey: KeyObject, signature: Buffer) => boolean;
}[] = [
  {
    spec: "RSA_2048",
    pair: () => generateKeyPairSync("rsa", { modulusLength: 2048 }),
    algorithm: "RSASSA_PSS_SHA_256",
    wrapping: "RSA_AES_KEY_WRAP_SHA_256",
    wrappingKey: "RSA_2048",
    check: (key, signature) =>
      nodeVerify("sha256", MESSAGE, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature),
  },
  {
    spec: "ECC_NIST_P256",
    pair: () => generateKeyPairSync("ec", { namedCurve: "prime256v1" }),
    algorithm: "ECDSA_SHA_256",
    wrapping: "RSAES_OAEP_SHA_1",
    wrappingKey: "RSA_2048",
    check: (key, signature) => nodeVerify("sha256", MESSAGE, key, signature),
  },
  {
    spec: "ECC_NIST_P521",
    pair: () => generateKeyPairSync("ec", { namedCurve: "secp521r1" }),
    algorithm: "ECDSA_SHA_512",
    wrapping: "RSA_AES_KEY_WRAP_SHA_1",
    wrappingKey: "RSA_2048",
    check: (key, signature) => nodeVerify("sha512", MESSAGE, key, signature),
  },
  {
    spec: "ECC_SECG_P256K1",
    pair: () => generateKeyPairSync("ec", { namedCurve: "secp256k1" }),
    algorithm: "ECDSA_SHA_256",
    wrapping: "RSAES_OAEP_SHA_256",
    wrappingKey: "RSA_3072",
    check: (key, signature) => nodeVerify("sha256", MESSAGE, key, signature),
  },
  {
    spec: "ECC_NIST_EDWARDS25519",
    pair: () => generateKeyPairSync("ed25519"),
    algorithm: "ED25519_SHA_512",
    wrapping: "RSAES_OAEP_SHA_256",
    wrappingKey: "RSA_2048",
    check: (key, signature) => nodeVerify(null, MESSAGE, key, signature),
  },
];

describe("KMS imported asymmetric key material", () => {
  for (const { spec, pair, algorithm, wrapping, wrappingKey, check } of SIGNING_CASES) {
    test(`${spec}: an imported private key signs as node:crypto verifies; GetPublicKey is its public key`, async () => {
      const { a } = inProcess();
      const { publicKey, privateKey } = pair();
      const key = await externalKey(a.kms, spec, "SIGN_VERIFY");
      await importInto(a.kms, key.KeyId!, pkcs8(privateKey), wrapping, wrappingKey);

      const described = (await a.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!;
      assert.equal(described.KeyState, "Enabled");
      assert.equal(described.Origin, "EXTERNAL");
      assert.equal(described.ExpirationModel, "KEY_MATERIAL_DOES_NOT_EXPIRE");
      const got = await a.kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }));
      assert.deepEqual(Buffer.from(got.PublicKey!), spki(publicKey));

      const signature = await signed(a.kms, key.KeyId!, algorithm);
      assert.ok(check(publicKey, signature), "node:crypto verifies KMS's signature with the imported key's public key");
      const verified = await a.kms.send(
        new VerifyCommand({ KeyId: key.KeyId, Message: MESSAGE, Signature: signature, SigningAlgorithm: algorithm }),
      );
      assert.equal(verified.SignatureValid, true);
    });
  }

  test("RSA_3072 ENCRYPT_DECRYPT: data node:crypto encrypts with the public key decrypts in KMS, and back", async () => {
    const { a } = inProcess();
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 3072 });
    const key = await externalKey(a.kms, "RSA_3072", "ENCRYPT_DECRYPT");
    await importInto(a.kms, key.Arn!, pkcs8(privateKey), "RSA_AES_KEY_WRAP_SHA_1", "RSA_2048");

    const offline = publicEncrypt(
      { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
      MESSAGE,
    );
    const { Plaintext } = await a.kms.send(
      new DecryptCommand({ KeyId: key.KeyId, CiphertextBlob: offline, EncryptionAlgorithm: "RSAES_OAEP_SHA_256" }),
    );
    assert.deepEqual(Buffer.from(Plaintext!), MESSAGE);

    const { CiphertextBlob } = await a.kms.send(
      new EncryptCommand({ KeyId: key.KeyId, Plaintext: MESSAGE, EncryptionAlgorithm: "RSAES_OAEP_SHA_1" }),
    );
    const opened = privateDecrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" },
      CiphertextBlob!,
    );
    assert.deepEqual(opened, MESSAGE);
  });

  test("wrapping rules: RSA material needs RSA_AES_KEY_WRAP; P-521 does not go under RSAES_OAEP with RSA_2048", async () => {
    const { a } = inProcess();
    const rsa = await externalKey(a.kms, "RSA_2048", "SIGN_VERIFY");
    const p521 = await externalKey(a.kms, "ECC_NIST_P521", "SIGN_VERIFY");
    for (const [key, WrappingAlgorithm, WrappingKeySpec, message] of [
      [
        rsa,
        "RSAES_OAEP_SHA_256",
        "RSA_4096",
        "RSAES_OAEP_SHA_256 cannot wrap RSA key material; use RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256.",
      ],
      [
        p521,
        "RSAES_OAEP_SHA_1",
        "RSA_2048",
        "RSAES_OAEP_SHA_1 with wrapping key spec RSA_2048 cannot wrap ECC_NIST_P521 key material; use a larger wrapping key spec or an RSA_AES_KEY_WRAP algorithm.",
      ],
    ] as const) {
      const error = await rejection(() =>
        a.kms.send(new GetParametersForImportCommand({ KeyId: key.KeyId, WrappingAlgorithm, WrappingKeySpec })),
      );
      assert.equal(error.name, "UnsupportedOperationException");
      assert.equal(error.$metadata?.httpStatusCode, 400);
      assert.equal(error.message, message);
    }
    // The same P-521 key goes under RSAES_OAEP with a larger wrapping key.
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "secp521r1" });
    await importInto(a.kms, p521.KeyId!, pkcs8(privateKey), "RSAES_OAEP_SHA_256", "RSA_3072");
    const described = (await a.kms.send(new DescribeKeyCommand({ KeyId: p521.KeyId }))).KeyMetadata!;
    assert.equal(described.KeyState, "Enabled");
  });

  test("material that is not a private key of the key's spec is IncorrectKeyMaterialException and changes nothing", async () => {
    const { a } = inProcess();
    const rsa = await externalKey(a.kms, "RSA_2048", "SIGN_VERIFY");
    const p256 = await externalKey(a.kms, "ECC_NIST_P256", "SIGN_VERIFY");
    const rsa1024 = pkcs8(generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey);
    const p384 = pkcs8(generateKeyPairSync("ec", { namedCurve: "secp384r1" }).privateKey);
    const publicOnly = spki(generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey);
    for (const [key, material, wrapping] of [
      [rsa, rsa1024, "RSA_AES_KEY_WRAP_SHA_256"],
      [rsa, p384, "RSA_AES_KEY_WRAP_SHA_256"],
      [p256, p384, "RSAES_OAEP_SHA_256"],
      [p256, publicOnly, "RSAES_OAEP_SHA_256"],
      [p256, Buffer.alloc(32, 7), "RSAES_OAEP_SHA_256"],
    ] as const) {
      const error = await rejection(() => importInto(a.kms, key.KeyId!, material, wrapping, "RSA_2048"));
      assert.equal(error.name, "IncorrectKeyMaterialException");
      assert.equal(error.$metadata?.httpStatusCode, 400);
      assert.equal(
        error.message,
        `The key material is not a PKCS #8 DER-encoded private key of key spec ${key.KeySpec}.`,
      );
      const described = (await a.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!;
      assert.equal(described.KeyState, "PendingImport");
    }
  });

  test("DeleteImportedKeyMaterial: PendingImport and refused; the same key pair re-imports, another does not", async () => {
    const { a } = inProcess();
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "secp384r1" });
    const key = await externalKey(a.kms, "ECC_NIST_P384", "SIGN_VERIFY");
    const first = await importInto(a.kms, key.KeyId!, pkcs8(privateKey));
    const signature = await signed(a.kms, key.KeyId!, "ECDSA_SHA_384");

    const deleted = await a.kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: key.KeyId }));
    assert.equal(deleted.KeyMaterialId, first.KeyMaterialId);
    const described = (await a.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!;
    assert.equal(described.KeyState, "PendingImport");
    for (const call of [
      () => signed(a.kms, key.KeyId!, "ECDSA_SHA_384"),
      () => a.kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId })),
      () =>
        a.kms.send(
          new VerifyCommand({
            KeyId: key.KeyId,
            Message: MESSAGE,
            Signature: signature,
            SigningAlgorithm: "ECDSA_SHA_384",
          }),
        ),
    ]) {
      const error = await rejection(call);
      assert.equal(error.name, "KMSInvalidStateException");
      assert.equal(error.$metadata?.httpStatusCode, 400);
      assert.equal(error.message, `${key.Arn} is pending import.`);
    }

    const other = pkcs8(generateKeyPairSync("ec", { namedCurve: "secp384r1" }).privateKey);
    const different = await rejection(() => importInto(a.kms, key.KeyId!, other));
    assert.equal(different.name, "IncorrectKeyMaterialException");
    assert.equal(
      different.message,
      "The key material in the request is not the same key material that was previously imported into this KMS key.",
    );
    // The same key pair, in PKCS#8 without its optional public key this time, is the same material.
    const shorter = p384WithoutPublicKey(privateKey);
    assert.ok(shorter.length < pkcs8(privateKey).length);
    const again = await importInto(a.kms, key.KeyId!, shorter);
    assert.equal(again.KeyMaterialId, first.KeyMaterialId);
    const verified = await a.kms.send(
      new VerifyCommand({
        KeyId: key.KeyId,
        Message: MESSAGE,
        Signature: signature,
        SigningAlgorithm: "ECDSA_SHA_384",
      }),
    );
    assert.equal(verified.SignatureValid, true);
    const got = await a.kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }));
    assert.deepEqual(Buffer.from(got.PublicKey!), spki(publicKey));
  });

  test("imported asymmetric material may expire: past ValidTo the key is PendingImport", async () => {
    const { a, clock } = inProcess();
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const key = await externalKey(a.kms, "ECC_NIST_P256", "SIGN_VERIFY");
    const ValidTo = new Date(clock.now().getTime() + 3_600_000);
    await importInto(a.kms, key.KeyId!, pkcs8(privateKey), "RSAES_OAEP_SHA_256", "RSA_2048", {
      ExpirationModel: "KEY_MATERIAL_EXPIRES",
      ValidTo,
    });
    await signed(a.kms, key.KeyId!, "ECDSA_SHA_256");
    clock.advance(3_600_000);
    const described = (await a.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }))).KeyMetadata!;
    assert.equal(described.KeyState, "PendingImport");
    const refused = await rejection(() => signed(a.kms, key.KeyId!, "ECDSA_SHA_256"));
    assert.equal(refused.name, "KMSInvalidStateException");
  });
});

/**
 * A P-384 PKCS#8 private key without the optional parameters and publicKey of its ECPrivateKey (RFC 5915 §3), as some
 * tools write it (node:crypto always writes the public key): the same key pair in another encoding.
 */
function p384WithoutPublicKey(privateKey: KeyObject): Buffer {
  const d = Buffer.from(privateKey.export({ format: "jwk" }).d!, "base64url");
  assert.equal(d.length, 48);
  // ECPrivateKey ::= SEQUENCE { version INTEGER 1, privateKey OCTET STRING (48) }
  const ecPrivateKey = Buffer.concat([Buffer.from("3035020101" + "0430", "hex"), d]);
  // PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier { id-ecPublicKey, secp384r1 }, OCTET STRING }
  const algorithm = Buffer.from("301006072a8648ce3d020106052b81040022", "hex");
  const body = Buffer.concat([
    Buffer.from("020100", "hex"),
    algorithm,
    Buffer.of(0x04, ecPrivateKey.length),
    ecPrivateKey,
  ]);
  return Buffer.concat([Buffer.of(0x30, body.length), body]);
}
