import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  CreateKeyCommand,
  DecryptCommand,
  DeriveSharedSecretCommand,
  GenerateDataKeyPairCommand,
  GetPublicKeyCommand,
  SignCommand,
  type KeySpec,
  type KeyUsageType,
  type SigningAlgorithmSpec,
} from "@aws-sdk/client-kms";
import { inProcess } from "../helpers/harness.js";

/**
 * Interop with the `openssl` CLI (OpenSSL 3): it parses GetPublicKey's DER, verifies KMS's signatures, encrypts what
 * KMS decrypts, and agrees on ECDH secrets. Files in a temporary folder, the CLI run with execFile (no shell).
 */

const run = promisify(execFile);
const folder = mkdtempSync(join(tmpdir(), "trident-openssl-"));
after(() => rmSync(folder, { recursive: true, force: true }));

let files = 0;
function file(contents: Uint8Array | string = ""): string {
  const path = join(folder, `f${files++}`);
  writeFileSync(path, contents);
  return path;
}

async function openssl(...args: string[]): Promise<string> {
  const { stdout } = await run("openssl", args);
  return stdout;
}

/** GetPublicKey's DER, through `openssl pkey -pubin -inform DER`, as PEM. */
async function publicPem(kms: ReturnType<typeof inProcess>["a"]["kms"], KeyId: string): Promise<string> {
  const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId }));
  const pem = file();
  await openssl("pkey", "-pubin", "-inform", "DER", "-in", file(PublicKey!), "-out", pem);
  return pem;
}

async function kmsKey(KeySpec: KeySpec, KeyUsage: KeyUsageType) {
  const env = inProcess();
  const { KeyMetadata } = await env.a.kms.send(new CreateKeyCommand({ KeySpec, KeyUsage }));
  return { ...env, key: KeyMetadata!, pem: await publicPem(env.a.kms, KeyMetadata!.KeyId!) };
}

const MESSAGE = Buffer.from("snapshot arn:aws:rds:us-east-1:111111111111:cluster-snapshot:orders-graph-1");

