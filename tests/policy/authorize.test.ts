import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Principal } from "../../src/auth/principal.js";
import { authorize, authorizeByIdentity, type AuthorizeResult } from "../../src/policy/authorize.js";
import type { ConditionContext, PolicyDocument, RequestPrincipal } from "../../src/policy/types.js";
import { KEY_USE_ACTIONS } from "../helpers/seed.js";
import { A, B, KEY_ARN, SEED_KEY_POLICY, allowPolicy, policy, request, root, session, user } from "./fixtures.js";

const C = "333333333333";
const OTHER_KEY = `arn:aws:kms:us-east-1:${A}:key/other`;
const ALLOWED: AuthorizeResult = { allowed: true };
const NO_RESOURCE: AuthorizeResult = { allowed: false, reason: "no-resource-policy-allows" };
const NO_IDENTITY: AuthorizeResult = { allowed: false, reason: "no-identity-policy-allows" };
const denyFrom = (denySource: "identity" | "resource" | "session"): AuthorizeResult => ({
  allowed: false,
  reason: "explicit-deny",
  denySource,
});

function decide(
  principal: RequestPrincipal,
  action: string,
  resourcePolicy: PolicyDocument = SEED_KEY_POLICY,
  context: ConditionContext = {},
  extraAllow?: boolean,
): AuthorizeResult {
  return authorize({
    request: request(principal, action, context),
    resourceAccountId: A,
    resourcePolicy,
    ...(extraAllow === undefined ? {} : { extraAllow }),
  });
}

