import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { evaluatePolicy } from "../../src/policy/evaluate.js";
import { BASE_CONDITION_OPERATORS, parseConditionOperator, parsePolicyValue } from "../../src/policy/parse.js";
import type { ConditionContext } from "../../src/policy/types.js";
import { A, request, user } from "./fixtures.js";

const ALICE = user(A, "alice");

/** Whether an identity policy allowing everything under `condition` allows a request with `context`. */
function holds(condition: Record<string, unknown>, context: ConditionContext, version = "2012-10-17"): boolean {
  const document = parsePolicyValue({
    Version: version,
    Statement: [{ Effect: "Allow", Action: "*", Resource: "*", Condition: condition }],
  });
  const { decision } = evaluatePolicy(document, request(ALICE, "kms:Decrypt", context), "identity");
  assert.notEqual(decision, "Deny");
  return decision === "Allow";
}

type Case = [operator: string, policyValues: unknown, context: ConditionContext, expected: boolean, note?: string];
const KEY = "test:key";
const MISSING: ConditionContext = {};

const CASES: Case[] = [
  ["StringEquals", "a", { [KEY]: "a" }, true],
  ["StringEquals", "a", { [KEY]: "A" }, false, "case-sensitive"],
  ["StringEquals", ["b", "a"], { [KEY]: "a" }, true, "values are ORed"],
  ["StringEquals", "a", MISSING, false, "missing key"],
  ["StringEquals", "b", { [KEY]: ["a", "b"] }, true, "multi-valued key without a set operator: any value"],
  ["StringNotEquals", "a", { [KEY]: "b" }, true],
  ["StringNotEquals", "a", { [KEY]: "a" }, false],
  ["StringNotEquals", ["a", "b"], { [KEY]: "b" }, false, "negated values behave as AND"],
  ["StringNotEquals", "a", MISSING, true, "missing key: negated operators hold"],
  ["StringNotEquals", "b", { [KEY]: ["a", "b"] }, false, "multi-valued key: must match none"],
  ["StringEqualsIgnoreCase", "ABC", { [KEY]: "abc" }, true],
  ["StringEqualsIgnoreCase", "ABC", { [KEY]: "abd" }, false],
  ["StringEqualsIgnoreCase", "ABC", MISSING, false, "missing key"],
  ["StringNotEqualsIgnoreCase", "ABC", { [KEY]: "abc" }, false],
  ["StringNotEqualsIgnoreCase", "ABC", { [KEY]: "xyz" }, true],
  ["StringNotEqualsIgnoreCase", "ABC", MISSING, true, "missing key"],
  ["StringLike", "arn:*:key/?bc", { [KEY]: "arn:aws:kms:x:key/abc" }, true],
  ["StringLike", "arn:*:key/?bc", { [KEY]: "arn:aws:kms:x:key/aabc" }, false, "? is one character"],
  ["StringLike", "home/*", { [KEY]: "HOME/x" }, false, "case-sensitive"],
  ["StringLike", "a*", MISSING, false, "missing key"],
  ["StringNotLike", "home/*", { [KEY]: "tmp/x" }, true],
  ["StringNotLike", "home/*", { [KEY]: "home/x" }, false],
  ["StringNotLike", "home/*", MISSING, true, "missing key"],
  ["NumericEquals", "10", { [KEY]: 10 }, true],
  ["NumericEquals", "10", { [KEY]: "10.0" }, true, "compared as numbers"],
  ["NumericEquals", "10", { [KEY]: "ten" }, false, "not a number"],
  ["NumericEquals", "10", MISSING, false, "missing key"],
  ["NumericNotEquals", "10", { [KEY]: 11 }, true],
  ["NumericNotEquals", "10", { [KEY]: 10 }, false],
  ["NumericNotEquals", "10", MISSING, true, "missing key"],
  ["NumericLessThan", "10", { [KEY]: 5 }, true],
  ["NumericLessThan", "10", { [KEY]: 10 }, false],
  ["NumericLessThanEquals", "10", { [KEY]: 10 }, true],
  ["NumericLessThanEquals", "10", { [KEY]: 11 }, false],
  ["NumericGreaterThan", "10", { [KEY]: 11 }, true],
  ["NumericGreaterThan", "10", { [KEY]: 10 }, false],
  ["NumericGreaterThanEquals", "10", { [KEY]: 10 }, true],
  ["NumericGreaterThanEquals", "10", { [KEY]: 9 }, false],
  ["DateEquals", "2026-01-01T00:00:00Z", { [KEY]: "1767225600" }, true, "epoch seconds"],
  ["DateEquals", "2026-01-01T00:00:00Z", { [KEY]: "2026-01-01T00:00:01Z" }, false],
  ["DateNotEquals", "2026-01-01T00:00:00Z", { [KEY]: "2026-01-02T00:00:00Z" }, true],
  ["DateNotEquals", "2026-01-01T00:00:00Z", { [KEY]: "2026-01-01T00:00:00.000Z" }, false],
  ["DateLessThan", "2026-06-01T00:00:00Z", { [KEY]: "2026-01-01T00:00:00Z" }, true],
  ["DateLessThan", "2026-06-01T00:00:00Z", { [KEY]: "2026-06-01T00:00:00Z" }, false],
  ["DateLessThanEquals", "2026-06-01T00:00:00Z", { [KEY]: "2026-06-01T00:00:00Z" }, true],
  ["DateLessThanEquals", "2026-06-01T00:00:00Z", { [KEY]: "2026-06-02T00:00:00Z" }, false],
  ["DateGreaterThan", "2026-06-01T00:00:00Z", { [KEY]: "2026-07-01T00:00:00Z" }, true],
  ["DateGreaterThan", "2026-06-01T00:00:00Z", { [KEY]: "2026-01-01T00:00:00Z" }, false],
  ["DateGreaterThanEquals", "2026-06-01T00:00:00Z", { [KEY]: "2026-06-01T00:00:00Z" }, true],
  ["DateGreaterThanEquals", "2026-06-01T00:00:00Z", { [KEY]: "2026-05-31T23:59:59Z" }, false],
  ["Bool", "true", { [KEY]: true }, true],
  ["Bool", "true", { [KEY]: "True" }, true, '"True" string'],
  ["Bool", true, { [KEY]: "true" }, true, "JSON true in the policy"],
  ["Bool", "true", { [KEY]: false }, false],
  ["Bool", "false", { [KEY]: false }, true],
  ["Bool", "true", MISSING, false, "missing key"],
  ["BinaryEquals", "QmluYXJ5VmFsdWU=", { [KEY]: "QmluYXJ5VmFsdWU=" }, true],
  ["BinaryEquals", "QmluYXJ5VmFsdWU=", { [KEY]: "QmluYXJ5VmFsdWf=" }, false],
  ["IpAddress", "203.0.113.0/24", { [KEY]: "203.0.113.7" }, true],
  ["IpAddress", "203.0.113.0/24", { [KEY]: "198.51.100.1" }, false],
  ["IpAddress", "10.0.0.1", { [KEY]: "10.0.0.1" }, true, "a single address"],
  ["IpAddress", "2001:db8::/32", { [KEY]: "2001:db8::1" }, true, "IPv6"],
  ["IpAddress", "2001:db8::/32", { [KEY]: "10.0.0.1" }, false, "other family"],
  ["IpAddress", "not-an-ip", { [KEY]: "10.0.0.1" }, false, "invalid range never matches"],
  ["NotIpAddress", "203.0.113.0/24", { [KEY]: "198.51.100.1" }, true],
  ["NotIpAddress", "203.0.113.0/24", { [KEY]: "203.0.113.7" }, false],
  [
    "ArnEquals",
    "arn:aws:iam::222222222222:role/ops/deployer",
    { [KEY]: "arn:aws:iam::222222222222:role/ops/deployer" },
    true,
  ],
  [
    "ArnEquals",
    "arn:aws:iam::*:role/ops/*",
    { [KEY]: "arn:aws:iam::222222222222:role/ops/deployer" },
    true,
    "wildcards",
  ],
  ["ArnLike", "arn:aws:iam::*:role/ops/*", { [KEY]: "arn:aws:iam::222222222222:role/ops/deployer" }, true],
  [
    "ArnLike",
    "arn:aws:iam::*:role/OPS/*",
    { [KEY]: "arn:aws:iam::222222222222:role/ops/deployer" },
    false,
    "case-sensitive",
  ],
  ["ArnLike", "arn:aws:iam::*:root", { [KEY]: "arn:aws:iam::1:2:root" }, false, "* does not cross ARN components"],
  [
    "ArnLike",
    "arn:aws:kms:*:*:key/*",
    { [KEY]: "arn:aws:kms:us-east-1:1:key/a:b" },
    true,
    "the resource part may hold colons",
  ],
  ["ArnLike", "arn:aws:iam::*:role/x", { [KEY]: "not-an-arn" }, false, "not an ARN"],
  ["ArnLike", "arn:aws:iam::*:role/x", MISSING, false, "missing key"],
  ["ArnNotEquals", "arn:aws:iam::*:role/x", { [KEY]: "arn:aws:iam::1:role/y" }, true],
  ["ArnNotEquals", "arn:aws:iam::*:role/x", { [KEY]: "arn:aws:iam::1:role/x" }, false],
  ["ArnNotLike", "arn:aws:iam::*:role/x", { [KEY]: "arn:aws:iam::1:role/x" }, false],
  ["ArnNotLike", "arn:aws:iam::*:role/x", MISSING, true, "missing key"],
  ["Null", "true", MISSING, true, "absent as required"],
  ["Null", "true", { [KEY]: "x" }, false],
  ["Null", "false", { [KEY]: "x" }, true, "present as required"],
  ["Null", "false", MISSING, false],
  ["Null", "true", { [KEY]: [] }, true, "an empty list is absent"],
  ["StringEqualsIfExists", "a", MISSING, true, "IfExists: missing key holds"],
  ["StringEqualsIfExists", "a", { [KEY]: "b" }, false, "IfExists: present key is evaluated"],
  ["StringEqualsIfExists", "a", { [KEY]: "a" }, true],
  ["StringNotLikeIfExists", "a*", { [KEY]: "abc" }, false],
  ["NumericLessThanIfExists", "10", MISSING, true],
  ["NumericLessThanIfExists", "10", { [KEY]: 20 }, false],
  ["BoolIfExists", "false", MISSING, true],
  ["BoolIfExists", "false", { [KEY]: true }, false],
  ["ArnLikeIfExists", "arn:aws:iam::*:root", MISSING, true],
  ["DateLessThanIfExists", "2026-06-01T00:00:00Z", MISSING, true],
  ["IpAddressIfExists", "10.0.0.0/8", MISSING, true],
  ["ForAnyValue:StringEquals", "Encrypt", { [KEY]: ["Decrypt", "Encrypt"] }, true],
  ["ForAnyValue:StringEquals", "Encrypt", { [KEY]: ["Sign"] }, false],
  ["ForAnyValue:StringEquals", "Encrypt", MISSING, false, "ForAnyValue: absent key fails"],
  ["ForAnyValue:StringEquals", "Encrypt", { [KEY]: [] }, false, "ForAnyValue: empty key fails"],
  ["ForAnyValue:StringNotEquals", "a", { [KEY]: ["a", "b"] }, true, "some value is not a"],
  ["ForAnyValue:StringNotEquals", "a", { [KEY]: ["a"] }, false],
  ["ForAnyValue:StringEqualsIfExists", "Encrypt", MISSING, true],
  ["ForAllValues:StringEquals", ["Decrypt", "Encrypt", "GenerateDataKey"], { [KEY]: ["Decrypt", "Encrypt"] }, true],
  ["ForAllValues:StringEquals", ["Decrypt", "Encrypt"], { [KEY]: ["Decrypt", "Sign"] }, false],
  ["ForAllValues:StringEquals", "Decrypt", MISSING, true, "ForAllValues: absent key holds"],
  ["ForAllValues:StringEquals", "Decrypt", { [KEY]: [] }, true, "ForAllValues: empty key holds"],
  ["ForAllValues:StringLike", "kms:*", { [KEY]: ["kms:Decrypt", "kms:Encrypt"] }, true],
  [
    "ForAllValues:StringNotEquals",
    ["Sign", "Verify"],
    { [KEY]: ["Decrypt", "Encrypt"] },
    true,
    "no value is Sign or Verify",
  ],
  ["ForAllValues:StringNotEquals", ["Sign", "Verify"], { [KEY]: ["Decrypt", "Sign"] }, false],
];

