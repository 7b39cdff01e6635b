import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { PolicyGrammarError, parseConditionOperator, parsePolicy, parsePolicyValue } from "../../src/policy/parse.js";

const ALLOW_ALL = { Effect: "Allow", Action: "*", Resource: "*" };
const doc = (statement: unknown) => JSON.stringify({ Version: "2012-10-17", Statement: statement });

describe("parsePolicy refuses malformed documents", () => {
  const cases: [string, string, string][] = [
    ["invalid JSON", "{ not json", "Policy contains invalid JSON."],
    ["trailing comma", '{"Statement": [],}', "Policy contains invalid JSON."],
    ["a JSON array", "[]", "Policy must be a JSON object."],
    ["a JSON string", '"policy"', "Policy must be a JSON object."],
    ["null", "null", "Policy must be a JSON object."],
    ["no Statement", '{"Version": "2012-10-17"}', "Policy must contain a Statement with at least one statement."],
    ["empty Statement", doc([]), "Policy must contain a Statement with at least one statement."],
    ["Statement a string", doc("x"), "Policy must contain a Statement with at least one statement."],
    ["statement not an object", doc(["x"]), "Policy contains a statement that is not a JSON object."],
    [
      "unknown top-level element",
      JSON.stringify({ Statement: [ALLOW_ALL], Condition: {} }),
      "Policy contains an unknown element: Condition.",
    ],
    [
      "bad Version",
      JSON.stringify({ Version: "2020-01-01", Statement: [ALLOW_ALL] }),
      'Policy has an unsupported Version: "2020-01-01".',
    ],
    ["Id not a string", JSON.stringify({ Id: 5, Statement: [ALLOW_ALL] }), "Policy element Id must be a string."],
    [
      "unknown statement element",
      doc([{ ...ALLOW_ALL, Actions: "kms:*" }]),
      "Policy contains a statement with an unknown element: Actions.",
    ],
    ["Sid not a string", doc([{ ...ALLOW_ALL, Sid: 1 }]), "Policy element Sid must be a string."],
    [
      "lower-case effect",
      doc([{ ...ALLOW_ALL, Effect: "allow" }]),
      'Policy contains a statement with an invalid Effect: "allow". Use "Allow" or "Deny".',
    ],
    [
      "missing Effect",
      doc([{ Action: "*", Resource: "*" }]),
      'Policy contains a statement with an invalid Effect: none. Use "Allow" or "Deny".',
    ],
    [
      "Action and NotAction",
      doc([{ ...ALLOW_ALL, NotAction: "kms:Decrypt" }]),
      "Policy contains a statement with both Action and NotAction.",
    ],
    [
      "neither Action nor NotAction",
      doc([{ Effect: "Allow", Resource: "*" }]),
      "Policy contains a statement with no Action or NotAction.",
    ],
    [
      "Resource and NotResource",
      doc([{ ...ALLOW_ALL, NotResource: "x" }]),
      "Policy contains a statement with both Resource and NotResource.",
    ],
    [
      "Principal and NotPrincipal",
      doc([{ ...ALLOW_ALL, Principal: "*", NotPrincipal: { AWS: "123456789012" } }]),
      "Policy contains a statement with both Principal and NotPrincipal.",
    ],
    [
      "Action a number",
      doc([{ ...ALLOW_ALL, Action: 3 }]),
      "Policy contains a statement whose Action is not a string or a non-empty list of strings.",
    ],
    [
      "empty Resource list",
      doc([{ ...ALLOW_ALL, Resource: [] }]),
      "Policy contains a statement whose Resource is not a string or a non-empty list of strings.",
    ],
    [
      "action without a vendor",
      doc([{ ...ALLOW_ALL, Action: ["kms:Decrypt", "Decrypt"] }]),
      'Policy contains a statement with an invalid Action: "Decrypt".',
    ],
    [
      "Principal a plain string",
      doc([{ ...ALLOW_ALL, Principal: "arn:aws:iam::123456789012:root" }]),
      "Policy contains a statement with one or more invalid principals.",
    ],
    [
      "Principal of unknown type",
      doc([{ ...ALLOW_ALL, Principal: { Group: "x" } }]),
      "Policy contains a statement with one or more invalid principals.",
    ],
    [
      "empty Principal object",
      doc([{ ...ALLOW_ALL, Principal: {} }]),
      "Policy contains a statement with one or more invalid principals.",
    ],
    [
      "Principal list with a number",
      doc([{ ...ALLOW_ALL, Principal: { AWS: ["123456789012", 5] } }]),
      "Policy contains a statement with one or more invalid principals.",
    ],
    [
      "Condition a string",
      doc([{ ...ALLOW_ALL, Condition: "x" }]),
      "Policy contains a statement whose Condition is not a JSON object.",
    ],
    [
      "condition operator block a list",
      doc([{ ...ALLOW_ALL, Condition: { StringEquals: ["x"] } }]),
      "Policy contains a condition whose StringEquals block is not a JSON object.",
    ],
    [
      "unknown condition operator",
      doc([{ ...ALLOW_ALL, Condition: { StringEqualz: { "aws:username": "x" } } }]),
      "Policy contains an unsupported condition operator: StringEqualz.",
    ],
    [
      "NullIfExists",
      doc([{ ...ALLOW_ALL, Condition: { NullIfExists: { "aws:username": "true" } } }]),
      "Policy contains an unsupported condition operator: NullIfExists.",
    ],
    [
      "condition value an object",
      doc([{ ...ALLOW_ALL, Condition: { StringEquals: { "aws:username": { a: 1 } } } }]),
      "Policy contains a condition StringEquals on aws:username whose values are not strings, numbers or booleans.",
    ],
    [
      "condition values an empty list",
      doc([{ ...ALLOW_ALL, Condition: { StringEquals: { "aws:username": [] } } }]),
      "Policy contains a condition StringEquals on aws:username whose values are not strings, numbers or booleans.",
    ],
  ];
  for (const [name, text, message] of cases) {
    test(name, () => {
      assert.throws(
        () => parsePolicy(text),
        (error: unknown) => {
          assert.ok(error instanceof PolicyGrammarError);
          assert.equal(error.message, message);
          return true;
        },
      );
    });
  }
});