describe("the seed key policy on A's key", () => {
  const B_ADMIN_USES_KEY = user(B, "admin", [allowPolicy(KEY_USE_ACTIONS, KEY_ARN)]);
  const B_ADMIN_NOTHING = user(B, "admin", []);
  const B_ADMIN_OTHER_KEY = user(B, "admin", [allowPolicy("kms:*", OTHER_KEY)]);
  const B_ADMIN_DECRYPT_ONLY = user(B, "admin", [allowPolicy("kms:Decrypt", KEY_ARN)]);
  const B_ADMIN_FULL = user(B, "admin"); // no identity policies configured: full access in its own account
  const FOR_AWS_RESOURCE = { "kms:GrantIsForAWSResource": true };

  const cases: [
    name: string,
    principal: Principal,
    action: string,
    context: ConditionContext,
    expected: AuthorizeResult,
  ][] = [
    ["B may Decrypt when B's IAM allows it", B_ADMIN_USES_KEY, "kms:Decrypt", {}, ALLOWED],
    ["B may DescribeKey when B's IAM allows it", B_ADMIN_USES_KEY, "kms:DescribeKey", {}, ALLOWED],
    ["B may ReEncryptFrom (kms:ReEncrypt*)", B_ADMIN_USES_KEY, "kms:ReEncryptFrom", {}, ALLOWED],
    ["B may ReEncryptTo (kms:ReEncrypt*)", B_ADMIN_USES_KEY, "kms:ReEncryptTo", {}, ALLOWED],
    ["B may GenerateDataKeyWithoutPlaintext", B_ADMIN_USES_KEY, "kms:GenerateDataKeyWithoutPlaintext", {}, ALLOWED],
    ["B may not Decrypt without IAM permission", B_ADMIN_NOTHING, "kms:Decrypt", {}, NO_IDENTITY],
    ["B may not DescribeKey without IAM permission", B_ADMIN_NOTHING, "kms:DescribeKey", {}, NO_IDENTITY],
    ["B's IAM must name this key", B_ADMIN_OTHER_KEY, "kms:Decrypt", {}, NO_IDENTITY],
    ["B's IAM allowing Decrypt does not cover DescribeKey", B_ADMIN_DECRYPT_ONLY, "kms:DescribeKey", {}, NO_IDENTITY],
    ["B with full IAM may Decrypt", B_ADMIN_FULL, "kms:Decrypt", {}, ALLOWED],
    ["B may CreateGrant for an AWS resource", B_ADMIN_USES_KEY, "kms:CreateGrant", FOR_AWS_RESOURCE, ALLOWED],
    ["B may not CreateGrant directly", B_ADMIN_USES_KEY, "kms:CreateGrant", {}, NO_RESOURCE],
    [
      "B may not CreateGrant with the key false",
      B_ADMIN_USES_KEY,
      "kms:CreateGrant",
      { "kms:GrantIsForAWSResource": false },
      NO_RESOURCE,
    ],
    [
      'B may CreateGrant with the string "true"',
      B_ADMIN_USES_KEY,
      "kms:CreateGrant",
      { "kms:GrantIsForAWSResource": "true" },
      ALLOWED,
    ],
    ["B's ListGrants needs B's IAM too", B_ADMIN_USES_KEY, "kms:ListGrants", FOR_AWS_RESOURCE, NO_IDENTITY],
    ["B with full IAM may RevokeGrant for an AWS resource", B_ADMIN_FULL, "kms:RevokeGrant", FOR_AWS_RESOURCE, ALLOWED],
    ["B may never PutKeyPolicy", B_ADMIN_FULL, "kms:PutKeyPolicy", {}, NO_RESOURCE],
    ["B may never ScheduleKeyDeletion", B_ADMIN_FULL, "kms:ScheduleKeyDeletion", {}, NO_RESOURCE],
    ["a third account gets nothing", user(C, "admin"), "kms:Decrypt", {}, NO_RESOURCE],
    ["A's admin keeps PutKeyPolicy", user(A, "admin"), "kms:PutKeyPolicy", {}, ALLOWED],
    ["A's root keeps PutKeyPolicy", root(A), "kms:PutKeyPolicy", {}, ALLOWED],
    ["A's role session with full IAM keeps PutKeyPolicy", session(A, "admin", "s"), "kms:PutKeyPolicy", {}, ALLOWED],
    ["A's user without IAM permission gets nothing", user(A, "intern", []), "kms:Decrypt", {}, NO_IDENTITY],
    [
      "A's user with Decrypt in IAM may Decrypt",
      user(A, "app", [allowPolicy("kms:Decrypt", KEY_ARN)]),
      "kms:Decrypt",
      {},
      ALLOWED,
    ],
    [
      "A's user with Decrypt in IAM may not PutKeyPolicy",
      user(A, "app", [allowPolicy("kms:Decrypt", KEY_ARN)]),
      "kms:PutKeyPolicy",
      {},
      NO_IDENTITY,
    ],
  ];
  for (const [name, principal, action, context, expected] of cases) {
    test(name, () => assert.deepEqual(decide(principal, action, SEED_KEY_POLICY, context), expected));
  }

  test("without A's own statement, A's admin would lose PutKeyPolicy (the lockout check's question)", () => {
    const onlyB = { ...SEED_KEY_POLICY, Statement: SEED_KEY_POLICY.Statement.slice(1) };
    assert.deepEqual(decide(user(A, "admin"), "kms:PutKeyPolicy", onlyB), NO_RESOURCE);
  });
});

describe("same account", () => {
  const direct = policy({
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${A}:user/app` },
    Action: "kms:*",
    Resource: "*",
  });
  const toRole = policy({
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${A}:role/app` },
    Action: "kms:*",
    Resource: "*",
  });
  const nothing = policy({ Effect: "Allow", Principal: { AWS: C }, Action: "kms:*", Resource: "*" });

  test("a direct allow needs no IAM permission", () => {
    assert.deepEqual(decide(user(A, "app", []), "kms:Decrypt", direct), ALLOWED);
  });

  test("a role ARN allows its sessions directly", () => {
    assert.deepEqual(decide(session(A, "app", "s", { identityPolicies: [] }), "kms:Decrypt", toRole), ALLOWED);
  });

  test("IAM alone is never enough", () => {
    assert.deepEqual(decide(user(A, "app"), "kms:Decrypt", nothing), NO_RESOURCE);
    assert.deepEqual(decide(user(A, "app", [allowPolicy("kms:*")]), "kms:Decrypt", nothing), NO_RESOURCE);
  });

  test("a grant (extraAllow) allows like a direct allow", () => {
    assert.deepEqual(decide(user(A, "app", []), "kms:Decrypt", nothing, {}, true), ALLOWED);
  });
});

