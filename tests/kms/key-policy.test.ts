import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateKeyCommand,
  GetKeyPolicyCommand,
  ListKeyPoliciesCommand,
  PutKeyPolicyCommand,
  SignCommand,
} from "@aws-sdk/client-kms";
import { A, B, inProcess, rejection } from "../helpers/harness.js";
import { docsSamplePolicy, ownerStatement, policyOf, sharedKeyPolicy } from "../helpers/seed.js";
import { KMS_CONFIG, USERS } from "./fixtures.js";

const LOCKOUT = "The new key policy will not allow you to update the key policy in the future.";
const INVALID_PRINCIPALS = "Policy contains a statement with one or more invalid principals.";
const B_11_DIGITS = "22222222222";

describe("KMS default key policy", () => {
  test("a key created without a policy gets AWS's default policy, pretty-printed as GetKeyPolicy prints it", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    const { Policy, PolicyName } = await a.kms.send(
      new GetKeyPolicyCommand({ KeyId: key!.KeyId, PolicyName: "default" }),
    );
    assert.equal(PolicyName, "default");
    assert.equal(
      Policy,
      `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::${A}:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`,
    );
  });

  test("PolicyName defaults to default; ListKeyPolicies lists only it; another name is NotFoundException", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    assert.equal((await a.kms.send(new GetKeyPolicyCommand({ KeyId: key!.KeyId }))).PolicyName, "default");
    const listed = await a.kms.send(new ListKeyPoliciesCommand({ KeyId: key!.Arn }));
    assert.deepEqual(listed.PolicyNames, ["default"]);
    assert.equal(listed.Truncated, false);
    const other = await rejection(() =>
      a.kms.send(new GetKeyPolicyCommand({ KeyId: key!.KeyId, PolicyName: "custom" })),
    );
    assert.equal(other.name, "NotFoundException");
  });

  test("the default policy only delegates to IAM: a user whose IAM policy lacks the action is refused", async () => {
    const { a, clientsFor } = inProcess({ config: KMS_CONFIG });
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    const reader = clientsFor(USERS.aReader).kms;
    assert.ok(await reader.send(new ListKeyPoliciesCommand({ KeyId: key!.KeyId })));
    const error = await rejection(() => reader.send(new GetKeyPolicyCommand({ KeyId: key!.KeyId })));
    assert.equal(error.name, "AccessDeniedException");
    assert.equal(
      error.message,
      `User: arn:aws:iam::${A}:user/reader is not authorized to perform: kms:GetKeyPolicy on resource: ${key!.Arn} because no identity-based policy allows the kms:GetKeyPolicy action`,
    );
  });
});

