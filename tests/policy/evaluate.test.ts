import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { baseContext, evaluatePolicy } from "../../src/policy/evaluate.js";
import type { PolicyDocument, PolicyResult, RequestPrincipal } from "../../src/policy/types.js";
import { A, B, KEY_ARN, policy, request, root, session, user } from "./fixtures.js";

const ALICE = user(A, "alice");

function identityDecision(statement: Record<string, unknown>, action: string, resource = KEY_ARN): string {
  return evaluatePolicy(policy(statement), request(ALICE, action, {}, resource), "identity").decision;
}

describe("Action and NotAction", () => {
  const cases: [actions: Record<string, unknown>, action: string, expected: string][] = [
    [{ Action: "kms:Decrypt" }, "kms:Decrypt", "Allow"],
    [{ Action: "kms:Decrypt" }, "kms:decrypt", "Allow"],
    [{ Action: "KMS:DECRYPT" }, "kms:Decrypt", "Allow"],
    [{ Action: "kms:Decrypt" }, "kms:DecryptX", "NotApplicable"],
    [{ Action: "kms:ReEncrypt*" }, "kms:ReEncryptFrom", "Allow"],
    [{ Action: "kms:ReEncrypt*" }, "kms:ReEncryptTo", "Allow"],
    [{ Action: "kms:ReEncrypt*" }, "kms:Encrypt", "NotApplicable"],
    [{ Action: "kms:GenerateDataKey*" }, "kms:GenerateDataKeyPairWithoutPlaintext", "Allow"],
    [{ Action: "kms:*" }, "kms:PutKeyPolicy", "Allow"],
    [{ Action: "kms:*" }, "sts:AssumeRole", "NotApplicable"],
    [{ Action: "*" }, "sts:AssumeRole", "Allow"],
    [{ Action: "kms:Describe?ey" }, "kms:DescribeKey", "Allow"],
    [{ Action: ["kms:Encrypt", "kms:Decrypt"] }, "kms:Decrypt", "Allow"],
    [{ NotAction: "kms:ScheduleKeyDeletion" }, "kms:Decrypt", "Allow"],
    [{ NotAction: "kms:ScheduleKeyDeletion" }, "kms:ScheduleKeyDeletion", "NotApplicable"],
    [{ NotAction: ["kms:*"] }, "kms:scheduleKeyDeletion", "NotApplicable"],
    [{ NotAction: ["kms:*"] }, "sts:AssumeRole", "Allow"],
  ];
  for (const [actions, action, expected] of cases) {
    test(`${JSON.stringify(actions)} on ${action} → ${expected}`, () => {
      assert.equal(identityDecision({ Effect: "Allow", Resource: "*", ...actions }, action), expected);
    });
  }

  test("NotAction with Deny denies every other action", () => {
    const deny = { Effect: "Deny", NotAction: "kms:Describe*", Resource: "*" };
    assert.equal(identityDecision(deny, "kms:Decrypt"), "Deny");
    assert.equal(identityDecision(deny, "kms:DescribeKey"), "NotApplicable");
  });
});

