import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { PolicyGrammarError } from "../../src/policy/parse.js";
import { validateIdentityPolicy, validateResourcePolicyPrincipals } from "../../src/policy/principals.js";
import { policy } from "./fixtures.js";

const NO_PRINCIPAL = "Policy contains a statement with no principal.";
const INVALID = "Policy contains a statement with one or more invalid principals.";
const EXISTING = new Set(["arn:aws:iam::222222222222:user/alice", "arn:aws:iam::222222222222:role/ops/deployer"]);
const exists = (arn: string) => EXISTING.has(arn);

function withPrincipal(principal: unknown, element = "Principal") {
  return policy({ Effect: "Allow", [element]: principal, Action: "kms:*", Resource: "*" });
}

function grammarMessage(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    assert.ok(error instanceof PolicyGrammarError, `not a PolicyGrammarError: ${String(error)}`);
    return error.message;
  }
}

describe("validateResourcePolicyPrincipals accepts", () => {
  const valid: [string, unknown][] = [
    ["*", "*"],
    ['{"AWS": "*"}', { AWS: "*" }],
    ["a 12-digit account id", { AWS: "222222222222" }],
    ["an account root ARN", { AWS: "arn:aws:iam::222222222222:root" }],
    ["an existing user", { AWS: "arn:aws:iam::222222222222:user/alice" }],
    ["an existing role with a path", { AWS: "arn:aws:iam::222222222222:role/ops/deployer" }],
    ["a role session (never looked up)", { AWS: "arn:aws:sts::222222222222:assumed-role/deployer/ci-run" }],
    ["a service principal", { Service: "rds.amazonaws.com" }],
    ["a regional service principal", { Service: ["logs.eu-west-1.amazonaws.com", "rds.amazonaws.com"] }],
    ["an OIDC provider", { Federated: "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com" }],
    ["a web identity provider", { Federated: "cognito-identity.amazonaws.com" }],
    ["a list of mixed forms", { AWS: ["111111111111", "arn:aws:iam::222222222222:user/alice"] }],
  ];
  for (const [name, principal] of valid) {
    test(name, () => {
      assert.equal(
        grammarMessage(() => validateResourcePolicyPrincipals(withPrincipal(principal), exists)),
        undefined,
      );
    });
  }

  test("NotPrincipal counts as a principal", () => {
    const document = withPrincipal({ AWS: "arn:aws:iam::222222222222:root" }, "NotPrincipal");
    assert.equal(
      grammarMessage(() => validateResourcePolicyPrincipals(document, exists)),
      undefined,
    );
  });
});

describe("validateResourcePolicyPrincipals refuses", () => {
  const invalid: [string, unknown][] = [
    ["an 11-digit account id (the seed's case)", { AWS: "22222222222" }],
    ["a 13-digit account id", { AWS: "2222222222222" }],
    ["arn:aws::123:root (no iam, short account)", { AWS: "arn:aws::123:root" }],
    ["a root ARN with an 11-digit account", { AWS: "arn:aws:iam::22222222222:root" }],
    ["a nonexistent user", { AWS: "arn:aws:iam::222222222222:user/mallory" }],
    ["a nonexistent role", { AWS: "arn:aws:iam::222222222222:role/nope" }],
    ["a wildcard in a user ARN", { AWS: "arn:aws:iam::222222222222:user/*" }],
    ["a group (never a principal)", { AWS: "arn:aws:iam::222222222222:group/admins" }],
    ["a session ARN without a session name", { AWS: "arn:aws:sts::222222222222:assumed-role/deployer" }],
    ["an invalid entry among valid ones", { AWS: ["arn:aws:iam::222222222222:root", "bob"] }],
    ["a service that is not amazonaws.com", { Service: "rds.example.com" }],
    ["a service given as a bare name", { Service: "rds" }],
    ["an invalid NotPrincipal", { AWS: "12345" }],
  ];
  for (const [name, principal] of invalid) {
    test(name, () => {
      const element = name.includes("NotPrincipal") ? "NotPrincipal" : "Principal";
      assert.equal(
        grammarMessage(() => validateResourcePolicyPrincipals(withPrincipal(principal, element), exists)),
        INVALID,
      );
    });
  }

  test("a statement with no principal", () => {
    const document = policy(
      { Effect: "Allow", Principal: { AWS: "222222222222" }, Action: "kms:*", Resource: "*" },
      { Effect: "Allow", Action: "kms:*", Resource: "*" },
    );
    assert.equal(
      grammarMessage(() => validateResourcePolicyPrincipals(document, exists)),
      NO_PRINCIPAL,
    );
  });

  test("the first bad statement decides which message", () => {
    const document = policy(
      { Effect: "Allow", Principal: { AWS: "22222222222" }, Action: "kms:*", Resource: "*" },
      { Effect: "Allow", Action: "kms:*", Resource: "*" },
    );
    assert.equal(
      grammarMessage(() => validateResourcePolicyPrincipals(document, exists)),
      INVALID,
    );
  });
});

test("principalExists is asked about user and role ARNs only", () => {
  const asked: string[] = [];
  const document = withPrincipal({
    AWS: [
      "*",
      "222222222222",
      "arn:aws:iam::333333333333:root",
      "arn:aws:sts::222222222222:assumed-role/r/s",
      "arn:aws:iam::222222222222:user/alice",
      "arn:aws:iam::222222222222:role/ops/deployer",
    ],
  });
  validateResourcePolicyPrincipals(document, (arn) => {
    asked.push(arn);
    return true;
  });
  assert.deepEqual(asked, ["arn:aws:iam::222222222222:user/alice", "arn:aws:iam::222222222222:role/ops/deployer"]);
});

describe("validateIdentityPolicy", () => {
  test("refuses a Principal", () => {
    assert.equal(
      grammarMessage(() => validateIdentityPolicy(withPrincipal("*"))),
      "Policy document should not specify a principal.",
    );
  });
  test("refuses a NotPrincipal", () => {
    assert.equal(
      grammarMessage(() => validateIdentityPolicy(withPrincipal({ AWS: "222222222222" }, "NotPrincipal"))),
      "Policy document should not specify a principal.",
    );
  });
  test("accepts a policy without principals", () => {
    assert.equal(
      grammarMessage(() => validateIdentityPolicy(policy({ Effect: "Allow", Action: "*", Resource: "*" }))),
      undefined,
    );
  });
});
