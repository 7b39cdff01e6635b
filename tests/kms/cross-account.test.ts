import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListGrantsCommand,
  ListKeysCommand,
  PutKeyPolicyCommand,
  ReEncryptCommand,
  ScheduleKeyDeletionCommand,
} from "@aws-sdk/client-kms";
import { A, B, REGION, inProcess, rejection } from "../helpers/harness.js";
import { ownerStatement, policyOf, sharedKeyPolicy } from "../helpers/seed.js";
import { KMS_CONFIG, USERS } from "./fixtures.js";

const B_ADMIN = `arn:aws:iam::${B}:user/admin`;

/** A's CMK with the seed's policy put on it (step 3 of the procedure). */
async function sharedKey(options: Parameters<typeof inProcess>[0] = {}) {
  const env = inProcess({ config: KMS_CONFIG, ...options });
  const { KeyMetadata } = await env.a.kms.send(new CreateKeyCommand({ Description: "source cluster key" }));
  await env.a.kms.send(new PutKeyPolicyCommand({ KeyId: KeyMetadata!.KeyId, Policy: sharedKeyPolicy() }));
  return { ...env, key: KeyMetadata! };
}

describe("KMS across accounts: the seed's key policy", () => {
  test("B describes and uses A's key by its ARN", async () => {
    const { a, b, key } = await sharedKey();
    const described = await b.kms.send(new DescribeKeyCommand({ KeyId: key.Arn }));
    assert.equal(described.KeyMetadata!.AWSAccountId, A);
    assert.equal(described.KeyMetadata!.Description, "source cluster key");

    const encrypted = await b.kms.send(new EncryptCommand({ KeyId: key.Arn, Plaintext: Buffer.from("from B") }));
    assert.equal(encrypted.KeyId, key.Arn);
    // The blob names A's key: Decrypt without KeyId finds it in A, by A's owner or by B.
    assert.equal(
      Buffer.from(
        (await a.kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }))).Plaintext!,
      ).toString(),
      "from B",
    );
    assert.equal(
      Buffer.from(
        (await b.kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }))).Plaintext!,
      ).toString(),
      "from B",
    );

    const dataKey = await b.kms.send(new GenerateDataKeyCommand({ KeyId: key.Arn, KeySpec: "AES_256" }));
    assert.equal(dataKey.Plaintext!.length, 32);

    // Re-encrypt A's data key under B's own key: the copy step of the procedure, by hand.
    const { KeyMetadata: own } = await b.kms.send(new CreateKeyCommand({}));
    const moved = await b.kms.send(
      new ReEncryptCommand({ CiphertextBlob: dataKey.CiphertextBlob, DestinationKeyId: own!.KeyId }),
    );
    assert.equal(moved.SourceKeyId, key.Arn);
    assert.equal(moved.KeyId, own!.Arn);
    const unwrapped = await b.kms.send(new DecryptCommand({ CiphertextBlob: moved.CiphertextBlob }));
    assert.deepEqual(Buffer.from(unwrapped.Plaintext!), Buffer.from(dataKey.Plaintext!));
  });

  test("B reaches A's key by A's alias ARN too, never by a bare id or alias name", async () => {
    const { a, b, key } = await sharedKey();
    await a.kms.send(new CreateAliasCommand({ AliasName: "alias/source", TargetKeyId: key.KeyId }));
    const byAliasArn = await b.kms.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:${REGION}:${A}:alias/source` }));
    assert.equal(byAliasArn.KeyMetadata!.Arn, key.Arn);
    assert.equal(
      (await rejection(() => b.kms.send(new DescribeKeyCommand({ KeyId: key.KeyId })))).name,
      "NotFoundException",
    );
    assert.equal(
      (await rejection(() => b.kms.send(new DescribeKeyCommand({ KeyId: "alias/source" })))).name,
      "NotFoundException",
    );
  });

  test("without the seed's statements, B is refused: no resource-based policy allows", async () => {
    const env = inProcess({ config: KMS_CONFIG });
    const { KeyMetadata: key } = await env.a.kms.send(new CreateKeyCommand({}));
    for (const [action, send] of [
      ["kms:DescribeKey", () => env.b.kms.send(new DescribeKeyCommand({ KeyId: key!.Arn }))],
      ["kms:Encrypt", () => env.b.kms.send(new EncryptCommand({ KeyId: key!.Arn, Plaintext: Buffer.from("x") }))],
      [
        "kms:CreateGrant",
        () =>
          env.b.kms.send(
            new CreateGrantCommand({ KeyId: key!.Arn, GranteePrincipal: B_ADMIN, Operations: ["Decrypt"] }),
          ),
      ],
    ] as const) {
      const error = await rejection(send);
      assert.equal(error.name, "AccessDeniedException");
      assert.equal(error.$metadata?.httpStatusCode, 400);
      assert.equal(
        error.message,
        `User: ${B_ADMIN} is not authorized to perform: ${action} on resource: ${key!.Arn} because no resource-based policy allows the ${action} action`,
      );
    }
  });

  test("B's own identity policy can still deny it: an explicit deny in an identity-based policy", async () => {
    const { clientsFor, key } = await sharedKey();
    const denied = clientsFor(USERS.bDenied).kms;
    const error = await rejection(() => denied.send(new DescribeKeyCommand({ KeyId: key.Arn })));
    assert.equal(error.name, "AccessDeniedException");
    assert.equal(
      error.message,
      `User: arn:aws:iam::${B}:user/denied is not authorized to perform: kms:DescribeKey on resource: ${key.Arn} with an explicit deny in an identity-based policy`,
    );
  });

  test("the key policy delegating to B is not enough: B's user needs an IAM allow too", async () => {
    const env = inProcess({ config: KMS_CONFIG });
    const everythingForB = { Effect: "Allow", Principal: { AWS: B }, Action: "kms:*", Resource: "*" };
    const { KeyMetadata: key } = await env.a.kms.send(
      new CreateKeyCommand({ Policy: policyOf(ownerStatement(), everythingForB) }),
    );
    const keyUser = env.clientsFor(USERS.bKeyUser).kms;
    assert.ok(await keyUser.send(new DescribeKeyCommand({ KeyId: key!.Arn })));
    const error = await rejection(() => keyUser.send(new GetKeyRotationStatusCommand({ KeyId: key!.Arn })));
    assert.equal(error.name, "AccessDeniedException");
    assert.equal(
      error.message,
      `User: arn:aws:iam::${B}:user/key-user is not authorized to perform: kms:GetKeyRotationStatus on resource: ${key!.Arn} because no identity-based policy allows the kms:GetKeyRotationStatus action`,
    );
    // B's admin, with full IAM, may: GetKeyRotationStatus works across accounts.
    assert.equal(
      (await env.b.kms.send(new GetKeyRotationStatusCommand({ KeyId: key!.Arn }))).KeyRotationEnabled,
      false,
    );
  });

  test("the grant statement's kms:GrantIsForAWSResource condition keeps B from calling ListGrants directly", async () => {
    const { b, key } = await sharedKey();
    const error = await rejection(() => b.kms.send(new ListGrantsCommand({ KeyId: key.Arn })));
    assert.equal(error.name, "AccessDeniedException");
    assert.match(error.message, /because no resource-based policy allows the kms:ListGrants action$/);
  });

  test("an explicit deny in the key policy wins over the allow", async () => {
    const env = inProcess({ config: KMS_CONFIG });
    const denyDecrypt = { Effect: "Deny", Principal: { AWS: B }, Action: "kms:Decrypt", Resource: "*" };
    const policy = JSON.stringify({
      ...JSON.parse(sharedKeyPolicy()),
      Statement: [...JSON.parse(sharedKeyPolicy()).Statement, denyDecrypt],
    });
    const { KeyMetadata: key } = await env.a.kms.send(new CreateKeyCommand({ Policy: policy }));
    const encrypted = await env.b.kms.send(new EncryptCommand({ KeyId: key!.Arn, Plaintext: Buffer.from("x") }));
    const error = await rejection(() =>
      env.b.kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob })),
    );
    assert.equal(
      error.message,
      `User: ${B_ADMIN} is not authorized to perform: kms:Decrypt on resource: ${key!.Arn} with an explicit deny in a resource-based policy`,
    );
  });

  test("management operations never work across accounts, even when the key policy allows them", async () => {
    const { b, key } = await sharedKey();
    for (const [action, send] of [
      ["kms:GetKeyPolicy", () => b.kms.send(new GetKeyPolicyCommand({ KeyId: key.Arn }))],
      ["kms:ScheduleKeyDeletion", () => b.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.Arn }))],
    ] as const) {
      const error = await rejection(send);
      assert.equal(error.name, "AccessDeniedException");
      assert.equal(
        error.message,
        `User: ${B_ADMIN} is not authorized to perform: ${action} on resource: ${key.Arn} because no resource-based policy allows the ${action} action`,
      );
    }
    assert.deepEqual((await b.kms.send(new ListKeysCommand({}))).Keys, []);
  });

  test("a key named in the policy by user ARN: that user only, and still with its IAM allow", async () => {
    const env = inProcess({ config: KMS_CONFIG });
    const keyUserOnly = {
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${B}:user/key-user` },
      Action: ["kms:Encrypt", "kms:DescribeKey"],
      Resource: "*",
    };
    const { KeyMetadata: key } = await env.a.kms.send(
      new CreateKeyCommand({ Policy: policyOf(ownerStatement(), keyUserOnly) }),
    );
    assert.ok(
      await env
        .clientsFor(USERS.bKeyUser)
        .kms.send(new EncryptCommand({ KeyId: key!.Arn, Plaintext: Buffer.from("x") })),
    );
    const admin = await rejection(() =>
      env.b.kms.send(new EncryptCommand({ KeyId: key!.Arn, Plaintext: Buffer.from("x") })),
    );
    assert.match(admin.message, /because no resource-based policy allows the kms:Encrypt action$/);
  });
});