describe("Resource and NotResource", () => {
  const OTHER_KEY = `arn:aws:kms:us-east-1:${B}:key/other`;
  const cases: [resources: Record<string, unknown>, resource: string, expected: string][] = [
    [{ Resource: "*" }, KEY_ARN, "Allow"],
    [{ Resource: KEY_ARN }, KEY_ARN, "Allow"],
    [{ Resource: KEY_ARN }, OTHER_KEY, "NotApplicable"],
    [{ Resource: KEY_ARN.toUpperCase() }, KEY_ARN, "NotApplicable"],
    [{ Resource: `arn:aws:kms:*:${A}:key/*` }, KEY_ARN, "Allow"],
    [{ Resource: `arn:aws:kms:*:${A}:key/*` }, OTHER_KEY, "NotApplicable"],
    [{ Resource: "arn:aws:kms:us-east-1:?????????????:key/*" }, KEY_ARN, "NotApplicable"],
    [{ Resource: [OTHER_KEY, KEY_ARN] }, KEY_ARN, "Allow"],
    [{ NotResource: OTHER_KEY }, KEY_ARN, "Allow"],
    [{ NotResource: OTHER_KEY }, OTHER_KEY, "NotApplicable"],
    [{ NotResource: `arn:aws:kms:*:${B}:*` }, OTHER_KEY, "NotApplicable"],
    [{}, KEY_ARN, "NotApplicable"],
  ];
  for (const [resources, resource, expected] of cases) {
    test(`${JSON.stringify(resources)} on ${resource} → ${expected}`, () => {
      assert.equal(
        identityDecision({ Effect: "Allow", Action: "kms:*", ...resources }, "kms:Decrypt", resource),
        expected,
      );
    });
  }

  test("policy variables are substituted in Resource", () => {
    const statement = { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::home/${aws:username}/*" };
    assert.equal(identityDecision(statement, "s3:GetObject", "arn:aws:s3:::home/alice/a.txt"), "Allow");
    assert.equal(identityDecision(statement, "s3:GetObject", "arn:aws:s3:::home/bob/a.txt"), "NotApplicable");
  });

  test("one parsed policy, compiled once, decides each request by its own caller and resource", () => {
    const home = policy(
      { Effect: "Allow", Action: "s3:Get*", Resource: ["arn:aws:s3:::home/${aws:username}/*", "arn:aws:s3:::pub/*"] },
      { Effect: "Deny", NotAction: "s3:*", NotResource: "arn:aws:s3:::pub/*" },
    );
    const decide = (who: string, action: string, resource: string) =>
      evaluatePolicy(home, request(user(A, who), action, {}, resource), "identity").decision;
    for (let round = 0; round < 2; round++) {
      assert.equal(decide("alice", "s3:GetObject", "arn:aws:s3:::home/alice/a"), "Allow");
      assert.equal(decide("bob", "s3:GetObject", "arn:aws:s3:::home/alice/a"), "NotApplicable");
      assert.equal(decide("bob", "s3:GetObject", "arn:aws:s3:::home/bob/a"), "Allow");
      assert.equal(decide("bob", "S3:GETOBJECT", "arn:aws:s3:::pub/x"), "Allow");
      assert.equal(decide("bob", "kms:Decrypt", "arn:aws:s3:::home/bob/a"), "Deny");
      assert.equal(decide("bob", "kms:Decrypt", "arn:aws:s3:::pub/x"), "NotApplicable");
    }
  });

  test("a statement whose lists are replaced is compiled anew", () => {
    const document = policy({ Effect: "Allow", Action: "kms:Decrypt", Resource: "*" });
    assert.equal(evaluatePolicy(document, request(ALICE, "kms:Encrypt", {}), "identity").decision, "NotApplicable");
    document.Statement[0]!.Action = ["kms:Encrypt"];
    assert.equal(evaluatePolicy(document, request(ALICE, "kms:Encrypt", {}), "identity").decision, "Allow");
    document.Statement[0]!.Resource = ["arn:aws:kms:us-east-1:999999999999:key/other"];
    assert.equal(evaluatePolicy(document, request(ALICE, "kms:Encrypt", {}), "identity").decision, "NotApplicable");
  });

  test("statementsWithoutResourceApply makes a trust-policy statement apply to its role", () => {
    const trust = policy({ Effect: "Allow", Principal: { AWS: B }, Action: "sts:AssumeRole" });
    const assume = request(user(B, "bob"), "sts:AssumeRole", {}, `arn:aws:iam::${A}:role/migrator`);
    assert.deepEqual(evaluatePolicy(trust, assume, "resource"), { decision: "NotApplicable" });
    assert.deepEqual(evaluatePolicy(trust, assume, "resource", { statementsWithoutResourceApply: true }), {
      decision: "Allow",
      allowedVia: "account",
    });
  });
});

describe("Principal in a resource policy", () => {
  const bob = user(B, "bob");
  const deployer = session(B, "deployer", "ci");
  const rds: RequestPrincipal = { service: "rds.amazonaws.com" };
  const cases: [name: string, principal: unknown, caller: RequestPrincipal, expected: PolicyResult][] = [
    ['"*" matches a user', "*", bob, { decision: "Allow", allowedVia: "principal" }],
    ['"*" matches a service', "*", rds, { decision: "Allow", allowedVia: "principal" }],
    ['{"AWS":"*"} matches a session', { AWS: "*" }, deployer, { decision: "Allow", allowedVia: "principal" }],
    ["account id matches a user of it", { AWS: B }, bob, { decision: "Allow", allowedVia: "account" }],
    [
      "account root matches a session of it",
      { AWS: `arn:aws:iam::${B}:root` },
      deployer,
      { decision: "Allow", allowedVia: "account" },
    ],
    [
      "account root matches the root user",
      { AWS: `arn:aws:iam::${B}:root` },
      root(B),
      { decision: "Allow", allowedVia: "account" },
    ],
    ["account root of A does not match B", { AWS: `arn:aws:iam::${A}:root` }, bob, { decision: "NotApplicable" }],
    [
      "user ARN matches the user",
      { AWS: `arn:aws:iam::${B}:user/bob` },
      bob,
      { decision: "Allow", allowedVia: "principal" },
    ],
    [
      "user ARN does not match another user",
      { AWS: `arn:aws:iam::${B}:user/bob` },
      user(B, "eve"),
      { decision: "NotApplicable" },
    ],
    [
      "user ARN does not match the root user",
      { AWS: `arn:aws:iam::${B}:user/bob` },
      root(B),
      { decision: "NotApplicable" },
    ],
    [
      "role ARN matches its sessions",
      { AWS: `arn:aws:iam::${B}:role/deployer` },
      deployer,
      { decision: "Allow", allowedVia: "principal" },
    ],
    [
      "role ARN does not match another role's session",
      { AWS: `arn:aws:iam::${B}:role/deployer` },
      session(B, "other", "ci"),
      { decision: "NotApplicable" },
    ],
    [
      "session ARN matches that session",
      { AWS: `arn:aws:sts::${B}:assumed-role/deployer/ci` },
      deployer,
      { decision: "Allow", allowedVia: "principal" },
    ],
    [
      "session ARN does not match another session",
      { AWS: `arn:aws:sts::${B}:assumed-role/deployer/ci` },
      session(B, "deployer", "other"),
      { decision: "NotApplicable" },
    ],
    [
      "Service matches the service",
      { Service: "rds.amazonaws.com" },
      rds,
      { decision: "Allow", allowedVia: "principal" },
    ],
    ["Service does not match a user", { Service: "rds.amazonaws.com" }, bob, { decision: "NotApplicable" }],
    ["an account does not match a service", { AWS: B }, rds, { decision: "NotApplicable" }],
    [
      "direct beats account in one statement",
      { AWS: [B, `arn:aws:iam::${B}:user/bob`] },
      bob,
      { decision: "Allow", allowedVia: "principal" },
    ],
  ];
  for (const [name, principal, caller, expected] of cases) {
    test(name, () => {
      const document = policy({ Effect: "Allow", Principal: principal, Action: "kms:Decrypt", Resource: "*" });
      assert.deepEqual(evaluatePolicy(document, request(caller, "kms:Decrypt"), "resource"), expected);
    });
  }

  test("a direct Allow is preferred over an account Allow in another statement, in either order", () => {
    const direct = {
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${B}:user/bob` },
      Action: "kms:*",
      Resource: "*",
    };
    const account = { Effect: "Allow", Principal: { AWS: B }, Action: "kms:*", Resource: "*" };
    const expected = { decision: "Allow", allowedVia: "principal" };
    assert.deepEqual(evaluatePolicy(policy(account, direct), request(bob, "kms:Decrypt"), "resource"), expected);
    assert.deepEqual(evaluatePolicy(policy(direct, account), request(bob, "kms:Decrypt"), "resource"), expected);
  });

  test("a resource-policy statement without a principal applies to no one", () => {
    const document = policy({ Effect: "Allow", Action: "kms:*", Resource: "*" });
    assert.deepEqual(evaluatePolicy(document, request(bob, "kms:Decrypt"), "resource"), { decision: "NotApplicable" });
  });

  test("an identity policy ignores Principal", () => {
    const document = policy({ Effect: "Allow", Principal: { AWS: A }, Action: "kms:*", Resource: "*" });
    assert.deepEqual(evaluatePolicy(document, request(bob, "kms:Decrypt"), "identity"), { decision: "Allow" });
  });
});

describe("NotPrincipal", () => {
  const bob = user(B, "bob");
  const deployer = session(B, "deployer", "ci");
  const denyAllBut = (names: string[]) =>
    policy(
      { Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*" },
      { Effect: "Deny", NotPrincipal: { AWS: names }, Action: "kms:*", Resource: "*" },
    );
  const decide = (names: string[], caller: RequestPrincipal) =>
    evaluatePolicy(denyAllBut(names), request(caller, "kms:Decrypt"), "resource").decision;

  test("Deny with NotPrincipal denies everyone not listed", () => {
    assert.equal(decide([`arn:aws:iam::${B}:user/bob`, `arn:aws:iam::${B}:root`], user(B, "eve")), "Deny");
    assert.equal(decide([`arn:aws:iam::${B}:root`], user(A, "alice")), "Deny");
  });

  test("a user is excluded only when the user and its account are both listed", () => {
    assert.equal(decide([`arn:aws:iam::${B}:user/bob`, `arn:aws:iam::${B}:root`], bob), "Allow");
    assert.equal(decide([`arn:aws:iam::${B}:user/bob`], bob), "Deny");
    assert.equal(decide([B], bob), "Deny");
  });

  test("a session is excluded only when the session, its role and its account are all listed", () => {
    const all = [`arn:aws:sts::${B}:assumed-role/deployer/ci`, `arn:aws:iam::${B}:role/deployer`, B];
    assert.equal(decide(all, deployer), "Allow");
    assert.equal(decide(all.slice(0, 2), deployer), "Deny");
    assert.equal(decide(all.slice(1), deployer), "Deny");
  });

  test("the root user is excluded by its account", () => {
    assert.equal(decide([B], root(B)), "Allow");
  });

  test("Allow with NotPrincipal allows everyone else directly", () => {
    const document = policy({ Effect: "Allow", NotPrincipal: { AWS: B }, Action: "kms:*", Resource: "*" });
    assert.deepEqual(evaluatePolicy(document, request(user(A, "alice"), "kms:Decrypt"), "resource"), {
      decision: "Allow",
      allowedVia: "principal",
    });
    assert.deepEqual(evaluatePolicy(document, request(root(B), "kms:Decrypt"), "resource"), {
      decision: "NotApplicable",
    });
  });

  test("NotPrincipal Service excludes that service only", () => {
    const document = policy({
      Effect: "Deny",
      NotPrincipal: { Service: "rds.amazonaws.com" },
      Action: "*",
      Resource: "*",
    });
    assert.equal(
      evaluatePolicy(document, request({ service: "rds.amazonaws.com" }, "kms:Decrypt"), "resource").decision,
      "NotApplicable",
    );
    assert.equal(
      evaluatePolicy(document, request({ service: "s3.amazonaws.com" }, "kms:Decrypt"), "resource").decision,
      "Deny",
    );
  });
});

describe("explicit Deny", () => {
  test("wins over an Allow in the same policy, whatever the order", () => {
    const allow = { Effect: "Allow", Action: "kms:*", Resource: "*" };
    const deny = { Effect: "Deny", Action: "kms:Decrypt", Resource: "*" };
    for (const document of [policy(allow, deny), policy(deny, allow)]) {
      assert.deepEqual(evaluatePolicy(document, request(ALICE, "kms:Decrypt"), "identity"), { decision: "Deny" });
      assert.deepEqual(evaluatePolicy(document, request(ALICE, "kms:Encrypt"), "identity"), { decision: "Allow" });
    }
  });

  test("applies only when its conditions hold", () => {
    const document = policy(
      { Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*" },
      {
        Effect: "Deny",
        Principal: "*",
        Action: "kms:*",
        Resource: "*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    );
    const insecure = request(ALICE, "kms:Decrypt", { "aws:SecureTransport": false });
    const secure = request(ALICE, "kms:Decrypt", { "aws:SecureTransport": true });
    assert.deepEqual(evaluatePolicy(document, insecure, "resource"), { decision: "Deny" });
    assert.deepEqual(evaluatePolicy(document, secure, "resource"), { decision: "Allow", allowedVia: "principal" });
  });
});

describe("baseContext", () => {
  test("a user", () => {
    assert.deepEqual(baseContext(user(B, "bob")), {
      "aws:PrincipalArn": `arn:aws:iam::${B}:user/bob`,
      "aws:PrincipalAccount": B,
      "aws:PrincipalType": "User",
      "aws:userid": "AIDABOB",
      "aws:username": "bob",
    });
  });

  test("a user with a path gets its bare name", () => {
    const pathed = { ...user(B, "bob"), arn: `arn:aws:iam::${B}:user/team/bob` };
    assert.equal(baseContext(pathed)["aws:username"], "bob");
  });

  test("a role session names the ROLE as aws:PrincipalArn, and has no username", () => {
    assert.deepEqual(baseContext(session(B, "deployer", "ci")), {
      "aws:PrincipalArn": `arn:aws:iam::${B}:role/deployer`,
      "aws:PrincipalAccount": B,
      "aws:PrincipalType": "AssumedRole",
      "aws:userid": "AROADEPLOYER:ci",
    });
  });

  test("the root user", () => {
    assert.deepEqual(baseContext(root(A)), {
      "aws:PrincipalArn": `arn:aws:iam::${A}:root`,
      "aws:PrincipalAccount": A,
      "aws:PrincipalType": "Account",
      "aws:userid": A,
    });
  });

  test("a service", () => {
    assert.deepEqual(baseContext({ service: "rds.amazonaws.com" }), {
      "aws:PrincipalServiceName": "rds.amazonaws.com",
    });
  });
});

test("an unknown condition operator in a hand-built document is refused, not guessed at", () => {
  const document: PolicyDocument = {
    Statement: [
      { Effect: "Deny", Action: ["*"], Resource: ["*"], Condition: { StringEqualz: { "aws:username": ["alice"] } } },
    ],
  };
  assert.throws(() => evaluatePolicy(document, request(ALICE, "kms:Decrypt"), "identity"), {
    name: "PolicyGrammarError",
    message: "Policy contains an unsupported condition operator: StringEqualz.",
  });
});
