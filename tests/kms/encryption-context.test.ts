import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  ReEncryptCommand,
} from "@aws-sdk/client-kms";
import { A, inProcess, rejection } from "../helpers/harness.js";

const LIMIT = 8192;

/** A key whose policy also allows Encrypt only when a context value is StringLike a long wildcard pattern. */
async function setup() {
  const env = inProcess();
  const policy = {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: "kms:*", Resource: "*" },
      {
        Effect: "Deny",
        Principal: "*",
        Action: "kms:Encrypt",
        Resource: "*",
        Condition: { StringLike: { "kms:EncryptionContext:big": `*${"a?".repeat(2000)}b*` } },
      },
    ],
  };
  const { KeyMetadata } = await env.a.kms.send(new CreateKeyCommand({ Policy: JSON.stringify(policy) }));
  return { ...env, keyId: KeyMetadata!.KeyId! };
}

const contextOf = (size: number) => ({ k: "v", big: "a".repeat(size - "k".length - "v".length - "big".length) });

function assertTooLarge(error: Error & { $metadata?: { httpStatusCode?: number } }, member: string) {
  assert.equal(error.name, "ValidationException");
  assert.equal(error.$metadata?.httpStatusCode, 400);
  assert.equal(
    error.message,
    `1 validation error detected: Value at '${member}' failed to satisfy constraint: Map keys and values must have total length less than or equal to ${LIMIT}`,
  );
}

describe("KMS encryption context size", () => {
  test(`a context of ${LIMIT} characters (keys and values) is used, and the key policy's StringLike is evaluated`, async () => {
    const { a, keyId } = await setup();
    const context = contextOf(LIMIT);
    const encrypted = await a.kms.send(
      new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from("x"), EncryptionContext: context }),
    );
    const decrypted = await a.kms.send(
      new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context }),
    );
    assert.equal(Buffer.from(decrypted.Plaintext!).toString(), "x");
    const matching = { big: "a".repeat(4000) + "ab" };
    const denied = await rejection(() =>
      a.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from("x"), EncryptionContext: matching })),
    );
    assert.equal(denied.name, "AccessDeniedException");
  });

  test("a 400 KB context value is ValidationException for every operation that takes a context", async () => {
    const { a, keyId } = await setup();
    const context = { big: "a".repeat(400_000) };
    const encrypted = await a.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from("x") }));
    const calls: [string, () => Promise<unknown>][] = [
      [
        "encryptionContext",
        () => a.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from("x"), EncryptionContext: context })),
      ],
      [
        "encryptionContext",
        () => a.kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context })),
      ],
      [
        "encryptionContext",
        () => a.kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: "AES_256", EncryptionContext: context })),
      ],
      [
        "sourceEncryptionContext",
        () =>
          a.kms.send(
            new ReEncryptCommand({
              CiphertextBlob: encrypted.CiphertextBlob,
              DestinationKeyId: keyId,
              SourceEncryptionContext: context,
            }),
          ),
      ],
      [
        "destinationEncryptionContext",
        () =>
          a.kms.send(
            new ReEncryptCommand({
              CiphertextBlob: encrypted.CiphertextBlob,
              DestinationKeyId: keyId,
              DestinationEncryptionContext: context,
            }),
          ),
      ],
    ];
    for (const [member, call] of calls) assertTooLarge(await rejection(call), member);
  });

  test(`one character over ${LIMIT} is refused`, async () => {
    const { a, keyId } = await setup();
    const error = await rejection(() =>
      a.kms.send(
        new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from("x"), EncryptionContext: contextOf(LIMIT + 1) }),
      ),
    );
    assertTooLarge(error, "encryptionContext");
  });
});