describe("condition operators", () => {
  for (const [operator, values, context, expected, note] of CASES) {
    const shown = JSON.stringify(context[KEY] ?? "(missing)");
    test(`${operator} ${JSON.stringify(values)} vs ${shown}${note ? ` (${note})` : ""} → ${expected}`, () => {
      assert.equal(holds({ [operator]: { [KEY]: values } }, context), expected);
    });
  }

  test("every base operator has a case", () => {
    const covered = new Set(CASES.map(([operator]) => parseConditionOperator(operator)?.base));
    assert.deepEqual(
      BASE_CONDITION_OPERATORS.filter((operator) => !covered.has(operator)),
      [],
    );
  });
});

describe("condition combination", () => {
  test("condition key names are case-insensitive", () => {
    assert.equal(holds({ StringEquals: { "KMS:CallerAccount": A } }, { "kms:calleraccount": A }), true);
    assert.equal(
      holds(
        { StringEquals: { "kms:EncryptionContext:Purpose": "backup" } },
        { "kms:encryptioncontext:purpose": "backup" },
      ),
      true,
    );
  });

  test("keys under one operator are ANDed", () => {
    const condition = { StringEquals: { "kms:CallerAccount": A, "kms:ViaService": "rds.us-east-1.amazonaws.com" } };
    assert.equal(holds(condition, { "kms:CallerAccount": A, "kms:ViaService": "rds.us-east-1.amazonaws.com" }), true);
    assert.equal(holds(condition, { "kms:CallerAccount": A }), false);
  });

  test("operators are ANDed", () => {
    const condition = { StringEquals: { "kms:CallerAccount": A }, Bool: { "kms:GrantIsForAWSResource": "true" } };
    assert.equal(holds(condition, { "kms:CallerAccount": A, "kms:GrantIsForAWSResource": true }), true);
    assert.equal(holds(condition, { "kms:CallerAccount": A, "kms:GrantIsForAWSResource": false }), false);
  });

  test("an undefined context value is a missing key", () => {
    assert.equal(holds({ Null: { "kms:ViaService": "true" } }, { "kms:ViaService": undefined }), true);
  });

  test("the global principal keys are filled in from the principal", () => {
    assert.equal(holds({ StringEquals: { "aws:PrincipalAccount": A, "aws:username": "alice" } }, {}), true);
    assert.equal(holds({ ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${A}:user/alice` } }, {}), true);
  });

  test("an explicit context value overrides the base context", () => {
    assert.equal(holds({ StringEquals: { "aws:username": "bob" } }, { "aws:username": "bob" }), true);
  });
});

describe("policy variables", () => {
  test("are substituted in condition values", () => {
    const condition = { StringLike: { "s3:prefix": "home/${aws:username}/*" } };
    assert.equal(holds(condition, { "s3:prefix": "home/alice/docs" }), true);
    assert.equal(holds(condition, { "s3:prefix": "home/bob/docs" }), false);
  });

  test("a variable without a value matches nothing, and does not crash", () => {
    assert.equal(holds({ StringEquals: { [KEY]: "${test:absent}" } }, { [KEY]: "" }), false);
    assert.equal(
      holds({ StringEquals: { [KEY]: "${test:absent" } }, { [KEY]: "${test:absent" }),
      true,
      "unclosed: literal",
    );
  });

  test("a default value is used when the key is missing", () => {
    assert.equal(holds({ StringEquals: { [KEY]: "${test:absent, 'none'}" } }, { [KEY]: "none" }), true);
  });

  test("${*} ${?} ${$} are the literal characters", () => {
    assert.equal(holds({ StringEquals: { [KEY]: "a${$}b${?}" } }, { [KEY]: "a$b?" }), true);
  });

  test("are not substituted in Numeric operators", () => {
    assert.equal(holds({ NumericEquals: { [KEY]: "${test:n}" } }, { [KEY]: 1, "test:n": 1 }), false);
  });

  test("are literal text in a 2008-10-17 policy", () => {
    assert.equal(holds({ StringEquals: { [KEY]: "${aws:username}" } }, { [KEY]: "alice" }, "2008-10-17"), false);
    assert.equal(
      holds({ StringEquals: { [KEY]: "${aws:username}" } }, { [KEY]: "${aws:username}" }, "2008-10-17"),
      true,
    );
  });
});
