import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  GRANTS_SID_PREFIX,
  KEY_POLICY_MAX_BYTES,
  TARGET_ACTION_NAMES,
  USE_SID_PREFIX,
  mergeTargetStatements,
  policyDiff,
  principalOf,
  removeTargetStatements,
  samePolicy,
  targetAccess,
  targetKeyStatements,
  validateKeyPolicy,
} from "../../src/migrate/key-policy.js";
import { seedKeyPolicy } from "../../src/migrate/seed.js";

const A = "111111111111";
const B = "222222222222";
const KEY = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const authorA = { Account: A, Arn: `arn:aws:iam::${A}:user/admin`, UserId: "AIDAEXAMPLE" };
const callerB = { Account: B, Arn: `arn:aws:iam::${B}:user/admin`, UserId: "AIDAEXAMPLEB" };

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

const ownerFullAccess = {
  Sid: "Enable IAM User Permissions",
  Effect: "Allow",
  Principal: { AWS: `arn:aws:iam::${A}:root` },
  Action: "kms:*",
  Resource: "*",
};

describe("what the source key policy gives the target (R10)", () => {
  test("the seed's policy gives the target nothing", () => {
    const access = targetAccess(seedKeyPolicy(A), KEY, callerB, "us-east-1");
    assert.deepEqual(access.missing, TARGET_ACTION_NAMES);
    assert.deepEqual(access.denied, []);
  });

  test("the documented two statements give everything", () => {
    const merged = mergeTargetStatements(seedKeyPolicy(A), "aws", B);
    assert.deepEqual(targetAccess(merged, KEY, callerB, "us-east-1"), { missing: [], denied: [] });
  });

  test("a policy without kms:CreateGrant for the target (the I-AST29 trap) is missing exactly that", () => {
    const withoutGrant = policy(ownerFullAccess, {
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${B}:root` },
      Action: [
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:DescribeKey",
        "kms:ListGrants",
        "kms:RevokeGrant",
      ],
      Resource: "*",
    });
    assert.deepEqual(targetAccess(withoutGrant, KEY, callerB, "us-east-1").missing, ["kms:CreateGrant"]);
  });

  test("the target's CreateGrant through the GrantIsForAWSResource statement alone is enough", () => {
    const [use, grants] = targetKeyStatements("aws", B) as [Record<string, unknown>, Record<string, unknown>];
    const useWithoutGrant = {
      ...use,
      Action: (use.Action as string[]).filter((action) => action !== "kms:CreateGrant"),
    };
    assert.deepEqual(
      targetAccess(policy(ownerFullAccess, useWithoutGrant, grants), KEY, callerB, "us-east-1").missing,
      [],
    );
  });

  test("a specific role of the target, named in the policy, counts for a session of that role", () => {
    const session = { Account: B, Arn: `arn:aws:sts::${B}:assumed-role/migrator/s1`, UserId: "AROAEXAMPLE:s1" };
    assert.equal(principalOf(session).roleArn, `arn:aws:iam::${B}:role/migrator`);
    const roleOnly = policy(ownerFullAccess, {
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${B}:role/migrator` },
      Action: "kms:*",
      Resource: "*",
    });
    assert.deepEqual(targetAccess(roleOnly, KEY, session, "us-east-1").missing, []);
    assert.deepEqual(targetAccess(roleOnly, KEY, callerB, "us-east-1").missing, TARGET_ACTION_NAMES);
  });

  test("an explicit Deny of the target is reported as denied, which merging can't fix", () => {
    const denying = policy(ownerFullAccess, {
      Effect: "Deny",
      Principal: { AWS: B },
      Action: "kms:CreateGrant",
      Resource: "*",
    });
    const merged = mergeTargetStatements(denying, "aws", B);
    assert.deepEqual(targetAccess(merged, KEY, callerB, "us-east-1").denied, ["kms:CreateGrant"]);
  });
});