describe("parsePolicy normalizes", () => {
  test("a single statement object becomes a list and strings become lists", () => {
    const parsed = parsePolicy(
      JSON.stringify({
        Version: "2012-10-17",
        Id: "key-default-1",
        Statement: {
          Sid: "Enable IAM User Permissions",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111111111111:root", Service: ["rds.amazonaws.com"] },
          Action: "kms:*",
          Resource: "*",
          Condition: { Bool: { "kms:GrantIsForAWSResource": true }, NumericLessThan: { "x:n": [1, "2"] } },
        },
      }),
    );
    // Condition blocks are null-prototype objects (keys are the author's); compare them as the JSON they are.
    assert.deepEqual(JSON.parse(JSON.stringify(parsed)), {
      Version: "2012-10-17",
      Id: "key-default-1",
      Statement: [
        {
          Sid: "Enable IAM User Permissions",
          Effect: "Allow",
          Principal: { AWS: ["arn:aws:iam::111111111111:root"], Service: ["rds.amazonaws.com"] },
          Action: ["kms:*"],
          Resource: ["*"],
          Condition: { Bool: { "kms:GrantIsForAWSResource": ["true"] }, NumericLessThan: { "x:n": ["1", "2"] } },
        },
      ],
    });
  });

  test('Principal "*" stays "*" and {"AWS": "*"} becomes a list', () => {
    const parsed = parsePolicyValue({
      Statement: [
        { Effect: "Deny", Principal: "*", NotAction: "kms:Decrypt", NotResource: "arn:x" },
        { Effect: "Allow", NotPrincipal: { AWS: "*" }, Action: ["*"] },
      ],
    });
    assert.deepEqual(parsed.Statement, [
      { Effect: "Deny", Principal: "*", NotAction: ["kms:Decrypt"], NotResource: ["arn:x"] },
      { Effect: "Allow", NotPrincipal: { AWS: ["*"] }, Action: ["*"] },
    ]);
  });

  test("a statement without Resource is kept (KMS accepts it as ineffective)", () => {
    const parsed = parsePolicyValue({ Statement: [{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }] });
    assert.equal(parsed.Statement[0].Resource, undefined);
    assert.equal(parsed.Version, undefined);
  });

  test("parsePolicyValue does not share arrays with its input", () => {
    const actions = ["kms:Decrypt"];
    const parsed = parsePolicyValue({ Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }] });
    actions.push("kms:Encrypt");
    assert.deepEqual(parsed.Statement[0].Action, ["kms:Decrypt"]);
  });
});

describe("parseConditionOperator", () => {
  const cases: [string, ReturnType<typeof parseConditionOperator>][] = [
    ["StringEquals", { base: "StringEquals", ifExists: false }],
    ["StringLikeIfExists", { base: "StringLike", ifExists: true }],
    ["ForAnyValue:StringEquals", { base: "StringEquals", ifExists: false, set: "ForAnyValue" }],
    ["ForAllValues:ArnLikeIfExists", { base: "ArnLike", ifExists: true, set: "ForAllValues" }],
    ["Null", { base: "Null", ifExists: false }],
    ["NullIfExists", undefined],
    ["ForAnyValue:Null", undefined],
    ["ForSomeValues:StringEquals", undefined],
    ["stringequals", undefined],
    ["IfExists", undefined],
  ];
  for (const [name, expected] of cases) {
    test(name, () => assert.deepEqual(parseConditionOperator(name), expected));
  }
});
