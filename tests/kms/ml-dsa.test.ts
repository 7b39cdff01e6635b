import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createMLDSA44, createMLDSA65, createMLDSA87 } from "@oqs/liboqs-js";
import { ml_dsa44, ml_dsa65, ml_dsa87 } from "@noble/post-quantum/ml-dsa.js";
import {
  CreateKeyCommand,
  EncryptCommand,
  GenerateDataKeyPairCommand,
  GetPublicKeyCommand,
  SignCommand,
  VerifyCommand,
  type KMSClient,
  type MessageType,
} from "@aws-sdk/client-kms";
import { inProcess, rejection } from "../helpers/harness.js";

/**
 * ML-DSA keys (ml-dsa.ts). Signatures are checked with liboqs (Open Quantum Safe's C implementation of FIPS 204, as
 * WebAssembly): an implementation that is not the one Trident signs with.
 */

const SPECS = [
  {
    KeySpec: "ML_DSA_44",
    oidArc: 17,
    publicKeyBytes: 1312,
    signatureBytes: 2420,
    liboqs: createMLDSA44,
    noble: ml_dsa44,
  },
  {
    KeySpec: "ML_DSA_65",
    oidArc: 18,
    publicKeyBytes: 1952,
    signatureBytes: 3309,
    liboqs: createMLDSA65,
    noble: ml_dsa65,
  },
  {
    KeySpec: "ML_DSA_87",
    oidArc: 19,
    publicKeyBytes: 2592,
    signatureBytes: 4627,
    liboqs: createMLDSA87,
    noble: ml_dsa87,
  },
] as const;

const MESSAGE = Buffer.from("snapshot arn:aws:rds:us-east-1:111111111111:cluster-snapshot:s1");

/** Reads one DER TLV at `at`: its tag, its content and where the next one starts. */
function tlv(der: Buffer, at: number): { tag: number; content: Buffer; end: number } {
  const tag = der[at]!;
  let length = der[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    length = der.subarray(start, start + octets).reduce((n, byte) => n * 256 + byte, 0);
    start += octets;
  }
  return { tag, content: der.subarray(start, start + length), end: start + length };
}

/** The raw FIPS 204 public key inside a SubjectPublicKeyInfo, after checking its shape and OID (RFC 9881 §4). */
function rawPublicKey(spki: Uint8Array, oidArc: number): Uint8Array {
  const der = Buffer.from(spki);
  const outer = tlv(der, 0);
  assert.equal(outer.tag, 0x30);
  assert.equal(outer.end, der.length);
  const algorithm = tlv(outer.content, 0);
  assert.equal(algorithm.tag, 0x30);
  // AlgorithmIdentifier: the OID 2.16.840.1.101.3.4.3.<arc> alone, parameters absent.
  assert.equal(algorithm.content.toString("hex"), `06096086480165030403${oidArc.toString(16)}`);
  const bits = tlv(outer.content, algorithm.end);
  assert.equal(bits.tag, 0x03);
  assert.equal(bits.end, outer.content.length);
  assert.equal(bits.content[0], 0, "no unused bits");
  return new Uint8Array(bits.content.subarray(1));
}

/** FIPS 204 §6.2 μ of pure ML-DSA with an empty context, computed here from the raw public key. */
function mu(publicKey: Uint8Array, message: Uint8Array): Buffer {
  const shake = (data: Uint8Array) => createHash("shake256", { outputLength: 64 }).update(data).digest();
  return shake(Buffer.concat([shake(publicKey), Buffer.of(0, 0), message]));
}

async function mlDsaKey(kms: KMSClient, KeySpec: (typeof SPECS)[number]["KeySpec"]) {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ KeySpec, KeyUsage: "SIGN_VERIFY" }));
  return KeyMetadata!;
}

async function sign(kms: KMSClient, KeyId: string, Message: Uint8Array, MessageType: MessageType = "RAW") {
  const signed = await kms.send(new SignCommand({ KeyId, Message, MessageType, SigningAlgorithm: "ML_DSA_SHAKE_256" }));
  return new Uint8Array(signed.Signature!);
}