describe("KMS PutKeyPolicy and CreateKey with a policy", () => {
  test("the seed's policy with a valid 12-digit account id is accepted and returned exactly as put", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    await a.kms.send(new PutKeyPolicyCommand({ KeyId: key!.KeyId, PolicyName: "default", Policy: sharedKeyPolicy() }));
    assert.equal((await a.kms.send(new GetKeyPolicyCommand({ KeyId: key!.KeyId }))).Policy, sharedKeyPolicy());
    const created = await a.kms.send(new CreateKeyCommand({ Policy: sharedKeyPolicy() }));
    assert.equal(
      (await a.kms.send(new GetKeyPolicyCommand({ KeyId: created.KeyMetadata!.KeyId }))).Policy,
      sharedKeyPolicy(),
    );
  });

  test("the seed's policy as printed (an 11-digit account id) is refused: invalid principals (K2)", async () => {
    const { a, raw } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    for (const send of [
      () => a.kms.send(new PutKeyPolicyCommand({ KeyId: key!.KeyId, Policy: sharedKeyPolicy(B_11_DIGITS) })),
      () => a.kms.send(new CreateKeyCommand({ Policy: sharedKeyPolicy(B_11_DIGITS) })),
    ]) {
      const error = await rejection(send);
      assert.equal(error.name, "MalformedPolicyDocumentException");
      assert.equal(error.$metadata?.httpStatusCode, 400);
      assert.equal(error.message, INVALID_PRINCIPALS);
    }
    const wire = await raw({
      service: "kms",
      target: "PutKeyPolicy",
      json: { KeyId: key!.KeyId, Policy: sharedKeyPolicy(B_11_DIGITS) },
    });
    assert.equal(wire.status, 400);
    assert.equal(wire.code, "MalformedPolicyDocumentException");
    assert.equal(wire.message, INVALID_PRINCIPALS);
    // The policy is unchanged.
    assert.match((await a.kms.send(new GetKeyPolicyCommand({ KeyId: key!.KeyId }))).Policy!, /"Id" : "key-default-1"/);
  });

  const principalCases: [string, unknown, string][] = [
    ["a bare 11-digit account id", B_11_DIGITS, INVALID_PRINCIPALS],
    ["an ARN without the iam service", "arn:aws::123:root", INVALID_PRINCIPALS],
    ["a user that does not exist in a known account", `arn:aws:iam::${B}:user/ghost`, INVALID_PRINCIPALS],
    ["a role that does not exist in a known account", `arn:aws:iam::${B}:role/ghost`, INVALID_PRINCIPALS],
    ["a wildcard inside an ARN", `arn:aws:iam::${B}:user/*`, INVALID_PRINCIPALS],
  ];
  for (const [what, principal, message] of principalCases) {
    test(`a principal that is ${what} is MalformedPolicyDocumentException`, async () => {
      const { a } = inProcess();
      const policy = policyOf(ownerStatement(), {
        Effect: "Allow",
        Principal: { AWS: principal },
        Action: "kms:Decrypt",
        Resource: "*",
      });
      const error = await rejection(() => a.kms.send(new CreateKeyCommand({ Policy: policy })));
      assert.equal(error.name, "MalformedPolicyDocumentException");
      assert.equal(error.message, message);
    });
  }

  test("valid principals: an existing user, a 12-digit account, a user of an account the emulator does not know, a service", async () => {
    const { a } = inProcess();
    const policy = policyOf(ownerStatement(), {
      Effect: "Allow",
      Principal: {
        AWS: [`arn:aws:iam::${B}:user/admin`, B, "arn:aws:iam::999999999999:role/anything"],
        Service: "rds.amazonaws.com",
      },
      Action: "kms:Decrypt",
      Resource: "*",
    });
    assert.ok((await a.kms.send(new CreateKeyCommand({ Policy: policy }))).KeyMetadata);
  });

  test("a statement without a principal is refused with its own message", async () => {
    const { a } = inProcess();
    const error = await rejection(() =>
      a.kms.send(
        new CreateKeyCommand({
          Policy: policyOf(ownerStatement(), { Effect: "Allow", Action: "kms:*", Resource: "*" }),
        }),
      ),
    );
    assert.equal(error.name, "MalformedPolicyDocumentException");
    assert.equal(error.message, "Policy contains a statement with no principal.");
  });

  test("a policy that is not JSON or not a policy is MalformedPolicyDocumentException", async () => {
    const { a } = inProcess();
    for (const Policy of ["{not json", JSON.stringify({ Statement: [{ ...ownerStatement(), Effect: "Maybe" }] })]) {
      const error = await rejection(() => a.kms.send(new CreateKeyCommand({ Policy })));
      assert.equal(error.name, "MalformedPolicyDocumentException");
    }
  });

  test("a policy over 32 KB is LimitExceededException (K3)", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    const padded = JSON.stringify({ Version: "2012-10-17", Id: "x".repeat(32_768), Statement: [ownerStatement()] });
    const error = await rejection(() => a.kms.send(new PutKeyPolicyCommand({ KeyId: key!.KeyId, Policy: padded })));
    assert.equal(error.name, "LimitExceededException");
    assert.equal(error.$metadata?.httpStatusCode, 400);
  });

  test("the AWS docs' sample (only B's statements) fails the lockout check on both operations (K1)", async () => {
    const { a, raw } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    for (const send of [
      () => a.kms.send(new PutKeyPolicyCommand({ KeyId: key!.KeyId, Policy: docsSamplePolicy() })),
      () => a.kms.send(new CreateKeyCommand({ Policy: docsSamplePolicy() })),
    ]) {
      const error = await rejection(send);
      assert.equal(error.name, "MalformedPolicyDocumentException");
      assert.equal(error.$metadata?.httpStatusCode, 400);
      assert.equal(error.message, LOCKOUT);
    }
    const wire = await raw({ service: "kms", target: "CreateKey", json: { Policy: docsSamplePolicy() } });
    assert.equal(wire.code, "MalformedPolicyDocumentException");
    assert.equal(wire.message, LOCKOUT);
  });

  test("the same with BypassPolicyLockoutSafetyCheck succeeds, and really locks the caller out", async () => {
    const { a } = inProcess();
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({}));
    await a.kms.send(
      new PutKeyPolicyCommand({ KeyId: key!.KeyId, Policy: docsSamplePolicy(), BypassPolicyLockoutSafetyCheck: true }),
    );
    const created = await a.kms.send(
      new CreateKeyCommand({ Policy: docsSamplePolicy(), BypassPolicyLockoutSafetyCheck: true }),
    );
    assert.equal(created.KeyMetadata!.KeyManager, "CUSTOMER");
    const locked = await rejection(() => a.kms.send(new GetKeyPolicyCommand({ KeyId: key!.KeyId })));
    assert.equal(locked.name, "AccessDeniedException");
    const put = await rejection(() =>
      a.kms.send(new PutKeyPolicyCommand({ KeyId: key!.KeyId, Policy: sharedKeyPolicy() })),
    );
    assert.equal(put.name, "AccessDeniedException");
    assert.match(put.message, /because no resource-based policy allows the kms:PutKeyPolicy action$/);
  });

  test("the lockout check counts the caller's IAM policy: delegating to the account locks out a user IAM does not allow", async () => {
    const { a, clientsFor } = inProcess({ config: KMS_CONFIG });
    const readerArn = `arn:aws:iam::${A}:user/reader`;
    const direct = { Sid: "reader", Effect: "Allow", Principal: { AWS: readerArn }, Action: "kms:*", Resource: "*" };
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({ Policy: policyOf(ownerStatement(), direct) }));
    const reader = clientsFor(USERS.aReader).kms;
    // Named directly, the reader may put policies; one that leaves only the account delegation would lock it out.
    const error = await rejection(() =>
      reader.send(new PutKeyPolicyCommand({ KeyId: key!.KeyId, Policy: policyOf(ownerStatement()) })),
    );
    assert.equal(error.name, "MalformedPolicyDocumentException");
    assert.equal(error.message, LOCKOUT);
    await reader.send(
      new PutKeyPolicyCommand({ KeyId: key!.KeyId, Policy: policyOf(ownerStatement(), { ...direct, Sid: "again" }) }),
    );
  });

  test("PutKeyPolicy on another account's key is refused even when its policy allows it", async () => {
    const { a, b } = inProcess();
    const everyone = { Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:*", Resource: "*" };
    const { KeyMetadata: key } = await a.kms.send(new CreateKeyCommand({ Policy: policyOf(everyone) }));
    const error = await rejection(() =>
      b.kms.send(new PutKeyPolicyCommand({ KeyId: key!.Arn, Policy: policyOf(everyone) })),
    );
    assert.equal(error.name, "AccessDeniedException");
    assert.equal(
      error.message,
      `User: arn:aws:iam::${B}:user/admin is not authorized to perform: kms:PutKeyPolicy on resource: ${key!.Arn} because no resource-based policy allows the kms:PutKeyPolicy action`,
    );
  });
});

