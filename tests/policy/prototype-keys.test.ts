import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { evaluatePolicy } from "../../src/policy/evaluate.js";
import { parsePolicy, PolicyGrammarError } from "../../src/policy/parse.js";
import type { ConditionContext } from "../../src/policy/types.js";
import { A, request, user } from "./fixtures.js";

/** Every lookup keyed by a policy author's or a caller's text treats JavaScript's prototype names as plain names. */
const PROTOTYPE_NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];

/** A policy written as JSON text, as it arrives on the wire (JSON.parse keeps `__proto__` as an own key). */
function allowWhen(operator: string, key: string, value: string) {
  return parsePolicy(
    `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*",` +
      `"Condition":{${JSON.stringify(operator)}:{${JSON.stringify(key)}:${JSON.stringify(value)}}}}]}`,
  );
}

function decision(document: ReturnType<typeof parsePolicy>, context: ConditionContext): string {
  return evaluatePolicy(document, request(user(A, "alice"), "kms:Decrypt", context), "identity").decision;
}

describe("prototype names in the policy engine", () => {
  for (const name of PROTOTYPE_NAMES) {
    test(`condition key '${name}' is kept: it must be present in the request to allow`, () => {
      const document = allowWhen("StringEquals", name, "x");
      assert.deepEqual(Object.keys(document.Statement[0]!.Condition!.StringEquals!), [name]);
      assert.equal(decision(document, {}), "NotApplicable");
      assert.equal(decision(document, { [name]: "y" }), "NotApplicable");
      assert.equal(decision(JSON.parse(JSON.stringify(document)) as typeof document, {}), "NotApplicable");
    });

    test(`context key '${name}' is matched as a key like any other`, () => {
      const context: ConditionContext = Object.create(null) as ConditionContext;
      context[name] = "x";
      assert.equal(decision(allowWhen("StringEquals", name, "x"), context), "Allow");
      assert.equal(decision(allowWhen("StringLike", name, "*"), {}), "NotApplicable");
      assert.equal(decision(allowWhen("Null", name, "true"), {}), "Allow");
    });

    test(`condition operator '${name}' is refused`, () => {
      assert.throws(() => allowWhen(name, "aws:username", "alice"), PolicyGrammarError);
    });
  }
});