describe("KMS ML-DSA signing keys", () => {
  for (const spec of SPECS) {
    test(`${spec.KeySpec}: a RAW signature verifies with liboqs and noble from GetPublicKey's key`, async () => {
      const { a } = inProcess();
      const key = await mlDsaKey(a.kms, spec.KeySpec);
      assert.equal(key.KeySpec, spec.KeySpec);
      assert.equal(key.KeyUsage, "SIGN_VERIFY");
      assert.equal(key.CustomerMasterKeySpec, undefined);
      assert.deepEqual(key.SigningAlgorithms, ["ML_DSA_SHAKE_256"]);
      assert.equal(key.EncryptionAlgorithms, undefined);

      const got = await a.kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }));
      assert.equal(got.KeySpec, spec.KeySpec);
      assert.equal(got.KeyUsage, "SIGN_VERIFY");
      assert.deepEqual(got.SigningAlgorithms, ["ML_DSA_SHAKE_256"]);
      const publicKey = rawPublicKey(got.PublicKey!, spec.oidArc);
      assert.equal(publicKey.length, spec.publicKeyBytes);

      const signature = await sign(a.kms, key.KeyId!, MESSAGE);
      assert.equal(signature.length, spec.signatureBytes);
      const liboqs = await spec.liboqs();
      try {
        assert.equal(liboqs.verify(new Uint8Array(MESSAGE), signature, publicKey), true);
        assert.equal(liboqs.verify(new Uint8Array(Buffer.from("another message")), signature, publicKey), false);
      } finally {
        liboqs.destroy();
      }
      assert.equal(spec.noble.verify(signature, MESSAGE, publicKey), true);

      const verified = await a.kms.send(
        new VerifyCommand({
          KeyId: key.Arn,
          Message: MESSAGE,
          Signature: signature,
          SigningAlgorithm: "ML_DSA_SHAKE_256",
        }),
      );
      assert.equal(verified.SignatureValid, true);
      assert.equal(verified.KeyId, key.Arn);
      assert.equal(verified.SigningAlgorithm, "ML_DSA_SHAKE_256");
    });
  }

  test("EXTERNAL_MU signs the caller's μ: the signature is one of the message, for liboqs and for KMS's RAW Verify", async () => {
    const { a } = inProcess();
    const key = await mlDsaKey(a.kms, "ML_DSA_65");
    const got = await a.kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }));
    const publicKey = rawPublicKey(got.PublicKey!, 18);
    const representative = mu(publicKey, MESSAGE);

    const signature = await sign(a.kms, key.KeyId!, representative, "EXTERNAL_MU");
    const liboqs = await createMLDSA65();
    try {
      assert.equal(liboqs.verify(new Uint8Array(MESSAGE), signature, publicKey), true);
    } finally {
      liboqs.destroy();
    }
    const asRaw = await a.kms.send(
      new VerifyCommand({
        KeyId: key.KeyId,
        Message: MESSAGE,
        Signature: signature,
        SigningAlgorithm: "ML_DSA_SHAKE_256",
      }),
    );
    assert.equal(asRaw.SignatureValid, true);
    // And a RAW signature verifies as EXTERNAL_MU of the same message.
    const rawSignature = await sign(a.kms, key.KeyId!, MESSAGE);
    const asMu = await a.kms.send(
      new VerifyCommand({
        KeyId: key.KeyId,
        Message: representative,
        MessageType: "EXTERNAL_MU",
        Signature: rawSignature,
        SigningAlgorithm: "ML_DSA_SHAKE_256",
      }),
    );
    assert.equal(asMu.SignatureValid, true);
  });

  test("a signature of another message, key or parameter set is KMSInvalidSignatureException", async () => {
    const { a } = inProcess();
    const key = await mlDsaKey(a.kms, "ML_DSA_44");
    const other = await mlDsaKey(a.kms, "ML_DSA_44");
    const bigger = await mlDsaKey(a.kms, "ML_DSA_87");
    const signature = await sign(a.kms, key.KeyId!, MESSAGE);
    for (const [KeyId, Message, Signature] of [
      [key.KeyId!, Buffer.from("another message"), signature],
      [other.KeyId!, MESSAGE, signature],
      [bigger.KeyId!, MESSAGE, signature],
      [key.KeyId!, MESSAGE, signature.subarray(1)],
    ] as const) {
      const error = await rejection(() =>
        a.kms.send(new VerifyCommand({ KeyId, Message, Signature, SigningAlgorithm: "ML_DSA_SHAKE_256" })),
      );
      assert.equal(error.name, "KMSInvalidSignatureException");
      assert.equal(error.$metadata?.httpStatusCode, 400);
    }
  });

  test("MessageType DIGEST, a μ that is not 64 bytes, a RAW message over 4096 bytes: ValidationException", async () => {
    const { a } = inProcess();
    const key = await mlDsaKey(a.kms, "ML_DSA_44");
    for (const [MessageType, Message, message] of [
      [
        "DIGEST",
        Buffer.alloc(32),
        "The ML_DSA_SHAKE_256 signing algorithm takes MessageType RAW or EXTERNAL_MU, not DIGEST.",
      ],
      ["EXTERNAL_MU", Buffer.alloc(32), "An EXTERNAL_MU message must be 64 bytes for algorithm ML_DSA_SHAKE_256."],
      ["EXTERNAL_MU", Buffer.alloc(65), "An EXTERNAL_MU message must be 64 bytes for algorithm ML_DSA_SHAKE_256."],
    ] as const) {
      const error = await rejection(() =>
        a.kms.send(new SignCommand({ KeyId: key.KeyId, Message, MessageType, SigningAlgorithm: "ML_DSA_SHAKE_256" })),
      );
      assert.equal(error.name, "ValidationException");
      assert.equal(error.$metadata?.httpStatusCode, 400);
      assert.equal(error.message, message);
    }
    // "You can submit messages of up to 4096 bytes" [M-KMS Sign Message]: the model's bound.
    await sign(a.kms, key.KeyId!, Buffer.alloc(4096, 1));
    const tooLong = await rejection(() => sign(a.kms, key.KeyId!, Buffer.alloc(4097, 1)));
    assert.equal(tooLong.name, "ValidationException");
    assert.equal(tooLong.$metadata?.httpStatusCode, 400);
  });

  test("the key-spec/algorithm table: other algorithms and usages are refused both ways", async () => {
    const { a } = inProcess();
    const key = await mlDsaKey(a.kms, "ML_DSA_44");
    const ecc = (await a.kms.send(new CreateKeyCommand({ KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" })))
      .KeyMetadata!;
    const ecdsa = await rejection(() =>
      a.kms.send(new SignCommand({ KeyId: key.KeyId, Message: MESSAGE, SigningAlgorithm: "ECDSA_SHA_256" })),
    );
    assert.equal(ecdsa.name, "InvalidKeyUsageException");
    assert.equal(ecdsa.message, "Algorithm ECDSA_SHA_256 is incompatible with key spec ML_DSA_44.");
    const mlDsaOnEcc = await rejection(() => sign(a.kms, ecc.KeyId!, MESSAGE));
    assert.equal(mlDsaOnEcc.name, "InvalidKeyUsageException");
    assert.equal(mlDsaOnEcc.message, "Algorithm ML_DSA_SHAKE_256 is incompatible with key spec ECC_NIST_P256.");
    const muOnEcc = await rejection(() =>
      a.kms.send(
        new SignCommand({
          KeyId: ecc.KeyId,
          Message: Buffer.alloc(64),
          MessageType: "EXTERNAL_MU",
          SigningAlgorithm: "ECDSA_SHA_256",
        }),
      ),
    );
    assert.equal(muOnEcc.name, "ValidationException");
    assert.equal(muOnEcc.message, "MessageType EXTERNAL_MU is only for ML_DSA keys.");
    const encrypt = await rejection(() => a.kms.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: MESSAGE })));
    assert.equal(encrypt.name, "InvalidKeyUsageException");
    assert.equal(encrypt.message, `${key.Arn} key usage is SIGN_VERIFY which is not valid for Encrypt.`);
  });

  test("CreateKey: KeyUsage SIGN_VERIFY only, and given; no imported ML-DSA material; no ML-DSA data key pairs", async () => {
    const { a } = inProcess();
    for (const [input, name, message] of [
      [
        { KeySpec: "ML_DSA_87", KeyUsage: "ENCRYPT_DECRYPT" },
        "ValidationException",
        "KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec ML_DSA_87; use KeyUsage SIGN_VERIFY.",
      ],
      [
        { KeySpec: "ML_DSA_65" },
        "ValidationException",
        "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.",
      ],
      [
        { KeySpec: "ML_DSA_44", KeyUsage: "SIGN_VERIFY", Origin: "EXTERNAL" },
        "UnsupportedOperationException",
        "Trident's KMS imports key material for symmetric encryption, HMAC, RSA and ECC keys only, not for ML_DSA_44 keys.",
      ],
    ] as const) {
      const error = await rejection(() => a.kms.send(new CreateKeyCommand(input)));
      assert.equal(error.name, name);
      assert.equal(error.$metadata?.httpStatusCode, 400);
      assert.equal(error.message, message);
    }
    const { KeyMetadata: symmetric } = await a.kms.send(new CreateKeyCommand({}));
    const pair = await rejection(() =>
      a.kms.send(
        new GenerateDataKeyPairCommand({
          KeyId: symmetric!.KeyId,
          KeyPairSpec: "ML_DSA_44" as never, // not in the model's DataKeyPairSpec enum
        }),
      ),
    );
    assert.equal(pair.name, "ValidationException");
    assert.equal(pair.$metadata?.httpStatusCode, 400);
  });
});
