import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createPublicKey, diffieHellman, generateKeyPairSync } from "node:crypto";
import {
  CreateKeyCommand,
  DeriveSharedSecretCommand,
  DescribeKeyCommand,
  GetPublicKeyCommand,
  SignCommand,
  type KeySpec,
} from "@aws-sdk/client-kms";
import { inProcess, rejection } from "../helpers/harness.js";

const CURVES: [KeySpec, string][] = [
  ["ECC_NIST_P256", "prime256v1"],
  ["ECC_NIST_P384", "secp384r1"],
  ["ECC_NIST_P521", "secp521r1"],
];

async function agreementKey(KeySpec: KeySpec = "ECC_NIST_P256") {
  const env = inProcess();
  const { KeyMetadata } = await env.a.kms.send(new CreateKeyCommand({ KeySpec, KeyUsage: "KEY_AGREEMENT" }));
  return { ...env, key: KeyMetadata! };
}

function peerOn(namedCurve: string) {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve });
  return { privateKey, publicDer: publicKey.export({ type: "spki", format: "der" }) };
}

describe("KMS key agreement keys", () => {
  for (const [spec, curve] of CURVES) {
    test(`${spec}: DeriveSharedSecret equals node:crypto's ECDH of the peer with GetPublicKey's key`, async () => {
      const { a, key } = await agreementKey(spec);
      assert.equal(key.KeyUsage, "KEY_AGREEMENT");
      assert.deepEqual(key.KeyAgreementAlgorithms, ["ECDH"]);
      assert.equal(key.SigningAlgorithms, undefined);
      assert.equal(key.EncryptionAlgorithms, undefined);
      const described = await a.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId }));
      assert.deepEqual(described.KeyMetadata?.KeyAgreementAlgorithms, ["ECDH"]);
      const got = await a.kms.send(new GetPublicKeyCommand({ KeyId: key.KeyId }));
      assert.deepEqual(got.KeyAgreementAlgorithms, ["ECDH"]);
      assert.equal(got.KeyUsage, "KEY_AGREEMENT");
      const kmsPublic = createPublicKey({ key: Buffer.from(got.PublicKey!), format: "der", type: "spki" });
      assert.equal(kmsPublic.asymmetricKeyDetails?.namedCurve, curve);

      const peer = peerOn(curve);
      const derived = await a.kms.send(
        new DeriveSharedSecretCommand({ KeyId: key.Arn, KeyAgreementAlgorithm: "ECDH", PublicKey: peer.publicDer }),
      );
      assert.equal(derived.KeyId, key.Arn);
      assert.equal(derived.KeyAgreementAlgorithm, "ECDH");
      assert.equal(derived.KeyOrigin, "AWS_KMS");
      const expected = diffieHellman({ privateKey: peer.privateKey, publicKey: kmsPublic });
      assert.deepEqual(Buffer.from(derived.SharedSecret!), expected);
    });
  }

  test("two KMS keys derive the same secret from each other's public keys", async () => {
    const { a, key } = await agreementKey();
    const { KeyMetadata: other } = await a.kms.send(
      new CreateKeyCommand({ KeySpec: "ECC_NIST_P256", KeyUsage: "KEY_AGREEMENT" }),
    );
    const publicOf = async (KeyId: string) => (await a.kms.send(new GetPublicKeyCommand({ KeyId }))).PublicKey!;
    const one = await a.kms.send(
      new DeriveSharedSecretCommand({
        KeyId: key.KeyId,
        KeyAgreementAlgorithm: "ECDH",
        PublicKey: await publicOf(other!.KeyId!),
      }),
    );
    const two = await a.kms.send(
      new DeriveSharedSecretCommand({
        KeyId: other!.KeyId,
        KeyAgreementAlgorithm: "ECDH",
        PublicKey: await publicOf(key.KeyId!),
      }),
    );
    assert.deepEqual(Buffer.from(one.SharedSecret!), Buffer.from(two.SharedSecret!));
  });

  test("a peer key on another curve or not a key, a signing key, signing with it: refused", async () => {
    const { a, raw, key } = await agreementKey();
    for (const PublicKey of [peerOn("secp384r1").publicDer, Buffer.from("not a key")]) {
      const answer = await raw({
        service: "kms",
        target: "DeriveSharedSecret",
        json: { KeyId: key.KeyId, KeyAgreementAlgorithm: "ECDH", PublicKey: PublicKey.toString("base64") },
      });
      assert.equal(answer.status, 400);
      assert.equal(answer.code, "ValidationException");
      assert.equal(
        answer.message,
        "PublicKey must be a DER-encoded SubjectPublicKeyInfo of an elliptic curve public key on the curve of key spec ECC_NIST_P256.",
      );
    }
    const { KeyMetadata: signing } = await a.kms.send(
      new CreateKeyCommand({ KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" }),
    );
    const derive = await rejection(() =>
      a.kms.send(
        new DeriveSharedSecretCommand({
          KeyId: signing!.KeyId,
          KeyAgreementAlgorithm: "ECDH",
          PublicKey: peerOn("prime256v1").publicDer,
        }),
      ),
    );
    assert.equal(derive.name, "InvalidKeyUsageException");
    assert.equal(derive.message, `${signing!.Arn} key usage is SIGN_VERIFY which is not valid for DeriveSharedSecret.`);
    const sign = await rejection(() =>
      a.kms.send(new SignCommand({ KeyId: key.KeyId, Message: Buffer.from("m"), SigningAlgorithm: "ECDSA_SHA_256" })),
    );
    assert.equal(sign.name, "InvalidKeyUsageException");
    assert.equal(sign.message, `${key.Arn} key usage is KEY_AGREEMENT which is not valid for Sign.`);
    const dryRun = await rejection(() =>
      a.kms.send(
        new DeriveSharedSecretCommand({
          KeyId: key.KeyId,
          KeyAgreementAlgorithm: "ECDH",
          PublicKey: peerOn("prime256v1").publicDer,
          DryRun: true,
        }),
      ),
    );
    assert.equal(dryRun.name, "DryRunOperationException");
  });
});