describe("cross account", () => {
  const toBob = policy({
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${B}:user/bob` },
    Action: "kms:*",
    Resource: "*",
  });

  test("a direct allow still needs the caller's IAM", () => {
    assert.deepEqual(decide(user(B, "bob", []), "kms:Decrypt", toBob), NO_IDENTITY);
    assert.deepEqual(decide(user(B, "bob", [allowPolicy("kms:Decrypt", KEY_ARN)]), "kms:Decrypt", toBob), ALLOWED);
  });

  test("IAM alone is not enough", () => {
    assert.deepEqual(decide(user(B, "eve", [allowPolicy("kms:*")]), "kms:Decrypt", toBob), NO_RESOURCE);
  });

  test("a grant (extraAllow) still needs the caller's IAM", () => {
    const none = policy({ Effect: "Allow", Principal: { AWS: A }, Action: "kms:*", Resource: "*" });
    assert.deepEqual(decide(user(B, "eve", []), "kms:Decrypt", none, {}, true), NO_IDENTITY);
    assert.deepEqual(decide(user(B, "eve"), "kms:Decrypt", none, {}, true), ALLOWED);
  });

  test("an assume-role trust policy without Resource, with statementsWithoutResourceApply", () => {
    const trust = policy({ Effect: "Allow", Principal: { AWS: B }, Action: "sts:AssumeRole" });
    const assume = (principal: Principal) =>
      authorize({
        request: request(principal, "sts:AssumeRole", {}, `arn:aws:iam::${A}:role/migrator`),
        resourceAccountId: A,
        resourcePolicy: trust,
        statementsWithoutResourceApply: true,
      });
    assert.deepEqual(assume(user(B, "bob", [allowPolicy("sts:AssumeRole", `arn:aws:iam::${A}:role/*`)])), ALLOWED);
    assert.deepEqual(assume(user(B, "bob", [])), NO_IDENTITY);
    assert.deepEqual(assume(user(C, "eve")), NO_RESOURCE);
  });
});

describe("explicit denies", () => {
  const allowAll = { Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*" };
  const denyDecrypt = { Effect: "Deny", Action: "kms:Decrypt", Resource: "*" };

  test("in the resource policy", () => {
    const keyPolicy = policy(allowAll, { ...denyDecrypt, Principal: { AWS: A } });
    assert.deepEqual(decide(user(A, "admin"), "kms:Decrypt", keyPolicy), denyFrom("resource"));
    assert.deepEqual(decide(user(A, "admin"), "kms:Encrypt", keyPolicy), ALLOWED);
  });

  test("in an identity policy, even against a direct allow", () => {
    const caller = user(A, "app", [allowPolicy("kms:*"), policy(denyDecrypt)]);
    assert.deepEqual(decide(caller, "kms:Decrypt", policy(allowAll)), denyFrom("identity"));
  });

  test("in a session policy", () => {
    const caller = session(A, "app", "s", { sessionPolicy: policy(denyDecrypt) });
    assert.deepEqual(decide(caller, "kms:Decrypt", policy(allowAll)), denyFrom("session"));
  });

  test("win over a grant", () => {
    const caller = user(A, "app", [policy(denyDecrypt)]);
    assert.deepEqual(decide(caller, "kms:Decrypt", policy(allowAll), {}, true), denyFrom("identity"));
    const keyPolicy = policy({ ...denyDecrypt, Principal: "*" });
    assert.deepEqual(decide(user(A, "app"), "kms:Decrypt", keyPolicy, {}, true), denyFrom("resource"));
  });

  test("the resource policy's deny is reported first", () => {
    const caller = user(A, "app", [policy(denyDecrypt)]);
    assert.deepEqual(
      decide(caller, "kms:Decrypt", policy(allowAll, { ...denyDecrypt, Principal: "*" })),
      denyFrom("resource"),
    );
  });
});

describe("session policies", () => {
  const delegate = policy({ Effect: "Allow", Principal: { AWS: A }, Action: "kms:*", Resource: "*" });
  const narrowed = session(A, "admin", "s", { sessionPolicy: allowPolicy("kms:Decrypt", KEY_ARN) });

  test("narrow identity-based access to their intersection", () => {
    assert.deepEqual(decide(narrowed, "kms:Decrypt", delegate), ALLOWED);
    // AWS names the session policy as the one that lacks the allow [IAM-AD].
    assert.deepEqual(decide(narrowed, "kms:Encrypt", delegate), { allowed: false, reason: "no-session-policy-allows" });
  });

  test("cannot widen the role's identity policies", () => {
    const caller = session(A, "admin", "s", { identityPolicies: [], sessionPolicy: allowPolicy("kms:*") });
    assert.deepEqual(decide(caller, "kms:Decrypt", delegate), NO_IDENTITY);
  });

  test("do not limit a direct allow of the resource policy", () => {
    const toRole = policy({
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${A}:role/admin` },
      Action: "kms:*",
      Resource: "*",
    });
    assert.deepEqual(decide(narrowed, "kms:Encrypt", toRole), ALLOWED);
  });
});

describe("service principals", () => {
  const rds: RequestPrincipal = { service: "rds.amazonaws.com" };
  const toRds = policy({
    Effect: "Allow",
    Principal: { Service: "rds.amazonaws.com" },
    Action: "kms:*",
    Resource: "*",
  });

  test("are allowed by a statement naming them", () => assert.deepEqual(decide(rds, "kms:Decrypt", toRds), ALLOWED));
  test("are not allowed by an account statement", () => assert.deepEqual(decide(rds, "kms:Decrypt"), NO_RESOURCE));
  test("are allowed by a grant", () =>
    assert.deepEqual(decide(rds, "kms:Decrypt", SEED_KEY_POLICY, {}, true), ALLOWED));
});

describe("authorizeByIdentity", () => {
  const NOTHING_ALLOWS: AuthorizeResult = { allowed: false, reason: "no-identity-policy-allows" };
  const cases: [name: string, principal: Principal, expected: AuthorizeResult][] = [
    ["no identity policies configured: full access", user(A, "a"), ALLOWED],
    ["an empty list: nothing", user(A, "a", []), NOTHING_ALLOWS],
    ["an allowing policy", user(A, "a", [allowPolicy("kms:CreateKey")]), ALLOWED],
    ["a policy for another action", user(A, "a", [allowPolicy("kms:Decrypt")]), NOTHING_ALLOWS],
    [
      "an allow and a deny in separate policies: the explicit deny, in an identity policy",
      user(A, "a", [allowPolicy("kms:*"), policy({ Effect: "Deny", Action: "kms:CreateKey", Resource: "*" })]),
      { allowed: false, reason: "explicit-deny", denySource: "identity" },
    ],
    ["a session policy that allows", session(A, "r", "s", { sessionPolicy: allowPolicy("kms:Create*") }), ALLOWED],
    [
      "a session policy that does not: no session policy allows",
      session(A, "r", "s", { sessionPolicy: allowPolicy("kms:Decrypt") }),
      { allowed: false, reason: "no-session-policy-allows" },
    ],
    [
      "a session policy that denies: the explicit deny, in the session policy",
      session(A, "r", "s", { sessionPolicy: policy({ Effect: "Deny", Action: "kms:*", Resource: "*" }) }),
      { allowed: false, reason: "explicit-deny", denySource: "session" },
    ],
  ];
  for (const [name, principal, expected] of cases) {
    test(name, () => assert.deepEqual(authorizeByIdentity(principal, "kms:CreateKey", "*", {}), expected));
  }

  test("evaluates conditions against the given context", () => {
    const caller = user(A, "a", [
      policy({
        Effect: "Allow",
        Action: "kms:*",
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestedRegion": "us-east-1" } },
      }),
    ]);
    assert.equal(
      authorizeByIdentity(caller, "kms:CreateKey", "*", { "aws:RequestedRegion": "us-east-1" }).allowed,
      true,
    );
    assert.equal(
      authorizeByIdentity(caller, "kms:CreateKey", "*", { "aws:RequestedRegion": "eu-west-1" }).allowed,
      false,
    );
  });
});
