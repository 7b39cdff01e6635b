import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createPublicKey } from "node:crypto";
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  ListKeysCommand,
  SignCommand,
  VerifyCommand,
} from "@aws-sdk/client-kms";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { A, ADMIN, B, inProcess } from "../helpers/harness.js";

/**
 * An RSA key pair is made before the request's turn of the store (domain/kms/key-generation.ts), in libuv's thread
 * pool: while a CreateKey or GenerateDataKeyPair with RSA_4096 is in flight, requests sent after it are answered
 * before it. No timing: the order in which the answers arrive is what is asserted.
 */

/** Runs the calls, started in this order, and gives the order in which their answers arrived. */
async function completionOrder(calls: Record<string, () => Promise<unknown>>) {
  const order: string[] = [];
  const results: Record<string, unknown> = {};
  await Promise.all(
    Object.entries(calls).map(([name, call]) =>
      call().then((result) => {
        order.push(name);
        results[name] = result;
      }),
    ),
  );
  return { order, results };
}

async function keyCount(kms: ReturnType<typeof inProcess>["a"]["kms"]) {
  return (await kms.send(new ListKeysCommand({}))).Keys!.length;
}

describe("KMS: RSA key generation does not hold back other requests", () => {
  test("CreateKey RSA_4096 in flight: ListKeys, DescribeKey and GetCallerIdentity sent after it are answered first", async () => {
    const { a } = inProcess();
    const { KeyMetadata: existing } = await a.kms.send(new CreateKeyCommand({}));
    const before = await keyCount(a.kms);

    const { order, results } = await completionOrder({
      create: () => a.kms.send(new CreateKeyCommand({ KeySpec: "RSA_4096", KeyUsage: "SIGN_VERIFY" })),
      list: () => a.kms.send(new ListKeysCommand({})),
      describe: () => a.kms.send(new DescribeKeyCommand({ KeyId: existing!.KeyId })),
      identity: () => a.sts.send(new GetCallerIdentityCommand({})),
    });
    assert.equal(order.at(-1), "create", `answered in the order ${order.join(", ")}`);
    assert.equal(order.length, 4);

    // Answered before the key was made: the list does not have it yet.
    const listed = results.list as { Keys: unknown[] };
    assert.equal(listed.Keys!.length, before);
    assert.equal((results.describe as { KeyMetadata: { Arn: string } }).KeyMetadata.Arn, existing!.Arn);
    assert.equal((results.identity as { Account: string }).Account, A);

    // The key made ahead is the key: a 4096-bit pair that signs and verifies, and it is listed now.
    const created = (results.create as { KeyMetadata: { KeyId: string; KeySpec: string } }).KeyMetadata;
    assert.equal(created.KeySpec, "RSA_4096");
    assert.equal(await keyCount(a.kms), before + 1);
    const Message = Buffer.from("made off the event loop");
    const { Signature } = await a.kms.send(
      new SignCommand({ KeyId: created.KeyId, Message, SigningAlgorithm: "RSASSA_PSS_SHA_512" }),
    );
    assert.equal(Signature!.length, 512);
    const verified = await a.kms.send(
      new VerifyCommand({ KeyId: created.KeyId, Message, Signature, SigningAlgorithm: "RSASSA_PSS_SHA_512" }),
    );
    assert.equal(verified.SignatureValid, true);
  });

  test("GenerateDataKeyPair RSA_4096 in flight: requests sent after it are answered first; the pair is whole", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));

    const { order, results } = await completionOrder({
      pair: () => a.kms.send(new GenerateDataKeyPairCommand({ KeyId: key!.KeyId, KeyPairSpec: "RSA_4096" })),
      describe: () => a.kms.send(new DescribeKeyCommand({ KeyId: key!.KeyId })),
      identity: () => a.sts.send(new GetCallerIdentityCommand({})),
    });
    assert.equal(order.at(-1), "pair", `answered in the order ${order.join(", ")}`);

    const pair = results.pair as {
      PublicKey: Uint8Array;
      PrivateKeyPlaintext: Uint8Array;
      PrivateKeyCiphertextBlob: Uint8Array;
    };
    const publicKey = createPublicKey({ key: Buffer.from(pair.PublicKey), format: "der", type: "spki" });
    assert.equal(publicKey.asymmetricKeyDetails?.modulusLength, 4096);
    const { Plaintext } = await a.kms.send(new DecryptCommand({ CiphertextBlob: pair.PrivateKeyCiphertextBlob }));
    assert.deepEqual(Buffer.from(Plaintext!), Buffer.from(pair.PrivateKeyPlaintext));
  });

  test("GenerateDataKeyPairWithoutPlaintext RSA_2048 in flight: a request sent after it is answered first", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    const { order, results } = await completionOrder({
      pair: () =>
        a.kms.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: key!.KeyId, KeyPairSpec: "RSA_2048" })),
      identity: () => a.sts.send(new GetCallerIdentityCommand({})),
    });
    assert.deepEqual(order, ["identity", "pair"]);
    const pair = results.pair as { PublicKey: Uint8Array; PrivateKeyPlaintext?: Uint8Array };
    assert.equal(pair.PrivateKeyPlaintext, undefined);
    const publicKey = createPublicKey({ key: Buffer.from(pair.PublicKey), format: "der", type: "spki" });
    assert.equal(publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  });

  test("a refused RSA CreateKey leaves nothing behind: a bad usage, a bad signature, access denied", async () => {
    const { a, raw } = inProcess();
    const before = await keyCount(a.kms);

    const badUsage = await raw({
      service: "kms",
      target: "CreateKey",
      json: { KeySpec: "RSA_4096", KeyUsage: "GENERATE_VERIFY_MAC" },
    });
    assert.equal(badUsage.status, 400);
    assert.equal(badUsage.code, "ValidationException");
    assert.equal(
      badUsage.message,
      "KeyUsage GENERATE_VERIFY_MAC is not compatible with KeySpec RSA_4096; use KeyUsage ENCRYPT_DECRYPT or SIGN_VERIFY.",
    );

    const badSignature = await raw({
      service: "kms",
      target: "CreateKey",
      json: { KeySpec: "RSA_2048", KeyUsage: "ENCRYPT_DECRYPT" },
      credentials: { ...ADMIN[A]!, secretAccessKey: "not-the-secret" },
    });
    assert.equal(badSignature.status, 400);
    assert.equal(badSignature.code, "InvalidSignatureException");

    const unsigned = await raw({
      service: "kms",
      target: "CreateKey",
      json: { KeySpec: "RSA_4096", KeyUsage: "SIGN_VERIFY" },
      credentials: undefined,
    });
    assert.equal(unsigned.status, 400);
    assert.equal(unsigned.code, "MissingAuthenticationTokenException");

    // Another account's key: the pair made ahead is dropped with the refusal.
    const { KeyMetadata: keyOfA } = await a.kms.send(new CreateKeyCommand({}));
    const denied = await raw({
      service: "kms",
      target: "GenerateDataKeyPair",
      json: { KeyId: keyOfA!.Arn, KeyPairSpec: "RSA_2048" },
      credentials: ADMIN[B]!,
    });
    assert.equal(denied.status, 400);
    assert.equal(denied.code, "AccessDeniedException");

    assert.equal(await keyCount(a.kms), before + 1);
  });
});