describe("KMS condition keys of the key used", () => {
  test("kms:KeySpec, kms:KeyUsage and kms:KeyOrigin are the key's own, in its key policy's conditions", async () => {
    const { a } = inProcess();
    // The owner keeps every right but signing, which the policy allows only for this key's spec, usage and origin.
    const root = { AWS: `arn:aws:iam::${A}:root` };
    const policy = (spec: string) =>
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: root, NotAction: "kms:Sign", Resource: "*" },
          {
            Effect: "Allow",
            Principal: root,
            Action: "kms:Sign",
            Resource: "*",
            Condition: {
              StringEquals: { "kms:KeySpec": spec, "kms:KeyUsage": "SIGN_VERIFY", "kms:KeyOrigin": "AWS_KMS" },
            },
          },
        ],
      });
    const sign = (KeyId: string) =>
      a.kms.send(
        new SignCommand({ KeyId, Message: Buffer.from("m"), MessageType: "RAW", SigningAlgorithm: "ECDSA_SHA_256" }),
      );
    const { KeyMetadata: key } = await a.kms.send(
      new CreateKeyCommand({ KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY", Policy: policy("ECC_NIST_P256") }),
    );
    assert.equal((await sign(key!.KeyId!)).KeyId, key!.Arn);
    // The same policy for another spec does not allow it: the condition really reads the key.
    await a.kms.send(new PutKeyPolicyCommand({ KeyId: key!.KeyId, Policy: policy("ECC_NIST_P384") }));
    const denied = await rejection(() => sign(key!.KeyId!));
    assert.equal(denied.name, "AccessDeniedException");
    assert.equal(denied.$metadata?.httpStatusCode, 400);
  });
});
