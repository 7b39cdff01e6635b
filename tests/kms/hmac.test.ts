import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateMacCommand,
  ListKeysCommand,
  VerifyMacCommand,
  type KeySpec,
  type KeyUsageType,
  type MacAlgorithmSpec,
} from "@aws-sdk/client-kms";
import { inProcess, rejection } from "../helpers/harness.js";

const SPECS: [KeySpec, MacAlgorithmSpec, string, number][] = [
  ["HMAC_224", "HMAC_SHA_224", "sha224", 28],
  ["HMAC_256", "HMAC_SHA_256", "sha256", 32],
  ["HMAC_384", "HMAC_SHA_384", "sha384", 48],
  ["HMAC_512", "HMAC_SHA_512", "sha512", 64],
];

async function hmacKey(spec: KeySpec = "HMAC_256", material?: Buffer) {
  const env = inProcess();
  const Tags = material ? [{ TagKey: "_custom_key_material_", TagValue: material.toString("base64") }] : undefined;
  const { KeyMetadata } = await env.a.kms.send(
    new CreateKeyCommand({ KeySpec: spec, KeyUsage: "GENERATE_VERIFY_MAC", Tags }),
  );
  return { ...env, key: KeyMetadata! };
}

describe("KMS HMAC keys", () => {
  for (const [spec, algorithm, digest, bytes] of SPECS) {
    test(`${spec}: DescribeKey, and GenerateMac/VerifyMac agree with node:crypto's HMAC`, async () => {
      const material = randomBytes(bytes);
      const { a, key } = await hmacKey(spec, material);
      assert.equal(key.KeySpec, spec);
      assert.equal(key.CustomerMasterKeySpec, spec);
      assert.equal(key.KeyUsage, "GENERATE_VERIFY_MAC");
      assert.deepEqual(key.MacAlgorithms, [algorithm]);
      assert.equal(key.EncryptionAlgorithms, undefined);
      const described = await a.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }));
      assert.deepEqual(described.KeyMetadata!.MacAlgorithms, [algorithm]);

      const Message = Buffer.from("graph snapshot manifest");
      const made = await a.kms.send(new GenerateMacCommand({ KeyId: key.KeyId, Message, MacAlgorithm: algorithm }));
      assert.equal(made.KeyId, key.Arn);
      assert.equal(made.MacAlgorithm, algorithm);
      assert.deepEqual(Buffer.from(made.Mac!), createHmac(digest, material).update(Message).digest());

      const verified = await a.kms.send(
        new VerifyMacCommand({ KeyId: key.Arn, Message, MacAlgorithm: algorithm, Mac: made.Mac }),
      );
      assert.deepEqual(
        { KeyId: verified.KeyId, MacValid: verified.MacValid, MacAlgorithm: verified.MacAlgorithm },
        { KeyId: key.Arn, MacValid: true, MacAlgorithm: algorithm },
      );
    });
  }

  test("a MAC that does not match, or of another length, is KMSInvalidMacException (400)", async () => {
    const { a, raw, key } = await hmacKey();
    const Message = Buffer.from("m");
    const { Mac } = await a.kms.send(
      new GenerateMacCommand({ KeyId: key.KeyId, Message, MacAlgorithm: "HMAC_SHA_256" }),
    );
    const flipped = Buffer.from(Mac!);
    flipped[0] = flipped[0]! ^ 1;
    for (const bad of [flipped, Buffer.from(Mac!).subarray(0, 16)]) {
      const error = await rejection(() =>
        a.kms.send(new VerifyMacCommand({ KeyId: key.KeyId, Message, MacAlgorithm: "HMAC_SHA_256", Mac: bad })),
      );
      assert.equal(error.name, "KMSInvalidMacException");
      assert.equal(error.$metadata?.httpStatusCode, 400);
    }
    const other = await rejection(() =>
      a.kms.send(
        new VerifyMacCommand({ KeyId: key.KeyId, Message: Buffer.from("n"), MacAlgorithm: "HMAC_SHA_256", Mac }),
      ),
    );
    assert.equal(other.name, "KMSInvalidMacException");
    const wire = await raw({
      service: "kms",
      target: "VerifyMac",
      json: {
        KeyId: key.KeyId,
        Message: Message.toString("base64"),
        MacAlgorithm: "HMAC_SHA_256",
        Mac: flipped.toString("base64"),
      },
    });
    assert.equal(wire.status, 400);
    assert.equal(wire.code, "KMSInvalidMacException");
  });

  test("a MAC algorithm other than the key's is InvalidKeyUsageException", async () => {
    const { a, key } = await hmacKey("HMAC_384");
    const error = await rejection(() =>
      a.kms.send(new GenerateMacCommand({ KeyId: key.KeyId, Message: Buffer.from("m"), MacAlgorithm: "HMAC_SHA_256" })),
    );
    assert.equal(error.name, "InvalidKeyUsageException");
    assert.equal(error.message, "Algorithm HMAC_SHA_256 is incompatible with key spec HMAC_384.");
  });

  test("GenerateMac refuses a symmetric encryption key; Encrypt and GenerateDataKey refuse an HMAC key", async () => {
    const { a, key } = await hmacKey();
    const { KeyMetadata: symmetric } = await a.kms.send(new CreateKeyCommand({}));
    const mac = await rejection(() =>
      a.kms.send(
        new GenerateMacCommand({ KeyId: symmetric!.KeyId, Message: Buffer.from("m"), MacAlgorithm: "HMAC_SHA_256" }),
      ),
    );
    assert.equal(mac.name, "InvalidKeyUsageException");
    assert.equal(mac.message, `${symmetric!.Arn} key usage is ENCRYPT_DECRYPT which is not valid for GenerateMac.`);

    const encrypt = await rejection(() =>
      a.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from("x") })),
    );
    assert.equal(encrypt.name, "InvalidKeyUsageException");
    assert.equal(encrypt.message, `${key.Arn} key usage is GENERATE_VERIFY_MAC which is not valid for Encrypt.`);
    const dataKey = await rejection(() =>
      a.kms.send(new GenerateDataKeyCommand({ KeyId: key.KeyId, KeySpec: "AES_256" })),
    );
    assert.equal(dataKey.name, "InvalidKeyUsageException");
    assert.equal(
      dataKey.message,
      `${key.Arn} key usage is GENERATE_VERIFY_MAC which is not valid for GenerateDataKey.`,
    );
    const rotation = await rejection(() => a.kms.send(new EnableKeyRotationCommand({ KeyId: key.KeyId })));
    assert.equal(rotation.name, "UnsupportedOperationException");
    assert.equal(rotation.message, `${key.Arn} does not support automatic key rotation.`);
  });

  test("a disabled HMAC key is DisabledException; DryRun answers DryRunOperationException", async () => {
    const { a, key } = await hmacKey();
    const input = { KeyId: key.KeyId, Message: Buffer.from("m"), MacAlgorithm: "HMAC_SHA_256" as const };
    const dry = await rejection(() => a.kms.send(new GenerateMacCommand({ ...input, DryRun: true })));
    assert.equal(dry.name, "DryRunOperationException");
    await a.kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    const disabled = await rejection(() => a.kms.send(new GenerateMacCommand(input)));
    assert.equal(disabled.name, "DisabledException");
    assert.equal(disabled.message, `${key.Arn} is disabled.`);
  });

  test("CreateKey's spec and usage must go together, as AWS requires; nothing is created otherwise", async () => {
    const { a } = inProcess();
    const cases: [{ KeySpec?: KeySpec; KeyUsage?: KeyUsageType }, string][] = [
      [
        { KeySpec: "HMAC_256" },
        "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.",
      ],
      [
        { KeySpec: "HMAC_512", KeyUsage: "ENCRYPT_DECRYPT" },
        "KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec HMAC_512; use KeyUsage GENERATE_VERIFY_MAC.",
      ],
      [
        { KeyUsage: "GENERATE_VERIFY_MAC" },
        "KeyUsage GENERATE_VERIFY_MAC is not compatible with KeySpec SYMMETRIC_DEFAULT; use KeyUsage ENCRYPT_DECRYPT.",
      ],
    ];
    for (const [input, message] of cases) {
      const error = await rejection(() => a.kms.send(new CreateKeyCommand(input)));
      assert.equal(error.name, "ValidationException");
      assert.equal(error.message, message);
    }
    const { Keys } = await a.kms.send(new ListKeysCommand({}));
    assert.deepEqual(Keys, []);
  });

  test("_custom_key_material_ must have the HMAC spec's length", async () => {
    const { a } = inProcess();
    const error = await rejection(() =>
      a.kms.send(
        new CreateKeyCommand({
          KeySpec: "HMAC_512",
          KeyUsage: "GENERATE_VERIFY_MAC",
          Tags: [{ TagKey: "_custom_key_material_", TagValue: randomBytes(32).toString("base64") }],
        }),
      ),
    );
    assert.equal(error.name, "ValidationException");
    assert.equal(
      error.message,
      "The _custom_key_material_ tag must be 64 bytes of key material in base64 (a HMAC_512 key); got 32 bytes.",
    );
  });
});