/** `openssl dgst` options for each algorithm: its digest and, for PSS, the padding and salt length. */
const DGST: [KeySpec, SigningAlgorithmSpec, string, string[]][] = [
  ["ECC_NIST_P256", "ECDSA_SHA_256", "sha256", []],
  ["ECC_NIST_P384", "ECDSA_SHA_384", "sha384", []],
  ["ECC_SECG_P256K1", "ECDSA_SHA_256", "sha256", []],
  ["RSA_2048", "RSASSA_PKCS1_V1_5_SHA_256", "sha256", []],
  ["RSA_2048", "RSASSA_PSS_SHA_384", "sha384", ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:48"]],
  ["RSA_3072", "RSASSA_PSS_SHA_256", "sha256", ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32"]],
];

describe("KMS and the openssl CLI", () => {
  for (const [spec, algorithm, hash, options] of DGST) {
    test(`${spec} ${algorithm}: openssl dgst -verify accepts KMS's RAW and DIGEST signatures`, async () => {
      const { a, key, pem } = await kmsKey(spec, "SIGN_VERIFY");
      const message = file(MESSAGE);
      const raw = await a.kms.send(
        new SignCommand({ KeyId: key.KeyId, Message: MESSAGE, SigningAlgorithm: algorithm }),
      );
      // `openssl dgst -verify` of the message with the key's public PEM: its stdout.
      const dgstVerify = (signature: Uint8Array, data: string) =>
        openssl("dgst", `-${hash}`, ...options, "-verify", pem, "-signature", file(signature), data);
      assert.equal((await dgstVerify(raw.Signature!, message)).trim(), "Verified OK");

      const digest = createHash(hash).update(MESSAGE).digest();
      const signed = await a.kms.send(
        new SignCommand({ KeyId: key.KeyId, Message: digest, MessageType: "DIGEST", SigningAlgorithm: algorithm }),
      );
      assert.equal((await dgstVerify(signed.Signature!, message)).trim(), "Verified OK");

      // And a signature over other data does not verify.
      await assert.rejects(
        dgstVerify(signed.Signature!, file("other")),
        (error: { stdout?: string }) => error.stdout?.trim() === "Verification failure",
      );
    });
  }

  test("openssl pkeyutl -verify of a DIGEST: the PKCS#1 v1.5 DigestInfo and the PSS encoding are OpenSSL's", async () => {
    const { a, key, pem } = await kmsKey("RSA_2048", "SIGN_VERIFY");
    const digest = createHash("sha512").update(MESSAGE).digest();
    for (const [SigningAlgorithm, options] of [
      ["RSASSA_PKCS1_V1_5_SHA_512", []],
      ["RSASSA_PSS_SHA_512", ["-pkeyopt", "rsa_padding_mode:pss", "-pkeyopt", "rsa_pss_saltlen:64"]],
    ] as const) {
      const { Signature } = await a.kms.send(
        new SignCommand({ KeyId: key.KeyId, Message: digest, MessageType: "DIGEST", SigningAlgorithm }),
      );
      const out = await openssl(
        "pkeyutl",
        "-verify",
        "-pubin",
        "-inkey",
        pem,
        "-in",
        file(digest),
        "-sigfile",
        file(Signature!),
        "-pkeyopt",
        "digest:sha512",
        ...options,
      );
      assert.equal(out.trim(), "Signature Verified Successfully", SigningAlgorithm);
    }
  });

  test("openssl pkeyutl -verify -rawin accepts KMS's pure Ed25519 signature (ED25519_SHA_512)", async () => {
    const { a, key, pem } = await kmsKey("ECC_NIST_EDWARDS25519", "SIGN_VERIFY");
    const { Signature } = await a.kms.send(
      new SignCommand({ KeyId: key.KeyId, Message: MESSAGE, SigningAlgorithm: "ED25519_SHA_512" }),
    );
    const args = ["pkeyutl", "-verify", "-pubin", "-inkey", pem, "-rawin", "-sigfile", file(Signature!)];
    const out = await openssl(...args, "-in", file(MESSAGE));
    assert.equal(out.trim(), "Signature Verified Successfully");
    await assert.rejects(
      openssl(...args, "-in", file("other")),
      (error: { stdout?: string }) => error.stdout?.trim() === "Signature Verification Failure",
    );
  });

  for (const [algorithm, hash] of [
    ["RSAES_OAEP_SHA_1", "sha1"],
    ["RSAES_OAEP_SHA_256", "sha256"],
  ] as const) {
    test(`data encrypted with openssl pkeyutl -encrypt (OAEP, ${hash}) decrypts in KMS with ${algorithm}`, async () => {
      const { a, key, pem } = await kmsKey("RSA_3072", "ENCRYPT_DECRYPT");
      const Plaintext = Buffer.from("a data key encrypted offline");
      const ciphertext = file();
      await openssl(
        "pkeyutl",
        "-encrypt",
        "-pubin",
        "-inkey",
        pem,
        "-in",
        file(Plaintext),
        "-out",
        ciphertext,
        "-pkeyopt",
        "rsa_padding_mode:oaep",
        "-pkeyopt",
        `rsa_oaep_md:${hash}`,
        "-pkeyopt",
        `rsa_mgf1_md:${hash}`,
      );
      const decrypted = await a.kms.send(
        new DecryptCommand({
          KeyId: key.KeyId,
          CiphertextBlob: readFileSync(ciphertext),
          EncryptionAlgorithm: algorithm,
        }),
      );
      assert.deepEqual(Buffer.from(decrypted.Plaintext!), Plaintext);
    });
  }

  test("openssl pkeyutl -derive with the KMS key's public key gives DeriveSharedSecret's secret", async () => {
    const { a, key, pem } = await kmsKey("ECC_NIST_P384", "KEY_AGREEMENT");
    const peer = file();
    await openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", peer);
    const peerPublic = file();
    await openssl("pkey", "-in", peer, "-pubout", "-outform", "DER", "-out", peerPublic);
    const secret = file();
    await openssl("pkeyutl", "-derive", "-inkey", peer, "-peerkey", pem, "-out", secret);
    const derived = await a.kms.send(
      new DeriveSharedSecretCommand({
        KeyId: key.KeyId,
        KeyAgreementAlgorithm: "ECDH",
        PublicKey: readFileSync(peerPublic),
      }),
    );
    assert.deepEqual(Buffer.from(derived.SharedSecret!), readFileSync(secret));
  });

  test("a data key pair's PKCS#8 private key and DER public key are a pair to openssl", async () => {
    const { a } = inProcess();
    const { KeyMetadata } = await a.kms.send(new CreateKeyCommand({}));
    const pair = await a.kms.send(
      new GenerateDataKeyPairCommand({ KeyId: KeyMetadata!.KeyId, KeyPairSpec: "ECC_NIST_P256" }),
    );
    const fromPrivate = await openssl("pkey", "-inform", "DER", "-in", file(pair.PrivateKeyPlaintext!), "-pubout");
    const fromPublic = await openssl("pkey", "-pubin", "-inform", "DER", "-in", file(pair.PublicKey!));
    assert.equal(fromPrivate, fromPublic);
  });
});
