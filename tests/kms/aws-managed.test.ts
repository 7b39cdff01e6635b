import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  ListKeysCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
} from "@aws-sdk/client-kms";
import { A, B, REGION, inProcess, rejection } from "../helpers/harness.js";
import { ownerStatement, policyOf } from "../helpers/seed.js";

/** AWS's real aws/rds policy [aws-behaviour §6.3], as GetKeyPolicy prints it. */
function awsRdsPolicy(account: string): string {
  return `{
  "Version" : "2012-10-17",
  "Id" : "auto-rds-2",
  "Statement" : [ {
    "Sid" : "Allow access through RDS for all principals in the account that are authorized to use RDS",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:ListGrants", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "${account}",
        "kms:ViaService" : "rds.${REGION}.amazonaws.com"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::${account}:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant" ],
    "Resource" : "*"
  } ]
}`;
}

describe("KMS AWS-managed key alias/aws/rds", () => {
  test("appears on first use (DescribeKey by the alias), with KeyManager AWS, once per account and region", async () => {
    const { a } = inProcess();
    assert.deepEqual((await a.kms.send(new ListKeysCommand({}))).Keys, []);
    const { KeyMetadata: key } = await a.kms.send(new DescribeKeyCommand({ KeyId: "alias/aws/rds" }));
    assert.equal(key!.KeyManager, "AWS");
    assert.equal(key!.AWSAccountId, A);
    assert.equal(key!.KeyState, "Enabled");
    assert.equal(key!.Description, "Default key that protects my RDS database volumes when no other key is defined");
    const again = await a.kms.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:${REGION}:${A}:alias/aws/rds` }));
    assert.equal(again.KeyMetadata!.Arn, key!.Arn);
    assert.deepEqual(
      (await a.kms.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyArn),
      [key!.Arn],
    );
    const aliases = (await a.kms.send(new ListAliasesCommand({}))).Aliases!;
    assert.deepEqual(
      aliases.filter((x) => x.TargetKeyId !== undefined).map((x) => [x.AliasName, x.TargetKeyId]),
      [["alias/aws/rds", key!.KeyId]],
    );
    const status = await a.kms.send(new GetKeyRotationStatusCommand({ KeyId: key!.KeyId }));
    assert.equal(status.KeyRotationEnabled, true);
    assert.equal(status.RotationPeriodInDays, 365);
  });

  test("carries AWS's real aws/rds policy", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new DescribeKeyCommand({ KeyId: "alias/aws/rds" }));
    const { Policy, PolicyName } = await a.kms.send(new GetKeyPolicyCommand({ KeyId: key!.KeyId }));
    assert.equal(PolicyName, "default");
    assert.equal(Policy, awsRdsPolicy(A));
  });

  test("its policy can't be changed, and it can't be disabled or scheduled for deletion (K4)", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new DescribeKeyCommand({ KeyId: "alias/aws/rds" }));
    const put = await rejection(() =>
      a.kms.send(new PutKeyPolicyCommand({ KeyId: key!.KeyId, Policy: policyOf(ownerStatement()) })),
    );
    assert.equal(put.name, "AccessDeniedException");
    assert.equal(put.$metadata?.httpStatusCode, 400);
    assert.equal(
      put.message,
      `User: arn:aws:iam::${A}:user/admin is not authorized to perform: kms:PutKeyPolicy on resource: ${key!.Arn} because no resource-based policy allows the kms:PutKeyPolicy action`,
    );
    const bypass = await rejection(() =>
      a.kms.send(
        new PutKeyPolicyCommand({
          KeyId: key!.KeyId,
          Policy: policyOf(ownerStatement()),
          BypassPolicyLockoutSafetyCheck: true,
        }),
      ),
    );
    assert.equal(bypass.name, "AccessDeniedException");
    for (const command of [
      new DisableKeyCommand({ KeyId: key!.KeyId }),
      new ScheduleKeyDeletionCommand({ KeyId: key!.KeyId }),
    ]) {
      const error = await rejection(() => a.kms.send(command as DisableKeyCommand));
      assert.equal(error.name, "AccessDeniedException");
    }
    const alias = await rejection(() =>
      a.kms.send(new CreateAliasCommand({ AliasName: "alias/mine", TargetKeyId: key!.KeyId })),
    );
    assert.equal(alias.name, "AccessDeniedException");
    const deleteReserved = await rejection(() => a.kms.send(new DeleteAliasCommand({ AliasName: "alias/aws/rds" })));
    assert.equal(deleteReserved.name, "NotAuthorizedException");
    assert.equal((await a.kms.send(new DescribeKeyCommand({ KeyId: key!.KeyId }))).KeyMetadata!.KeyState, "Enabled");
  });

  test("its own account can't use it directly, only through RDS", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new DescribeKeyCommand({ KeyId: "alias/aws/rds" }));
    const error = await rejection(() =>
      a.kms.send(new EncryptCommand({ KeyId: "alias/aws/rds", Plaintext: Buffer.from("x") })),
    );
    assert.equal(error.name, "AccessDeniedException");
    assert.equal(
      error.message,
      `User: arn:aws:iam::${A}:user/admin is not authorized to perform: kms:Encrypt on resource: ${key!.Arn} because no resource-based policy allows the kms:Encrypt action`,
    );
  });

  test("another account can't use it, even by ARN, and can't conjure it by alias ARN", async () => {
    const { a, b } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new DescribeKeyCommand({ KeyId: "alias/aws/rds" }));
    const describe = await rejection(() => b.kms.send(new DescribeKeyCommand({ KeyId: key!.Arn })));
    assert.equal(describe.name, "AccessDeniedException");
    assert.equal(
      describe.message,
      `User: arn:aws:iam::${B}:user/admin is not authorized to perform: kms:DescribeKey on resource: ${key!.Arn} because no resource-based policy allows the kms:DescribeKey action`,
    );
    const encrypt = await rejection(() =>
      b.kms.send(new EncryptCommand({ KeyId: key!.Arn, Plaintext: Buffer.from("x") })),
    );
    assert.equal(encrypt.name, "AccessDeniedException");
    // B's own alias/aws/rds is B's own key, not A's.
    const own = await b.kms.send(new DescribeKeyCommand({ KeyId: "alias/aws/rds" }));
    assert.notEqual(own.KeyMetadata!.Arn, key!.Arn);
    assert.equal(own.KeyMetadata!.AWSAccountId, B);
  });

  test("another account's alias/aws/rds that was never used is not created by naming its ARN", async () => {
    const { b } = inProcess();
    const error = await rejection(() =>
      b.kms.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:${REGION}:${A}:alias/aws/rds` })),
    );
    assert.equal(error.name, "NotFoundException");
    assert.equal(error.message, `Alias arn:aws:kms:${REGION}:${A}:alias/aws/rds is not found.`);
  });
});