describe("merging the target's statements in, and taking them out", () => {
  test("merge keeps every existing statement and appends the two documented ones", () => {
    const original = seedKeyPolicy(A);
    const merged = JSON.parse(mergeTargetStatements(original, "aws", B)) as {
      Id: string;
      Statement: { Sid: string }[];
    };
    assert.equal(merged.Id, "orders-graph-key");
    assert.deepEqual(
      merged.Statement.map((statement) => statement.Sid),
      ["Enable IAM User Permissions", `${USE_SID_PREFIX}${B}`, `${GRANTS_SID_PREFIX}${B}`],
    );
    assert.deepEqual(merged.Statement[0], JSON.parse(original).Statement[0]);
  });

  test("merging twice does not duplicate", () => {
    const once = mergeTargetStatements(seedKeyPolicy(A), "aws", B);
    assert.equal(mergeTargetStatements(once, "aws", B), once);
  });

  test("a single statement object (not a list) is kept", () => {
    const single = JSON.stringify({ Version: "2012-10-17", Statement: ownerFullAccess });
    const merged = JSON.parse(mergeTargetStatements(single, "aws", B)) as { Statement: unknown[] };
    assert.equal(merged.Statement.length, 3);
  });

  test("remove takes out only our statements; the result equals the original", () => {
    const original = seedKeyPolicy(A);
    const merged = mergeTargetStatements(original, "aws", B);
    const removed = removeTargetStatements(merged, B)!;
    assert.ok(samePolicy(removed, original));
    assert.equal(removeTargetStatements(original, B), undefined);
    assert.equal(removeTargetStatements(merged, "333333333333"), undefined);
  });

  test("the diff shows only additions, as + lines", () => {
    const original = seedKeyPolicy(A);
    const diff = policyDiff(original, mergeTargetStatements(original, "aws", B));
    assert.ok(diff.every((line) => line.startsWith("  ") || line.startsWith("+ ")));
    assert.ok(diff.some((line) => line.includes(`"AWS": "arn:aws:iam::${B}:root"`) && line.startsWith("+ ")));
    assert.ok(diff.some((line) => line.includes('"kms:GrantIsForAWSResource": "true"')));
    const back = policyDiff(mergeTargetStatements(original, "aws", B), original);
    assert.ok(back.some((line) => line.startsWith("- ")) && !back.some((line) => line.startsWith("+ ")));
  });
});

describe("local validation before PutKeyPolicy (K1–K3)", () => {
  test("the merged seed policy passes", () => {
    assert.deepEqual(validateKeyPolicy(mergeTargetStatements(seedKeyPolicy(A), "aws", B), KEY, authorA), []);
  });

  test("K1: the docs' sample pasted alone (external statements only) would lock the author out", () => {
    const sampleOnly = JSON.stringify({ Version: "2012-10-17", Statement: targetKeyStatements("aws", B) });
    assert.deepEqual(validateKeyPolicy(sampleOnly, KEY, authorA), [
      { rule: "K1", message: "The new key policy will not allow you to update the key policy in the future." },
    ]);
  });

  test("K2: an 11-digit account and a malformed ARN are invalid principals; a statement needs a principal", () => {
    for (const principal of ["11111111111", "arn:aws::123:root"]) {
      const bad = policy(ownerFullAccess, {
        Effect: "Allow",
        Principal: { AWS: principal },
        Action: "kms:Decrypt",
        Resource: "*",
      });
      assert.deepEqual(validateKeyPolicy(bad, KEY, authorA), [
        { rule: "K2", message: "Policy contains a statement with one or more invalid principals." },
      ]);
    }
    const none = policy(ownerFullAccess, { Effect: "Allow", Action: "kms:Decrypt", Resource: "*" });
    assert.deepEqual(validateKeyPolicy(none, KEY, authorA), [
      { rule: "K2", message: "Policy contains a statement with no principal." },
    ]);
  });

  test("K3: over 32 KB is refused", () => {
    const big = policy(ownerFullAccess, {
      Sid: "x".repeat(KEY_POLICY_MAX_BYTES),
      Effect: "Allow",
      Principal: { AWS: A },
      Action: "kms:Decrypt",
      Resource: "*",
    });
    assert.equal(validateKeyPolicy(big, KEY, authorA)[0]?.rule, "K3");
  });
});
